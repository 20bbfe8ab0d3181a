/**
 * One benchmark measurement in its own process (so peak RSS is the engine's own):
 *   node --import tsx bench/measure.ts <ours|minisearch|wink-bm25> <knowledge dir> [v8-defaults]
 * Prints one JSON line: build time, per-query p50/p95, peak RSS and hit@1 on the sample questions.
 * Every engine runs under the process settings the bot starts with (limitHeapGrowth), unless
 * `v8-defaults` is given.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerQuestion, buildKnowledge, limitHeapGrowth, warmUpQuestions, WARM_UP_QUESTIONS } from '../src/engine/index.js';
import { loadKnowledgeSources } from '../src/knowledge/loader.js';
import { DEFAULT_EVAL_FILE, type EvalSet } from '../scripts/eval.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { miniSearchOver, winkBm25Over } from '../scripts/peers.js';
import { containsAny } from '../scripts/eval-set.js';
import { percentile } from '../test/support/stats.js';

const [engine, dir, settings] = process.argv.slice(2);
if (settings !== 'v8-defaults') limitHeapGrowth();
const evalSet = JSON.parse(readFileSync(DEFAULT_EVAL_FILE, 'utf8')) as EvalSet;
const samples = (evalSet.ask ?? []).filter((c) => !c.abstain);
const hits = (passage: string | undefined, contains: string[] = []) => !!passage && containsAny(passage, contains);

const corpus = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'node_modules', 'nlp-corpus', 'builds', 'doc-2.json'), 'utf8')) as string[];
/** Timed queries: the sample questions plus 300 unrelated corpus sentences, four rounds. */
function queryMix(): string[] {
  const one = [...(evalSet.ask ?? []).map((c) => c.q), ...corpus.slice(0, 300)];
  return [...one, ...one, ...one, ...one];
}
/** Then 600 other corpus sentences, each asked once: new questions to a process that has answered many (a running bot). */
const laterQuestions = corpus.slice(300, 900);

function times(questions: string[], answer: (q: string) => unknown): number[] {
  return questions.map((q) => {
    const t = performance.now();
    answer(q);
    return performance.now() - t;
  });
}

function timeQueries(answer: (q: string) => unknown): { p50: number; p95: number; laterP95: number } {
  const first = times(queryMix(), answer);
  return { p50: percentile(first, 50), p95: percentile(first, 95), laterP95: percentile(times(laterQuestions, answer), 95) };
}

/** The peers index sentences: paragraphs split at end punctuation. */
function sentencesOf(dir: string): string[] {
  const { sources } = loadKnowledgeSources(dir);
  return sources.flatMap((s) =>
    s.text
      .replace(/^---[\s\S]*?---\n/, '')
      .split(/\n\s*\n/)
      .flatMap((p) => p.replace(/\s+/g, ' ').split(/(?<=[.!?][”"’]?)\s+(?=[“"‘(]?[\p{Lu}\d])/u))
      .filter((x) => /\p{L}/u.test(x) && !x.startsWith('#')),
  );
}

function measure(): Record<string, unknown> {
  if (engine === 'ours') {
    const { sources } = loadKnowledgeSources(dir);
    const t = performance.now();
    const k = buildKnowledge(sources);
    const buildMs = performance.now() - t;
    // As the bot does at start (src/main.ts): some of the knowledge's own sentences, asked before users ask.
    for (const q of warmUpQuestions(k)) answerQuestion(k, q);
    const answers = samples.map((c) => answerQuestion(k, c.q));
    return {
      buildMs,
      ...timeQueries((q) => answerQuestion(k, q)),
      hit1: answers.filter((a, i) => hits(a?.passage, samples[i].contains)).length,
      passageSpeaker: answers.filter((a, i) => hits(a?.passage, samples[i].contains) && (samples[i].speaker ?? [null]).some((s) => s === (a?.speaker ?? null))).length,
    };
  }
  const sentences = sentencesOf(dir);
  const t = performance.now();
  const top = engine === 'minisearch' ? miniSearchOver(sentences) : winkBm25Over(sentences);
  const buildMs = performance.now() - t;
  // The same warm-up as ours: as many of the text's sentences, spread over it.
  const n = Math.min(WARM_UP_QUESTIONS, sentences.length);
  for (let i = 0; i < n; i++) top(sentences[Math.floor((i * sentences.length) / n)]);
  return { buildMs, ...timeQueries(top), hit1: samples.filter((c) => hits(sentences[top(c.q)], c.contains)).length };
}

const result = measure();
console.log(JSON.stringify({ engine, ...result, samples: samples.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
