/**
 * npm run explain -- [--knowledge PATH] [--top N] "question"
 *
 * Shows how the engine ranks a question's candidate passages: the top candidates with their
 * rank score, answer probability, and the features that add most to the score (weight times
 * standardized value). For looking into a miss; changes nothing.
 */
import { buildKnowledge, FEATURE_NAMES, passageOf, scoreCandidates, WEIGHTS } from '../src/engine/index.js';
import { loadKnowledgeSources } from '../src/knowledge/loader.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/paths.js';
import { scriptArgs, usageError } from './args.js';

const USAGE = 'usage: npm run explain -- [--knowledge PATH] [--top N] "question" ...';
const { values, positionals } = scriptArgs({ options: { knowledge: { type: 'string' }, top: { type: 'string' } }, allowPositionals: true }, USAGE);
const top = Number(values.top ?? 3);
if (!(Number.isInteger(top) && top > 0)) usageError(`explain: --top takes a positive whole number, not "${values.top}"`, USAGE);
const k = buildKnowledge(loadKnowledgeSources(values.knowledge ?? DEFAULT_KNOWLEDGE_DIR).sources);
for (const question of positionals) {
  const ranked = scoreCandidates(k, question);
  console.log(`\n${JSON.stringify(question)}`);
  if (!ranked?.length) {
    console.log(ranked ? '  no candidate passages' : '  abstained before ranking');
    continue;
  }
  const first = ranked[0].candidate.x;
  for (const r of ranked.slice(0, top)) {
    const x = r.candidate.x;
    // The first candidate: each feature's contribution; the others: how they differ from the first.
    const base = (i: number) => (x === first ? WEIGHTS.mean[i] : first[i]);
    const parts = FEATURE_NAMES.map((n, i) => [n, (WEIGHTS.rank[i] * (x[i] - base(i))) / WEIGHTS.std[i], x[i]] as const).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    console.log(`  score ${r.score.toFixed(2)}  p ${r.probability.toFixed(3)}  ${JSON.stringify(passageOf(k, r.candidate).text.slice(0, 140))}`);
    console.log('    ' + parts.slice(0, 8).map(([n, c, v]) => `${n}=${v.toFixed(2)}(${c >= 0 ? '+' : ''}${c.toFixed(2)})`).join(' '));
  }
}
