/**
 * npm run fit [-- --cv | --check] — fits the ranking and the answer probability and writes
 * src/engine/weights.ts. Deterministic: the same data and features give the same weights.
 * Fit data: the SQuAD tuning articles of the fit part (scripts/squad.ts; every other one also as
 * short articles) with off-topic questions from the other fit articles, the news dev set's fit part
 * (scripts/news-dev.ts), the single-article fit sets (test/fixtures/single-article-fit, -fit2, -fit3), the
 * Brown fit sets (test/fixtures/brown-fit, brown-fit2 to 5: press editorials and reviews) and
 * the wire fit sets (test/fixtures/wire-fit, wire-fit2 to 4), each also with off-topic questions from the
 * other sets.
 * With --cv: three-fold cross-validation over whole articles instead, nothing written. With
 * --check: fit and compare with the shipped weights (CI), nothing written.
 *
 *  1. Every question is asked of its own knowledge; each candidate passage (features.ts) is
 *     labelled by whether it contains a gold answer.
 *  2. Ranker: a linear listwise model — per answerable question, a softmax over its candidates,
 *     maximising the probability of the passages that contain the answer (L2-regularised,
 *     full-batch gradient descent with Adam on standardized features).
 *  3. Answer model: logistic regression on the best-ranked candidate of every question
 *     (answerable or not): label 1 when that passage contains the answer.
 *  4. Threshold: the highest probability at which at least TARGET_ANSWERED of the fit data's
 *     answerable questions are still answered.
 *  The measure parts are never read here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerFeatures, answerProbability, buildKnowledge, FEATURE_NAMES, NO_ABSTAIN_RULES, passageOf, questionCandidates, rankScore, typesFound, WEIGHTS, type Knowledge, type ScorerWeights } from '../src/engine/index.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { loadSquad, shortArticles, SQUAD_FILE, squadAvailable } from './squad.js';
import { NEWS_DEV_DIR, newsDevCases } from './news-dev.js';
import { containsAny, type AskCase, pct } from './eval-set.js';
import { loadKnowledgeSources } from '../src/knowledge/loader.js';
import { scriptArgs, usageError } from './args.js';

/** Share of answerable fit questions that must stay answered at the chosen threshold. */
const TARGET_ANSWERED = 0.95;
const L2_RANK = 1e-3;
const L2_ANSWER = 1e-3;

interface Group {
  rows: number[][];
  labels: Uint8Array;
  answerable: boolean;
  /** How much the question counts in both fits. */
  weight: number;
  /** A question about another article (no answer here by construction, unlike a near miss). */
  offTopic: boolean;
  /** Which data set and article it comes from (cross-validation folds are whole articles). */
  set: 'squad' | 'news' | 'single' | 'brown' | 'wire';
  article: string;
}

/**
 * The news-style questions (answerable, near misses and off-topic) together weigh this many times
 * SQuAD's: they are what users ask — paraphrased, about many articles at once. Each news-style
 * question's weight follows from it, so adding fit data does not tip the balance. (Chosen when
 * the news-style data was a quarter of SQuAD's: a weight of 4 each gave about 1:1 in all; twice
 * that cost SQuAD two points.) The ranker learns from answerable questions only, of which the
 * news-style sets have the larger share: there they weigh about 1.5 times SQuAD's, as they did
 * with 4 each. Cross-validation keeps the weights of the whole data in every fold.
 */
const NEWS_SHARE = 1;
/** Folders of articles each asked alone (a server that loaded one article), with questions written for fitting. */
const SINGLE_ARTICLE_FITS = ['single-article-fit', 'single-article-fit2', 'single-article-fit3'].map((dir) => join(PACKAGE_ROOT, 'test', 'fixtures', dir));
/**
 * Folders of articles asked together, with questions written for fitting: Brown press editorials
 * and reviews (categories B and C), and wire stories written for the set.
 */
