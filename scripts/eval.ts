/**
 * npm run eval [-- --knowledge PATH] [--min PASSAGE_SPEAKER_ACCURACY] [FILE ...]
 * npm run eval -- --squad measure|fit|all [--squad-questions N] [--min-right-first R]
 * npm run eval -- --news measure|fit|all
 *
 * Scores the engine on question sets (default ../shared/eval/questions.json): for /ask, hit@1
 * (the passage contains an expected phrase), passage+speaker accuracy and abstain accuracy; for
 * /quote, the speaker found and one of their quotes containing an expected phrase. Prints every
 * miss. With --min, exits 1 when the overall accuracy falls below it (CI uses this).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerQuestion, buildKnowledge, NO_ABSTAIN_RULES, quotesOf, rankAnswers, type Knowledge } from '../src/engine/index.js';
import { loadKnowledgeSources } from '../src/knowledge/loader.js';
import { DEFAULT_KNOWLEDGE_DIR, PACKAGE_ROOT } from '../src/paths.js';
import { SQUAD_FILE, squadAvailable, type SquadPart } from './squad.js';
import { evaluateSquad, formatSquadReport } from './squad-eval.js';
import { NEWS_DEV_DIR, newsDevCases, type NewsPart } from './news-dev.js';
import { attributionSection } from './eval-attribution.js';
import { scriptArgs, usageError } from './args.js';

import { containsAny, foldForCompare, type EvalSet, pct } from './eval-set.js';
export type { AskCase, EvalSet, QuoteCase } from './eval-set.js';

export const DEFAULT_EVAL_FILE = join(PACKAGE_ROOT, '..', 'shared', 'eval', 'questions.json');

/** The same speaker, however the label writes it: case, curly quotes and a leading "the" aside ("the organisers" is "organisers"). */
const speakerKey = (s: string) => foldForCompare(s).replace(/^the /, '');
const sameSpeaker = (a: string | null, b: string | null) => (a === null || b === null ? a === b : speakerKey(a) === speakerKey(b));

export interface EvalReport {
  ask: { answerable: number; answered: number; rightFirst: number; hit: number; passageSpeaker: number; abstainCases: number; abstained: number };
  quote: { cases: number; correct: number };
  misses: string[];
  /** Share of all cases (ask and quote) fully right. */
  accuracy: number;
}

export function evaluate(k: Knowledge, set: EvalSet): EvalReport {
  const r: EvalReport = {
    ask: { answerable: 0, answered: 0, rightFirst: 0, hit: 0, passageSpeaker: 0, abstainCases: 0, abstained: 0 },
    quote: { cases: 0, correct: 0 },
    misses: [],
    accuracy: 0,
  };
  for (const c of set.ask ?? []) {
    const a = answerQuestion(k, c.q);
    const got = a ? `${JSON.stringify(a.passage.slice(0, 120))} — ${a.speaker ?? 'the article'} (score ${a.score})` : 'no answer';
    if (c.abstain) {
      r.ask.abstainCases++;
      if (!a) r.ask.abstained++;
      else r.misses.push(`ask   ${JSON.stringify(c.q)}: expected no answer, got ${got}`);
      continue;
    }
    r.ask.answerable++;
    if (a) r.ask.answered++;
    // The top-ranked passage whatever its probability: the ranking alone.
    const top = a ?? rankAnswers(k, c.q, 1, { threshold: 0, rules: NO_ABSTAIN_RULES })[0];
    if (top && containsAny(top.passage, c.contains)) r.ask.rightFirst++;
    const hit = !!a && containsAny(a.passage, c.contains);
    const speakerOk = !!a && (c.speaker ?? [null]).some((s) => sameSpeaker(a.speaker, s));
    if (hit) r.ask.hit++;
    if (hit && speakerOk) r.ask.passageSpeaker++;
    else r.misses.push(`ask   ${JSON.stringify(c.q)}: expected ${JSON.stringify(c.contains)} by ${JSON.stringify(c.speaker)}, got ${got}`);
  }
  for (const c of set.quote ?? []) {
    r.quote.cases++;
    const { speaker, quotes } = quotesOf(k, c.q);
    const name = speaker >= 0 ? k.speakers[speaker].name : null;
    // The expected person by their name or an alias ("Kennedy" is John Kennedy, alias Kennedy, once many articles name him in full).
    const forms = speaker >= 0 ? [name, ...k.speakers[speaker].aliases] : [];
    const ok = c.none
      ? speaker < 0
      : forms.some((f) => sameSpeaker(f, c.speaker ?? null)) && quotes.some((q) => containsAny(q.text, c.contains) || containsAny(q.passage, c.contains));
    if (ok) r.quote.correct++;
    else r.misses.push(`quote ${JSON.stringify(c.q)}: expected ${c.none ? 'nobody' : `${c.speaker} saying ${JSON.stringify(c.contains)}`}, got ${name ?? 'nobody'} with ${quotes.length} quote(s)`);
  }
  const total = r.ask.answerable + r.ask.abstainCases + r.quote.cases;
  r.accuracy = total ? (r.ask.passageSpeaker + r.ask.abstained + r.quote.correct) / total : 1;
  return r;
}

