/**
 * Question -> the best passages (verbatim sentences) with their speakers, or none.
 *
 *   question.ts   what the question asks about and what kind of answer it wants
 *   retrieve.ts   BM25 over paragraphs: the candidate paragraphs
 *   features.ts   every sentence of those paragraphs as a candidate passage, with its features
 *   scorer.ts     the fitted ranker and answer probability (weights.ts, from `npm run fit`)
 *   abstain.ts    when there is no answer
 */
import type { Answer } from './types.js';
import type { Knowledge } from './build.js';
import { analyzeQuestion, cleanQuestion } from './question.js';
import { candidatesFor, canFollow, LONG_PARAGRAPHS_FEATURE, type Candidate } from './features.js';
import { answerFeatures, answerProbability, DEFAULT_THRESHOLD, rankScore, typesFound } from './scorer.js';
import { abstainBeforeRanking, confidentEnough, DEFAULT_ABSTAIN_RULES, type AbstainRules } from './abstain.js';
import type { WordNeighbours } from './vectors.js';
import type { WordVectors } from './word-vectors.js';
import type { Antonyms } from './antonyms.js';
import type { Synonyms } from './synonyms.js';
import { defaultAntonyms, defaultSynonyms, defaultWordNeighbours, defaultWordVectors } from './word-data.js';

export interface AnswerOptions {
  /** Word-vector neighbours for paraphrase; default: the compact file, if built. */
  neighbours?: WordNeighbours | null;
  /** Quantized word vectors for meaning-level matching; default: the compact file, if built. */
  vectors?: WordVectors | null;
  /** Word opposites, never paraphrases; default: the WordNet file, if built. */
  antonyms?: Antonyms | null;
  /** Word synonyms, paraphrases; default: the WordNet file, if built. */
  synonyms?: Synonyms | null;
  /** Minimum answer probability (default: the fitted threshold). */
  threshold?: number;
  /** Question-level abstain rules (default: all on). */
  rules?: AbstainRules;
}

/** Most passages ever shown for one question (the answer and the "More" pages). */
const MAX_SHOWN = 10;

export interface RankedCandidate {
  candidate: Candidate;
  /** Ranker score (relative within the question). */
  score: number;
  /** Probability that this passage answers the question (0 beyond the first MAX_SHOWN). */
  probability: number;
}

/**
 * Every candidate passage of a question, best first, each with its answer probability; null
 * when a question-level rule abstains. (Used by the fit and eval scripts; rankAnswers filters.)
 */
export function scoreCandidates(k: Knowledge, question: string, opts: AnswerOptions = {}): RankedCandidate[] | null {
  const ranked = questionCandidates(k, question, opts)
    ?.map((candidate) => ({ candidate, score: rankScore(candidate.x), probability: 0 }))
    .sort((x, y) => y.score - x.score);
  if (!ranked) return null;
  // Only the passages that can be shown need a probability.
  const found = typesFound(ranked.map((r) => r.candidate.x));
  ranked.slice(0, MAX_SHOWN).forEach((r, i) => (r.probability = answerProbability(answerFeatures(r.candidate.x, r.score, ranked[i + 1]?.score, found))));
  return ranked;
}

/** A question's candidate passages with their features, unscored; null when a question-level rule abstains. */
export function questionCandidates(k: Knowledge, question: string, opts: AnswerOptions = {}): Candidate[] | null {
  const q = cleanQuestion(question);
  if (!/[\p{L}\p{N}]/u.test(q)) return null;
  const neighbours = opts.neighbours === undefined ? defaultWordNeighbours() : opts.neighbours;
  const vectors = opts.vectors === undefined ? defaultWordVectors() : opts.vectors;
  const antonyms = opts.antonyms === undefined ? defaultAntonyms() : opts.antonyms;
  const synonyms = opts.synonyms === undefined ? defaultSynonyms() : opts.synonyms;
  const analysis = analyzeQuestion(k, q, { neighbours, vectors, antonyms, synonyms });
  if (abstainBeforeRanking(analysis, opts.rules ?? DEFAULT_ABSTAIN_RULES)) return null;
  return candidatesFor(k, analysis, vectors);
}

/** How many questions warmUpQuestions gives at most. */
export const WARM_UP_QUESTIONS = 300;

/**
 * Questions to warm a fresh process with: the first sentences of paragraphs spread evenly over the
 * knowledge. A process's first few hundred questions run about twice as slow as later ones (code
 * not yet compiled, lookup tables built on first use); asking these before users do pays that once.
 */
export function warmUpQuestions(k: Knowledge, count = WARM_UP_QUESTIONS): string[] {
  const index = k.index;
  const paragraphs = index.paraDoc.length;
  const n = Math.min(count, paragraphs);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = Math.floor((i * paragraphs) / n);
    const first = index.paraSentStart[p];
    if (first < index.paraSentStart[p + 1]) out.push(passageOf(k, { paragraph: p, from: first, to: first }).text);
  }
  return out;
}

/**
 * Rank-score gap (the ranker's log-odds) within which the best sentence's neighbour is shown with
 * it (shownCandidate). Chosen by cross-validation on the fit sets (gaps 0.25 to 1.5).
 */