const FOLDER_FITS: Array<{ set: Group['set']; name: string; dir: string }> = [
  { set: 'brown', name: 'Brown fit set', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'brown-fit') },
  { set: 'brown', name: 'Brown fit set 2', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'brown-fit2') },
  { set: 'brown', name: 'Brown fit set 3', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'brown-fit3') },
  { set: 'brown', name: 'Brown fit set 4', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'brown-fit4') },
  { set: 'brown', name: 'Brown fit set 5', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'brown-fit5') },
  { set: 'wire', name: 'wire fit set', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'wire-fit') },
  { set: 'wire', name: 'wire fit set 2', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'wire-fit2') },
  { set: 'wire', name: 'wire fit set 3', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'wire-fit3') },
  { set: 'wire', name: 'wire fit set 4', dir: join(PACKAGE_ROOT, 'test', 'fixtures', 'wire-fit4') },
];

/**
 * Off-topic questions per article: questions written for the other fit articles, sentences of
 * their text and fragments of two to five words, asked of this one (a user asking about something the knowledge is not about). SQuAD's own unanswerable
 * questions are all on-topic near misses; without these the model never sees an off-topic one.
 */
const OFF_TOPIC_SHARE = 0.4;
const SHORT_ARTICLE_PARAGRAPHS = 10;

/** An evenly spread share of `others` (OFF_TOPIC_SHARE of `questions`), asked as off-topic questions. */
function offTopicShare<T>(others: T[], questions: number): T[] {
  const step = Math.max(1, Math.floor(others.length / (OFF_TOPIC_SHARE * questions)));
  return others.filter((_, j) => j % step === 0);
}

/** A question asked of `k`: its candidates' features, each labelled by whether its passage holds the answer; null without candidates. */
function groupOf(k: Knowledge, question: string, holdsAnswer: (passage: string) => boolean, meta: Omit<Group, 'rows' | 'labels'>): Group | null {
  // No hard abstain rules here: the models see every question.
  const candidates = questionCandidates(k, question, { rules: NO_ABSTAIN_RULES }) ?? [];
  if (!candidates.length) return null;
  const labels = Uint8Array.from(candidates, (c) => (holdsAnswer(passageOf(k, c).text) ? 1 : 0));
  return { rows: candidates.map((c) => c.x), labels, ...meta };
}

function collect(): Group[] {
  const groups: Group[] = [];
  // Every other fit article is cut into short articles: the model must also know knowledge the
  // size of one story (the bundled article has a dozen paragraphs; SQuAD's have fifty and more).
  const articles = loadSquad('fit').flatMap((a, i) => (i % 2 ? shortArticles(a, SHORT_ARTICLE_PARAGRAPHS) : [a]));
  articles.forEach((article, ai) => {
    const k = buildKnowledge([article.source]);
    // Other articles' questions, and their paragraphs' opening sentences (users also paste statements).
    const others = articles
      .filter((_, j) => j !== ai)
      .flatMap((o) => [
        ...o.questions.map((q) => ({ q: q.q, answers: [] as string[] })),
        ...o.paragraphs.map((p) => ({ q: p.split(/(?<=\.) /)[0], answers: [] as string[] })),
        // ... and short fragments of them: a few words typed at the bot
        ...o.paragraphs.map((p, j) => ({ q: p.split(' ').slice(j % 7, (j % 7) + 2 + (j % 4)).join(' '), answers: [] as string[] })),
      ]);
    const offTopic = offTopicShare(others, article.questions.length);
    for (const [i, q] of [...article.questions, ...offTopic].entries()) {
      const meta = { answerable: q.answers.length > 0, offTopic: i >= article.questions.length, weight: 1, set: 'squad' as const, article: article.title.replace(/ \d+$/, '') };
      const group = groupOf(k, q.q, (text) => q.answers.some((a) => text.includes(a)), meta);
      if (group) groups.push(group);
    }
    if (ai % 10 === 0) process.stderr.write(`fit: ${article.title}: ${article.questions.length} questions + ${offTopic.length} off-topic\n`);
  });
  return groups;
}

type NewsCase = AskCase & { doc?: string };

/** One knowledge of a news-style fit set and the questions written for it (each naming its article in `doc`). */
interface NewsUnit {
  set: Group['set'];
  name: string;
  knowledge: Knowledge;
  cases: NewsCase[];
}

/**
 * The news-style fit sets: the news dev set's fit part and the Brown and wire fit sets (each asked of
 * its whole folder), and the single-article fit sets (each article alone).
 */