export function formatReport(file: string, r: EvalReport): string {
  return [
    `eval ${file}`,
    `  ask    right passage first ${pct(r.ask.rightFirst, r.ask.answerable)}  (${r.ask.rightFirst}/${r.ask.answerable}; the ranking alone, abstaining ignored)`,
    `  ask    answered            ${pct(r.ask.answered, r.ask.answerable)}  (${r.ask.answered}/${r.ask.answerable})`,
    `  ask    hit@1               ${pct(r.ask.hit, r.ask.answerable)}  (${r.ask.hit}/${r.ask.answerable}; answered and right)`,
    `  ask    passage+speaker     ${pct(r.ask.passageSpeaker, r.ask.answerable)}  (${r.ask.passageSpeaker}/${r.ask.answerable})`,
    `  ask    abstain accuracy    ${pct(r.ask.abstained, r.ask.abstainCases)}  (${r.ask.abstained}/${r.ask.abstainCases})`,
    `  quote  speaker+quote       ${pct(r.quote.correct, r.quote.cases)}  (${r.quote.correct}/${r.quote.cases})`,
    `  overall accuracy           ${pct(r.accuracy * 1000, 1000)}`,
    ...(r.misses.length ? ['  misses:', ...r.misses.map((m) => `    ${m}`)] : ['  misses: none']),
  ].join('\n');
}

const USAGE = `usage:
  npm run eval [-- --knowledge PATH] [--min PASSAGE_SPEAKER_ACCURACY] [FILE ...]
  npm run eval -- --squad measure|fit|all [--squad-questions N] [--min-right-first R]
  npm run eval -- --news measure|fit|all`;
const PARTS = ['measure', 'fit', 'all'];

async function main() {
  const { values, positionals } = scriptArgs(
    {
      allowPositionals: true,
      options: {
        knowledge: { type: 'string' },
        min: { type: 'string' },
        squad: { type: 'string' },
        'squad-questions': { type: 'string' },
        'min-right-first': { type: 'string' },
        news: { type: 'string' },
      },
    },
    USAGE,
  );
  for (const option of ['squad', 'news'] as const) {
    const part = values[option];
    if (part !== undefined && !PARTS.includes(part)) usageError(`eval: --${option} takes ${PARTS.join(', ')}, not "${part}"`, USAGE);
  }
  for (const option of ['min', 'min-right-first'] as const) {
    const v = values[option];
    if (v !== undefined && !(Number(v) >= 0 && Number(v) <= 1)) usageError(`eval: --${option} takes a share from 0 to 1, not "${v}"`, USAGE);
  }
  const limit = values['squad-questions'];
  if (limit !== undefined && !(Number.isInteger(Number(limit)) && Number(limit) > 0)) usageError(`eval: --squad-questions takes a positive whole number, not "${limit}"`, USAGE);
  if (values.news !== undefined) {
    // The news dev set, one part of its article split (scripts/news-dev.ts), the whole folder as knowledge.
    const k = buildKnowledge(loadKnowledgeSources(NEWS_DEV_DIR).sources);
    console.log(formatReport(`news dev set, ${values.news} part`, evaluate(k, newsDevCases(values.news as NewsPart))));
    return;
  }
  if (values.squad !== undefined) {
    // SQuAD tuning data, each article its own knowledge (scripts/squad-eval.ts).
    if (!squadAvailable()) {
      console.log(`eval: no SQuAD tuning data at ${SQUAD_FILE} (the shared/ folder beside this checkout)`);
      return;
    }
    const report = evaluateSquad(values.squad as SquadPart, {}, Number(values['squad-questions'] ?? Infinity));
    console.log(formatSquadReport(report));
    const rightFirst = report.rightFirst / Math.max(1, report.answerable);
    if (values['min-right-first'] !== undefined && rightFirst < Number(values['min-right-first'])) {
      console.error(`eval: right passage first ${rightFirst.toFixed(3)} is below the required ${values['min-right-first']}`);
      process.exitCode = 1;
    }
    return;
  }
  const { sources, refused } = loadKnowledgeSources(values.knowledge ?? DEFAULT_KNOWLEDGE_DIR);
  for (const f of refused) console.error(`refused ${f.file}: ${f.reason}`);
  const k = buildKnowledge(sources);
  if (!positionals.length) console.log(attributionSection()); // attribution P/R on test/fixtures/attribution-dev*
  let worst = 1;
  if (!positionals.length && !existsSync(DEFAULT_EVAL_FILE)) {
    console.log(`eval: no sample set at ${DEFAULT_EVAL_FILE} (the shared/ folder beside this checkout); name a FILE to evaluate`);
    return;
  }
  for (const file of positionals.length ? positionals : [DEFAULT_EVAL_FILE]) {
    const report = evaluate(k, JSON.parse(readFileSync(file, 'utf8')) as EvalSet);
    console.log(formatReport(file, report));
    worst = Math.min(worst, report.accuracy);
  }
  if (values.min !== undefined && worst < Number(values.min)) {
    console.error(`eval: accuracy ${worst.toFixed(3)} is below the required ${values.min}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