const NEAR_TIE = 1;

/**
 * The passage shown for the best-ranked candidate. In a news-style document (short paragraphs:
 * longParagraphs under a half), when the best-ranked sentence next to it, also across a paragraph
 * break, scores within NEAR_TIE of it and can follow it (the same voice, or narration), the two
 * together: the evidence does not single out one of them ("Second grand prize went to Mrs.
 * Oliver for her Hawaiian coffee ring." / "She lives in Wellsville, Mo."). Otherwise the best.
 */
export function shownCandidate(k: Knowledge, ranked: RankedCandidate[]): Candidate {
  const best = ranked[0].candidate;
  if (best.from !== best.to || best.x[LONG_PARAGRAPHS_FEATURE] >= 0.5) return best;
  const index = k.index;
  const doc = index.paraDoc[best.paragraph];
  // The best-ranked other passage that touches it.
  const neighbour = ranked.find((r, i) => i > 0 && index.paraDoc[r.candidate.paragraph] === doc && r.candidate.from <= best.to + 1 && r.candidate.to >= best.from - 1 && !(r.candidate.from >= best.from && r.candidate.to <= best.to));
  if (!neighbour || ranked[0].score - neighbour.score > NEAR_TIE) return best;
  const n = neighbour.candidate;
  if (n.from !== n.to || !canFollow(index, best.sentence, n.sentence)) return best;
  return n.from < best.from ? { ...best, from: n.from, paragraph: n.paragraph } : { ...best, to: n.to };
}

/** The best answers, most confident first; empty when nothing is confident enough. */
export function rankAnswers(k: Knowledge, question: string, limit = 3, opts: AnswerOptions = {}): Answer[] {
  const ranked = scoreCandidates(k, question, opts);
  if (!ranked?.length) return [];
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  if (!confidentEnough(ranked[0].probability, threshold)) return [];
  // Each passage once: a sentence ranked alone and again inside a neighbour's window is one answer.
  const chosen: RankedCandidate[] = [{ ...ranked[0], candidate: shownCandidate(k, ranked) }];
  for (const r of ranked.slice(1)) {
    if (chosen.length >= limit) break;
    const c = r.candidate;
    if (!confidentEnough(r.probability, threshold)) continue;
    if (!chosen.some((o) => o.candidate.from <= c.to && c.from <= o.candidate.to)) chosen.push(r);
  }
  return chosen.map((r) => toAnswer(k, r));
}

/** The best answer, or null when the knowledge has no confident answer. */
export function answerQuestion(k: Knowledge, question: string, opts: AnswerOptions = {}): Answer | null {
  return rankAnswers(k, question, 1, opts)[0] ?? null;
}

/** The passage a candidate stands for, as an exact slice of its document (its last sentence may open the next paragraph). */
export function passageOf(k: Knowledge, c: Pick<Candidate, 'paragraph' | 'from' | 'to'>): { text: string; start: number; end: number } {
  const index = k.index;
  const doc = k.documents[index.paraDoc[c.paragraph]];
  let last = c.paragraph;
  while (c.to >= index.paraSentStart[last + 1]) last++;
  const start = doc.paragraphs[index.paraIndex[c.paragraph]].sentences[index.sentIndex[c.from]].start;
  const end = doc.paragraphs[index.paraIndex[last]].sentences[index.sentIndex[c.to]].end;
  return { text: doc.text.slice(start, end), start, end };
}

/**
 * Who speaks in a passage: its sentences' one speaker. A passage that joins a statement and the
 * article's narration (features.ts, `canJoin`) is the article's when its text names the speaker
 * ("Owusu said she had voted for the first time. She sells tomatoes ..."): the narration is not
 * theirs. When it only says "she said", the statement's speaker is named, or nobody would be; and
 * when the question asks what that speaker said ("What did Freeman say ..."), it is theirs.
 */
function passageSpeaker(k: Knowledge, c: Candidate, text: string): number {
  const speaker = k.index.sentSpeaker[c.sentence];
  let mixed = false;
  for (let i = c.from; i <= c.to; i++) if (k.index.sentSpeaker[i] !== speaker) mixed = true;
  if (!mixed || speaker < 0 || c.asksItsSpeaker) return speaker;
  const { name, aliases } = k.speakers[speaker];
  return [name, ...aliases].some((n) => text.includes(n)) ? -1 : speaker;
}

function toAnswer(k: Knowledge, r: RankedCandidate): Answer {
  const index = k.index;
  const c = r.candidate;
  const doc = k.documents[index.paraDoc[c.paragraph]];
  const para = doc.paragraphs[index.paraIndex[c.paragraph]];
  const { text, start, end } = passageOf(k, c);
  const speaker = passageSpeaker(k, c, text);
  return {
    passage: text,
    speaker: speaker >= 0 ? k.speakers[speaker].name : null,
    role: speaker >= 0 ? k.speakers[speaker].role : null,
    document: doc.name,
    section: para.section >= 0 ? doc.sections[para.section] : null,
    paragraph: para.number,
    score: Math.round(r.probability * 1000) / 1000,
    start,
    end,
  };
}