function newsUnits(): NewsUnit[] {
  const folder = (dir: string) => buildKnowledge(loadKnowledgeSources(dir).sources);
  const units: NewsUnit[] = [{ set: 'news', name: 'news dev set, fit part', knowledge: folder(NEWS_DEV_DIR), cases: newsDevCases('fit').ask ?? [] }];
  for (const { set, name, dir } of FOLDER_FITS) {
    const { ask } = JSON.parse(readFileSync(join(dir, 'questions.json'), 'utf8')) as { ask: NewsCase[] };
    units.push({ set, name, knowledge: folder(join(dir, 'articles')), cases: ask });
  }
  for (const dir of SINGLE_ARTICLE_FITS) {
    const single = JSON.parse(readFileSync(join(dir, 'questions.json'), 'utf8')) as { articles: Record<string, AskCase[]> };
    for (const [file, cases] of Object.entries(single.articles)) {
      const knowledge = buildKnowledge([{ name: file, text: readFileSync(join(dir, file), 'utf8') }]);
      units.push({ set: 'single', name: file, knowledge, cases: cases.map((c) => ({ ...c, doc: file })) });
    }
  }
  return units;
}

/**
 * Each news-style knowledge with its own questions and, as off-topic ones (no answer), a share of
 * the other sets' questions and of their paragraphs' opening sentences (users also paste
 * statements): like SQuAD's off-topic questions, so the answer model also learns that a
 * news-looking question about another story has no answer here.
 */
function collectNewsStyle(): Group[] {
  const units = newsUnits();
  const openings = (k: Knowledge): NewsCase[] => k.documents.flatMap((d) => d.paragraphs.map((p) => ({ q: d.text.slice(p.sentences[0].start, p.sentences[0].end), doc: d.name })));
  const groups: Group[] = [];
  for (const unit of units) {
    const others = units.filter((u) => u.set !== unit.set).flatMap((u) => [...u.cases.filter((c) => !c.abstain), ...openings(u.knowledge)]);
    const offTopic = offTopicShare(others, unit.cases.length).map((c): NewsCase => ({ q: c.q, abstain: true, doc: c.doc }));
    for (const [i, c] of [...unit.cases, ...offTopic].entries()) {
      const meta = { answerable: !c.abstain, offTopic: i >= unit.cases.length, weight: 1, set: unit.set, article: c.doc ?? '' };
      const group = groupOf(unit.knowledge, c.q, (text) => !c.abstain && containsAny(text, c.contains), meta);
      if (group) groups.push(group);
    }
    process.stderr.write(`fit: ${unit.name}: ${unit.cases.length} questions + ${offTopic.length} off-topic\n`);
  }
  return groups;
}

function standardize(groups: Group[]): { mean: number[]; std: number[] } {
  const n = FEATURE_NAMES.length;
  const mean = new Array<number>(n).fill(0);
  const sq = new Array<number>(n).fill(0);
  let count = 0;
  for (const g of groups) for (const x of g.rows) { count++; for (let i = 0; i < n; i++) { mean[i] += x[i]; sq[i] += x[i] * x[i]; } }
  for (let i = 0; i < n; i++) mean[i] /= count;
  const std = sq.map((s, i) => Math.sqrt(Math.max(s / count - mean[i] * mean[i], 0)) || 1);
  return { mean, std };
}

/** Adam on a loss whose gradient `grad` fills; returns the weights. */
function adam(n: number, steps: number, grad: (w: Float64Array, g: Float64Array) => number, rate = 0.05): Float64Array {
  const w = new Float64Array(n);
  const m = new Float64Array(n);
  const v = new Float64Array(n);
  const g = new Float64Array(n);
  let loss = 0;
  for (let t = 1; t <= steps; t++) {
    g.fill(0);
    loss = grad(w, g);
    for (let i = 0; i < n; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      w[i] -= (rate * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  process.stderr.write(`fit: final loss ${loss.toFixed(4)}\n`);
  return w;
}

function fitRanker(groups: Group[], z: (x: readonly number[]) => Float64Array): Float64Array {
  const train = groups.filter((g) => g.answerable && g.labels.some((l) => l === 1)).map((g) => ({ rows: g.rows.map(z), labels: g.labels, weight: g.weight }));
  const totalWeight = train.reduce((sum, g) => sum + g.weight, 0);
  const n = FEATURE_NAMES.length;
  return adam(n, 300, (w, g) => {
    let loss = 0;
    for (const { rows, labels, weight } of train) {
      const s = rows.map((x) => x.reduce((acc, v, i) => acc + v * w[i], 0));
      const max = Math.max(...s);
      const e = s.map((v) => Math.exp(v - max));
      const all = e.reduce((a, b) => a + b, 0);
      const pos = e.reduce((a, b, i) => a + (labels[i] ? b : 0), 0);
      loss += weight * (Math.log(all) - Math.log(pos));
      rows.forEach((x, r) => {
        const coef = weight * (e[r] / all - (labels[r] ? e[r] / pos : 0));
        for (let i = 0; i < n; i++) g[i] += coef * x[i];
      });
    }
    for (let i = 0; i < n; i++) { g[i] = g[i] / totalWeight + L2_RANK * w[i]; loss += 0.5 * L2_RANK * w[i] * w[i] * totalWeight; }
    return loss / totalWeight;
  });
}

function fitLogistic(rows: number[][], labels: number[], weights: number[]): { bias: number; weights: number[] } {
  const n = rows[0].length;
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const w = adam(n + 1, 500, (w, g) => {
    let loss = 0;
    rows.forEach((x, r) => {
      let zz = w[n];
      for (let i = 0; i < n; i++) zz += w[i] * x[i];
      const p = 1 / (1 + Math.exp(-zz));
      loss -= weights[r] * (labels[r] ? Math.log(p + 1e-12) : Math.log(1 - p + 1e-12));
      const d = weights[r] * (p - labels[r]);
      for (let i = 0; i < n; i++) g[i] += d * x[i];
      g[n] += d;
    });
    for (let i = 0; i <= n; i++) g[i] /= totalWeight;
    for (let i = 0; i < n; i++) g[i] += L2_ANSWER * w[i];
    return loss / totalWeight;
  });
  return { bias: w[n], weights: Array.from(w.subarray(0, n)) };
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

/** The first shipped weight that differs from a fresh fit by more than rounding noise, or null. */
function driftFrom(shipped: typeof WEIGHTS, fresh: { mean: number[]; std: number[]; rank: number[]; abstain: number[]; threshold: number }): string | null {
  const close = (a: number, b: number) => Math.abs(a - b) <= 2e-3 * Math.max(1, Math.abs(a), Math.abs(b));
  const pairs: Array<[string, number[], number[]]> = [
    ['mean', shipped.mean, fresh.mean],
    ['std', shipped.std, fresh.std],
    ['rank', shipped.rank, fresh.rank],
    ['abstain', shipped.abstain.weights, fresh.abstain],
    ['threshold', [shipped.threshold], [fresh.threshold]],
  ];
  for (const [name, a, b] of pairs) {
    if (a.length !== b.length) return `${name}: ${a.length} values, the fit gives ${b.length}`;
    const i = a.findIndex((v, j) => !close(v, b[j]));
    if (i >= 0) return `${name}[${i}] ${a[i]} vs ${b[i].toFixed(4)}`;
  }
  return null;
}

interface Models {
  mean: number[];
  std: number[];
  rank: Float64Array;
  answer: { bias: number; weights: number[] };
  threshold: number;
}

/** The scorer (scorer.ts) a fitted model stands for: the engine's own functions score the fit's measurements. */
const scorerOf = (m: Pick<Models, 'mean' | 'std' | 'rank'> & { answer?: Models['answer'] }): ScorerWeights => ({
  mean: m.mean,
  std: m.std,
  rank: m.rank,
  abstain: m.answer ?? { bias: 0, weights: [] },
});

/** The answer model's inputs for each question's best candidate under the ranker of `w`. */
function bestRows(groups: Group[], w: ScorerWeights): Array<{ x: number[]; right: number }> {
  return groups.map((g) => {
    const s = g.rows.map((x) => rankScore(x, w));
    const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
    const [b, r] = order;
    return { x: answerFeatures(g.rows[b], s[b], s[r], typesFound(g.rows), w), right: g.labels[b] };
  });
}

function fitModels(groups: Group[]): Models {
  const { mean, std } = standardize(groups);
  const z = (x: readonly number[]) => Float64Array.from(x, (v, i) => (v - mean[i]) / std[i]);
  const rank = fitRanker(groups, z);
  // The answer model sees each question's best candidate, as the engine will.
  const best = bestRows(groups, scorerOf({ mean, std, rank }));
  const answer = fitLogistic(best.map((b) => b.x), best.map((b) => b.right), groups.map((g) => g.weight));
  const scorer = scorerOf({ mean, std, rank, answer });
  // The threshold counts each question with its fit weight, as the models do.
  const answerable = best.flatMap((b, i) => (groups[i].answerable ? [{ p: answerProbability(b.x, scorer), w: groups[i].weight }] : [])).sort((a, b) => b.p - a.p);
  const total = answerable.reduce((sum, a) => sum + a.w, 0);
  let kept = 0;
  // (to the three decimals of the score users see: a shown score is never below the threshold)
  const threshold = Math.floor(1000 * (answerable.find((a) => (kept += a.w) >= TARGET_ANSWERED * total)?.p ?? 0.5)) / 1000;
  return { mean, std, rank, answer, threshold };
}

/** Counts of a measurement: questions, those whose candidates hold the answer, right first, answered; unanswerable, abstained. */
interface Tally {
  answerable: number;
  reachable: number;
  rightFirst: number;
  answered: number;
  unanswerable: number;
  abstained: number;
  /** Answer probabilities of the answerable and of the unanswerable questions (for the AUC). */
  yes: number[];
  no: number[];
  /** ... and of the unanswerable questions about the article itself (near misses, not off-topic). */
  near: number[];
}
const emptyTally = (): Tally => ({ answerable: 0, reachable: 0, rightFirst: 0, answered: 0, unanswerable: 0, abstained: 0, yes: [], no: [], near: [] });

/** Share of (answerable, unanswerable) pairs the answer probability orders right, ties half. */
function auc(yes: number[], no: number[]): number {
  let wins = 0;
  for (const y of yes) for (const n of no) wins += y > n ? 1 : y === n ? 0.5 : 0;
  return wins / Math.max(1, yes.length * no.length);
}

/** Share of `no` below the probability that keeps `answered` of `yes` answered (the issue's target form). */
function abstainedAt(yes: number[], no: number[], answered: number): number {
  const sorted = [...yes].sort((a, b) => b - a);
  const threshold = sorted[Math.min(sorted.length - 1, Math.ceil(answered * sorted.length) - 1)] ?? 0;
  return no.filter((p) => p < threshold).length / Math.max(1, no.length);
}

/** Right passage first, answered and abstained counts of `groups` under fitted models. */
function measureModels(m: Models, groups: Group[]): Tally {
  const scorer = scorerOf(m);
  const best = bestRows(groups, scorer);
  const r = emptyTally();
  best.forEach((b, i) => {
    const p = answerProbability(b.x, scorer);
    if (groups[i].answerable) {
      r.answerable++;
      if (groups[i].labels.includes(1)) r.reachable++;
      r.rightFirst += b.right;
      if (p >= m.threshold) r.answered++;
      r.yes.push(p);
    } else {
      r.unanswerable++;
      r.no.push(p);
      if (!groups[i].offTopic) r.near.push(p);
      if (p < m.threshold) r.abstained++;
    }
  });
  return r;
}

/**
 * `npm run fit -- --cv`: three-fold cross-validation over whole articles of the fit data, per data
 * set. Decisions about features are made on these figures; the measure parts stay unread.
 */
function crossValidate(groups: Group[]) {
  const articles = [...new Set(groups.map((g) => `${g.set}:${g.article}`))].sort();
  const foldOf = new Map(articles.map((a, i) => [a, i % 3]));
  const totals = new Map<string, Tally>();
  for (let fold = 0; fold < 3; fold++) {
    const inFold = (g: Group) => foldOf.get(`${g.set}:${g.article}`) === fold;
    const models = fitModels(groups.filter((g) => !inFold(g)));
    for (const set of ['squad', 'news', 'single', 'brown', 'wire'] as const) {
      const held = groups.filter((g) => inFold(g) && g.set === set);
      if (!held.length) continue;
      const r = measureModels(models, held);
      const t = totals.get(set) ?? emptyTally();
      for (const k of ['answerable', 'reachable', 'rightFirst', 'answered', 'unanswerable', 'abstained'] as const) t[k] += r[k];
      t.yes.push(...r.yes);
      t.no.push(...r.no);
      t.near.push(...r.near);
      totals.set(set, t);
    }
  }
  for (const [set, t] of totals) {
    console.log(`cv ${set.padEnd(6)} right first ${pct(t.rightFirst, t.answerable)} (candidates hold it ${pct(t.reachable, t.answerable)})  answered ${pct(t.answered, t.answerable)}  abstained ${pct(t.abstained, t.unanswerable)}  AUC ${auc(t.yes, t.no).toFixed(3)}  (${t.answerable} + ${t.unanswerable})`);
    if (t.near.length) console.log(`         near misses: AUC ${auc(t.yes, t.near).toFixed(3)}, abstained at 90% answered ${(100 * abstainedAt(t.yes, t.near, 0.9)).toFixed(1)}% (${t.near.length})`);
  }
}

function main() {
  const usage = 'usage: npm run fit [-- --cv | --check]';
  const { values } = scriptArgs({ options: { cv: { type: 'boolean' }, check: { type: 'boolean' } } }, usage);
  if (values.cv && values.check) usageError('fit: --cv and --check are two different runs; give one', usage);
  if (!squadAvailable()) {
    console.log(`fit: no SQuAD tuning data at ${SQUAD_FILE} (the shared/ folder beside this checkout); nothing to fit on`);
    return;
  }
  const t0 = performance.now();
  const squad = collect();
  const news = collectNewsStyle();
  for (const g of news) g.weight = (NEWS_SHARE * squad.length) / news.length;
  const groups = [...squad, ...news];
  if (values.cv) {
    crossValidate(groups);
    return;
  }
  const { mean, std, rank, answer, threshold } = fitModels(groups);
  // In-sample figures on the SQuAD fit part, for the file header (the measure part is `npm run eval`'s).
  const onFit = measureModels({ mean, std, rank, answer, threshold }, groups.filter((g) => g.set === 'squad'));
  const top1 = onFit.rightFirst;
  const answerableCount = onFit.answerable;
  const abstained = onFit.abstained / Math.max(1, onFit.unanswerable);
  const file = join(PACKAGE_ROOT, 'src', 'engine', 'weights.ts');
  const body = `/**
 * Fitted by \`npm run fit\` (scripts/fit.ts) on the fit parts of the SQuAD 2.0 tuning set and the
 * news dev set, the single-article, Brown and wire fit sets; do not edit by hand. Feature meanings: FEATURES
 * in features.ts.
 *  - mean, std: feature standardization (x - mean) / std, for both models
 *  - rank:      the ranker's weight per standardized feature
 *  - abstain:   the answer model (logistic): per standardized feature, per standardized feature times longParagraphs, per type found (typesFound), then rankScore and margin
 *  - threshold: lowest answer probability shown (${(TARGET_ANSWERED * 100).toFixed(0)}% of the fit part's answerable questions answered)
 * On the fit part: right passage first ${((100 * top1) / answerableCount).toFixed(1)}% of ${answerableCount} answerable questions; ${(100 * abstained).toFixed(1)}% of unanswerable abstained at the threshold.
 */
export const WEIGHTS = ${JSON.stringify(
    {
      version: 1,
      fittedOn: `fit parts of SQuAD 2.0 tuning set and news dev set, single-article, Brown and wire fit sets: ${groups.length} questions`,
      features: FEATURE_NAMES,
      mean: mean.map(round),
      std: std.map(round),
      rank: Array.from(rank, round),
      abstain: { bias: round(answer.bias), weights: answer.weights.map(round) },
      threshold: round(threshold),
    },
    null,
    2,
  )};
`;
  if (values.check) {
    // The shipped weights must be what the code and data give (to rounding): no silent drift.
    const drift = driftFrom(WEIGHTS, { mean, std, rank: Array.from(rank), abstain: answer.weights, threshold });
    console.log(drift ? `fit --check: src/engine/weights.ts is stale (${drift}): run \`npm run fit\`` : 'fit --check: src/engine/weights.ts matches the code and data');
    if (drift) process.exitCode = 1;
    return;
  }
  writeFileSync(file, body);
  console.log(`fit: ${groups.length} questions; right passage first ${((100 * top1) / answerableCount).toFixed(1)}% (fit part); threshold ${threshold.toFixed(3)} abstains ${(100 * abstained).toFixed(1)}% of unanswerable; ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  console.log('rank weights:', FEATURE_NAMES.map((f, i) => `${f} ${rank[i].toFixed(2)}`).join(', '));
}

main();
