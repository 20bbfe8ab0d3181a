/**
 * Question -> the best passage (a verbatim sentence, or two of the same speaker) with its
 * speaker, or null.
 *
 * 1. Question analysis: content terms (stems; stop words out, negation kept), each with
 *    alternatives for typos (edit distance over the text's words) and paraphrase (word-vector
 *    neighbours); a named speaker (name, surname, misspelling or role phrase); the kind of
 *    question (who / when / how many / what did X say / what does the article say).
 * 2. BM25 over paragraphs, then every sentence of the best paragraphs scored by how much of the
 *    question it covers (IDF-weighted), with its neighbours and paragraph as context.
 * 3. Calibrated score = that coverage. No answer (null) below the threshold, when only one of
 *    several things asked about is matched, when the question names something the knowledge
 *    never mentions, or asks what someone said whom it never quotes.
 */
import type { Answer, QuoteView } from './types.js';
import type { Knowledge, SearchIndex } from './build.js';
import { FLAG_DATE, FLAG_NUMBER, FLAG_PLACE, FLAG_QUOTED, FLAG_REASON, termOf } from './build.js';
import { tokenize, type Token } from './nlp.js';
import { GENERIC_SPEECH_VERBS, QUESTION_WORDS, REPORTING_VERBS, ROLE_NOUNS } from './lexicon.js';
import { findSpeakerIndex } from './speakers.js';
import { editDistance, nameKey, typoBudget } from './text.js';
import { loadWordNeighbours, type WordNeighbours } from './vectors.js';

export interface AnswerOptions {
  /** Word-vector neighbours for paraphrase; default: the compact file, if built. */
  neighbours?: WordNeighbours | null;
  /** Minimum calibrated score for an answer. */
  threshold?: number;
  /** How many paragraphs BM25 hands to sentence scoring. */
  candidateParagraphs?: number;
}

export const DEFAULT_THRESHOLD = 0.5;
/** Longest question text analysed; the rest is ignored (Discord allows 6000 characters). */
export const MAX_QUESTION_CHARS = 500;

const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** Weight of a term found only in the sentence's paragraph, not the sentence itself. */
const PARAGRAPH_CONTEXT_WEIGHT = 0.3;
/** Weight of a term found in the sentence just before or after. */
const NEIGHBOUR_SENTENCE_WEIGHT = 0.5;
/** ... and in a neighbouring sentence of the same speaker, which the passage can include. */
const SAME_VOICE_NEIGHBOUR_WEIGHT = 0.8;
const TYPO_WEIGHT = 0.9;
const NEIGHBOUR_WEIGHT = 0.75;
const MAX_NEIGHBOURS = 10;
/** Extra weight factor for a verb's paraphrases. */
const VERB_NEIGHBOUR_DAMP = 0.7;
/** Paraphrases found in more than this share of paragraphs are left out of the BM25 pass. */
const COMMON_EXPANSION_SHARE = 0.05;
/** ... but never below this many paragraphs (small knowledge bases have every word in 5%). */
const COMMON_EXPANSION_MIN_DF = 200;
/** Length prior: among equally covering sentences, the shorter one is the sharper answer. */
const LENGTH_PENALTY = 0.002;
/** Weight, in the ranking, of what a sentence covers by itself (without its neighbours). */
const OWN_COVERAGE_WEIGHT = 0.3;
/** Coverage kept by a sentence that matches only one of several question words. */
const SINGLE_MATCH_FACTOR = 0.6;
/**
 * Nouns and names say what a question is about; its verbs are often paraphrased ("ask for
 * support" vs "reached out for support"), so a missing verb costs less than a missing noun.
 */
const POS_WEIGHT: Record<string, number> = { NOUN: 1, PROPN: 1, NUM: 1, ADJ: 0.9, VERB: 0.6, ADV: 0.5 };
/** Words that point at the document itself, not at its content. */
const META_WORDS = new Set(['article', 'story', 'author', 'writer', 'text', 'piece', 'report', 'document', 'news']);

let defaultNeighbours: WordNeighbours | null | undefined;
/** The word-vector neighbours from the compact file, loaded once (null when not built). */
export function defaultWordNeighbours(): WordNeighbours | null {
  if (defaultNeighbours === undefined) defaultNeighbours = loadWordNeighbours();
  return defaultNeighbours;
}

interface QueryTerm {
  text: string;
  /** IDF times the word's part-of-speech weight: how much the term counts towards coverage. */
  idf: number;
  /** Index terms that satisfy this query term, with weights in (0, 1]. */
  alts: Map<number, number>;
  /** Part of the named speaker's name: satisfied by that speaker's own sentences. */
  speakerName: boolean;
  /** Terms of one name ("Mount Everest") share a concept: together they are one thing asked about. */
  concept: number;
}

export interface QuestionAnalysis {
  terms: QueryTerm[];
  speaker: number;
  wantsSpeaker: boolean;
  wantsDate: boolean;
  /** "What does the article say ...": the article's own voice, not a quote. */
  wantsNarration: boolean;
  /** "How many / how much / how long ...": a sentence with a number. */
  wantsNumber: boolean;
  /** "Where ...": a sentence that names a place. */
  wantsPlace: boolean;
  /** "Why ...": a sentence that gives a reason. */
  wantsReason: boolean;
  /** Set when the question names something the knowledge never mentions. */
  unknownName: string | null;
}

/** Removes control characters and trims to what the engine analyses. */
export function cleanQuestion(q: string): string {
  return q
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUESTION_CHARS);
}

function idf(index: SearchIndex, term: number): number {
  const df = index.postingStart[term + 1] - index.postingStart[term];
  const n = index.paraDoc.length;
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Looks a query word up in the index vocabulary: stem, lemma or surface form. */
function lookup(index: SearchIndex, termIds: Map<string, number>, t: Token): number {
  for (const form of [t.stem, t.lemma, t.lower, t.lower.replace(/'s$/, '')]) {
    const id = termIds.get(form) ?? index.surfaceTerms.get(form);
    if (id !== undefined) return id;
  }
  return -1;
}

// Per-index lazily built lookup tables (not part of the serialised index).
const termIdCache = new WeakMap<SearchIndex, Map<string, number>>();
const bucketCache = new WeakMap<SearchIndex, Map<string, Array<[string, number]>>>();
function termIdsOf(index: SearchIndex): Map<string, number> {
  let m = termIdCache.get(index);
  if (!m) {
    m = new Map(index.terms.map((t, i) => [t, i]));
    termIdCache.set(index, m);
  }
  return m;
}
/** Words of the text (surface forms, lower case) bucketed by length and first letter, with their term. */
function termBuckets(index: SearchIndex): Map<string, Array<[string, number]>> {
  let b = bucketCache.get(index);
  if (!b) {
    b = new Map();
    for (const [word, id] of index.surfaceTerms) {
      if (!/^\p{L}+$/u.test(word)) continue;
      const key = `${word.length}:${word[0]}`;
      if (!b.has(key)) b.set(key, []);
      b.get(key)!.push([word, id]);
    }
    bucketCache.set(index, b);
  }
  return b;
}

/**
 * Index terms within the typo budget of `word`, most frequent first. Typos rarely hit the
 * first letter, so only terms that share it are compared: a few dozen, not the vocabulary.
 */
function typoCandidates(index: SearchIndex, word: string): number[] {
  const budget = typoBudget(word);
  if (!budget) return [];
  const buckets = termBuckets(index);
  const hits: Array<[number, number, number]> = [];
  for (let len = word.length - budget; len <= word.length + budget; len++) {
    for (const [surface, id] of buckets.get(`${len}:${word[0]}`) ?? []) {
      const d = editDistance(word, surface, budget);
      if (d <= budget) hits.push([id, d, index.postingStart[id + 1] - index.postingStart[id]]);
    }
  }
  hits.sort((a, b) => a[1] - b[1] || b[2] - a[2]);
  return [...new Set(hits.map((h) => h[0]))].slice(0, 2);
}

function analyzeQuestion(k: Knowledge, question: string, neighbours: WordNeighbours | null): QuestionAnalysis {
  const tokens = tokenize(question).flatMap((s) => s.tokens);
  const first = tokens.find((t) => /\p{L}/u.test(t.value));
  const wantsSpeaker = first ? ['who', 'whom', 'whose'].includes(first.lower) || /\bwho\b/i.test(question) : false;
  const wantsDate = /\bwhen\b|\bwhat (?:day|date|time|year|month)\b/i.test(question);
  const wantsNarration = tokens.some((t) => META_WORDS.has(t.lemma));
  const wantsPlace = /\bwhere\b/i.test(question);
  const wantsReason = /\bwhy\b|\bwhat (?:caused|made)\b/i.test(question);
  const wantsNumber = /\bhow (?:many|much|long|far|old|big|large|often|tall|high)\b|\bwhat (?:percentage|number|amount|share)\b/i.test(question);
  const runs = namedRuns(tokens, first);
  const { speaker, speakerWords } = speakerFocus(k, tokens, runs);
  const unquoted = unquotedPerson(k, tokens, runs, speakerWords);
  const kinds = { wantsSpeaker, wantsDate, wantsNarration, wantsNumber, wantsPlace, wantsReason };
  if (unquoted) return { terms: [], speaker: -1, ...kinds, unknownName: unquoted };
  const unknownName = unknownNameIn(k.index, runs, speakerWords);
  const terms = queryTerms(k.index, tokens, runs, speakerWords, neighbours);
  return { terms, speaker, ...kinds, unknownName };
}

/** Runs of capitalised words (not the question's first word): the names a question mentions. */
function namedRuns(tokens: Token[], first: Token | undefined): Token[][] {
  const runs: Token[][] = [];
  tokens.forEach((t, i) => {
    const capital = /^\p{Lu}/u.test(t.value) && t !== first && !QUESTION_WORDS.has(t.lower);
    if (!capital) return;
    const prev = tokens[i - 1];
    const last = runs[runs.length - 1];
    if (last && prev && last[last.length - 1] === prev) last.push(t);
    else runs.push([t]);
  });
  return runs;
}

/** A possessive ("Zianrong's words") names whose words, not who speaks. */
function isPossessive(tokens: Token[], last: Token): boolean {
  return /^['’]s$/.test(tokens[tokens.indexOf(last) + 1]?.value ?? '') || /['’]s$/.test(last.value);
}

/** The speaker the question is about: a name ("Wang Yi", "Zianrong") or a role phrase ("the spokesman"). */
function speakerFocus(k: Knowledge, tokens: Token[], runs: Token[][]): { speaker: number; speakerWords: Set<string> } {
  const index = k.index;
  const speakerWords = new Set<string>();
  for (const run of runs) {
    if (isPossessive(tokens, run[run.length - 1])) continue;
    // A name the knowledge itself uses ("Australia") is not a typo of a speaker ("Australian").
    const fuzzy = !run.every((t) => index.properNouns.has(t.lower) || index.surfaceTerms.has(t.lower));
    const s = findSpeakerIndex(k.speakers, run.map((t) => t.value).join(' '), { fuzzy });
    if (s >= 0) {
      run.forEach((t) => speakerWords.add(t.lower.replace(/['’]s$/, '')));
      return { speaker: s, speakerWords };
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!ROLE_NOUNS.has(t.lemma) || isPossessive(tokens, t)) continue;
    let from = i;
    while (from > 0 && (tokens[from - 1].pos === 'ADJ' || tokens[from - 1].pos === 'NOUN')) from--;
    if (tokens[from - 1]?.lower !== 'the') continue;
    const phrase = tokens.slice(from - 1, i + 1);
    const s = findSpeakerIndex(k.speakers, phrase.map((x) => x.value).join(' '));
    if (s >= 0) {
      phrase.forEach((x) => speakerWords.add(x.lower));
      return { speaker: s, speakerWords };
    }
  }
  return { speaker: -1, speakerWords };
}

/**
 * "What did X say?" about a person or body the knowledge never quotes: no passage is their
 * answer. Returns X, or null. A place ("China", a single word only ever seen alone) may speak
 * through its officials, so it does not count.
 */
function unquotedPerson(k: Knowledge, tokens: Token[], runs: Token[][], speakerWords: Set<string>): string | null {
  const index = k.index;
  for (const run of runs) {
    if (run.some((t) => speakerWords.has(t.lower))) continue;
    const end = tokens.indexOf(run[run.length - 1]);
    const start = tokens.indexOf(run[0]);
    const after = tokens.slice(end + 1, end + 3);
    const speaks =
      after.some((t) => REPORTING_VERBS.has(t.lemma) && t.pos === 'VERB') ||
      tokens.slice(Math.max(0, start - 2), start).map((t) => t.lower).join(' ') === 'according to' ||
      (/^['’]s$/.test(after[0]?.value ?? '') && /^(?:words?|statements?|comments?|remarks?|views?|position|quotes?)$/.test(after[1]?.lower ?? ''));
    const person = run.length > 1 || run.every((t) => index.nameWords.has(t.lower) || !index.properNouns.has(t.lower));
    const name = run.map((t) => t.value).join(' ');
    if (speaks && person && findSpeakerIndex(k.speakers, name) < 0) return name;
  }
  return null;
}

/**
 * A name the knowledge has never seen (not even within a typo), or a multi-word name whose
 * words never meet in one paragraph ("Super Bowl"): the question is about something else.
 */
function unknownNameIn(index: SearchIndex, runs: Token[][], speakerWords: Set<string>): string | null {
  const termIds = termIdsOf(index);
  const idOf = (w: string) => termIds.get(w) ?? index.surfaceTerms.get(w) ?? -1;
  const known = (w: string) => index.properNouns.has(w) || idOf(w) >= 0 || (w.length >= 5 && typoCandidates(index, w).length > 0);
  for (const run of runs) {
    if (run.some((t) => speakerWords.has(t.lower))) continue;
    const words = run.map((t) => t.lower.replace(/['’]s$/, '')).filter((w) => /\p{L}/u.test(w));
    if ((words.length && !words.some(known)) || (words.length > 1 && !coOccur(index, words.map(idOf)))) {
      return run.map((t) => t.value).join(' ');
    }
  }
  return null;
}

/** The question's content words, each with the index terms that satisfy it (typos, paraphrases). */
function queryTerms(index: SearchIndex, tokens: Token[], runs: Token[][], speakerWords: Set<string>, neighbours: WordNeighbours | null): QueryTerm[] {
  const termIds = termIdsOf(index);
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (QUESTION_WORDS.has(t.lower) || GENERIC_SPEECH_VERBS.has(t.lemma) || META_WORDS.has(t.lemma)) continue;
    const base = termOf(t);
    if (base === null || seen.has(base)) continue;
    seen.add(base);
    const alts = new Map<number, number>();
    const id = lookup(index, termIds, t);
    if (id >= 0) alts.set(id, 1);
    else if (!neighbours?.has(t.lower)) {
      // Not in the text and not an English word the vectors know: most likely a typo.
      for (const c of typoCandidates(index, t.lower)) alts.set(c, TYPO_WEIGHT);
    }
    // Names are not paraphrased ("China" is not "Beijing"); a word the text has already gets
    // its neighbours at half weight, as weaker evidence than its own matches.
    if (neighbours && t.pos !== 'PROPN' && !/^\p{Lu}/u.test(t.value)) {
      // Verbs' neighbours are looser than nouns' in these vectors ("held" ~ "continued", "able").
      const damp = (id >= 0 ? 0.5 : 1) * (t.pos === 'VERB' || t.pos === 'AUX' ? VERB_NEIGHBOUR_DAMP : 1);
      let added = 0;
      for (const form of new Set([t.lower, t.lemma])) {
        for (const n of neighbours.neighbours(form)) {
          const nid = termIds.get(n.word) ?? index.surfaceTerms.get(n.word);
          if (nid === undefined || alts.has(nid)) continue;
          alts.set(nid, NEIGHBOUR_WEIGHT * n.similarity * damp);
          if (++added >= MAX_NEIGHBOURS) break;
        }
      }
    }
    // A word the index has never seen still counts against coverage, at a typical IDF.
    const weights = [...alts.keys()].map((a) => idf(index, a));
    const termIdf = id >= 0 ? idf(index, id) : Math.max(Math.log(1 + index.paraDoc.length / 2), ...weights);
    const run = runs.findIndex((r) => r.includes(t));
    terms.push({
      text: t.lower,
      idf: termIdf * (POS_WEIGHT[t.pos] ?? 0.7),
      alts,
      speakerName: speakerWords.has(t.lower.replace(/['’]s$/, '')),
      concept: run >= 0 ? -1 - run : terms.length,
    });
  }
  return terms;
}

/** Do all of these terms occur together in at least one paragraph? */
function coOccur(index: SearchIndex, ids: number[]): boolean {
  if (ids.some((id) => id < 0)) return false;
  let common: Set<number> | null = null;
  for (const id of ids) {
    const next = new Set<number>();
    for (let i = index.postingStart[id]; i < index.postingStart[id + 1]; i++) {
      const p = index.postingPara[i];
      if (!common || common.has(p)) next.add(p);
    }
    common = next;
    if (!common.size) return false;
  }
  return true;
}

interface Scored {
  sentence: number;
  /** The passage: global sentences from..to (the sentence, or a window around it). */
  from: number;
  to: number;
  paragraph: number;
  coverage: number;
  rank: number;
}

/** Scores candidate sentences; best first. */
function rankSentences(k: Knowledge, a: QuestionAnalysis, candidates: number): Scored[] {
  const index = k.index;
  const n = index.paraDoc.length;
  const scores = scratchScores(n);
  const touched: number[] = [];
  const avg = index.avgParaLength || 1;
  const add = (p: number, v: number) => {
    if (scores[p] === 0) touched.push(p);
    scores[p] += v;
  };
  for (const q of a.terms) {
    for (const [term, weight] of q.alts) {
      const df = index.postingStart[term + 1] - index.postingStart[term];
      // A common paraphrase adds little but costs a long postings walk; sentence scoring still sees it.
      if (weight < 1 && df > Math.max(COMMON_EXPANSION_MIN_DF, COMMON_EXPANSION_SHARE * n)) continue;
      const w = idf(index, term) * weight;
      for (let i = index.postingStart[term]; i < index.postingStart[term + 1]; i++) {
        const p = index.postingPara[i];
        const tf = index.postingTf[i];
        const norm = tf + BM25_K1 * (1 - BM25_B + (BM25_B * index.paraLength[p]) / avg);
        add(p, (w * tf * (BM25_K1 + 1)) / norm);
      }
    }
  }
  // A named speaker's own paragraphs are candidates even when no other word matches.
  if (a.speaker >= 0) {
    for (const qi of k.speakers[a.speaker].quotes) {
      const q = k.quotes[qi];
      add(globalParagraph(index, q.doc, q.paragraph), 1);
    }
  }
  const top = topK(touched, scores, candidates);
  for (const p of touched) scores[p] = 0; // leave the scratch buffer clean for the next query
  const best = top.length ? top[0][1] : 1;
  const totalIdf = a.terms.reduce((s, q) => s + q.idf, 0);
  const concepts = new Set(a.terms.map((q) => q.concept)).size;

  // Which query terms each index term satisfies, and how well.
  const satisfies = new Map<number, Array<[number, number]>>();
  a.terms.forEach((q, qi) => {
    for (const [term, weight] of q.alts) {
      if (!satisfies.has(term)) satisfies.set(term, []);
      satisfies.get(term)!.push([qi, weight]);
    }
  });
  const inSentence = new Float64Array(a.terms.length);
  const inParagraph = new Float64Array(a.terms.length);
  const inNeighbours = new Float64Array(a.terms.length);
  const inNext = new Float64Array(a.terms.length);
  const collect = (from: number, to: number, into: Float64Array) => {
    into.fill(0);
    for (let i = from; i < to; i++) {
      const hits = satisfies.get(index.sentTerms[i]);
      if (hits) for (const [qi, w] of hits) if (w > into[qi]) into[qi] = w;
    }
  };

  const scored: Scored[] = [];
  for (const [p, pScore] of top) {
    collect(index.sentTermStart[index.paraSentStart[p]], index.sentTermStart[index.paraSentStart[p + 1]], inParagraph);
    const first = index.paraSentStart[p];
    const end = index.paraSentStart[p + 1];
    for (let s = first; s < end; s++) {
      collect(index.sentTermStart[s], index.sentTermStart[s + 1], inSentence);
      // The sentences just before and after: "... stoppage," she said. "It will last as long as ..."
      collect(index.sentTermStart[Math.max(first, s - 1)], index.sentTermStart[s], inNeighbours);
      collect(index.sentTermStart[s + 1], index.sentTermStart[Math.min(end, s + 2)], inNext);
      const bySpeaker = a.speaker >= 0 && index.sentSpeaker[s] === a.speaker;
      let covered = 0;
      let ownCovered = 0;
      const matched = new Set<number>();
      let withPrevious = false;
      let withNext = false;
      // A neighbour in the same voice can join the passage, so its words count almost fully;
      // another voice's sentence is only context.
      // (Unattributed quoted words are someone's, not the article's: not the same voice as narration.)
      const narration = (o: number) => index.sentSpeaker[o] < 0 && !(index.sentFlags[o] & FLAG_QUOTED);
      const sameVoice = (o: number) =>
        o >= first && o < end && index.sentSpeaker[o] === index.sentSpeaker[s] && (index.sentSpeaker[s] >= 0 || (narration(o) && narration(s)));
      const previousWeight = sameVoice(s - 1) ? SAME_VOICE_NEIGHBOUR_WEIGHT : NEIGHBOUR_SENTENCE_WEIGHT;
      const nextWeight = sameVoice(s + 1) ? SAME_VOICE_NEIGHBOUR_WEIGHT : NEIGHBOUR_SENTENCE_WEIGHT;
      a.terms.forEach((q, qi) => {
        const fromPrevious = inNeighbours[qi] * previousWeight;
        const fromNext = inNext[qi] * nextWeight;
        let m = Math.max(inSentence[qi], fromPrevious, fromNext, inParagraph[qi] * PARAGRAPH_CONTEXT_WEIGHT);
        // A word only the next or previous sentence has widens the passage to include it.
        if (m > inSentence[qi] && m === fromPrevious) withPrevious = true;
        else if (m > inSentence[qi] && m === fromNext) withNext = true;
        // "the mayor warned" is a sentence whose speaker is the mayor, even if it says "She warned".
        const spokenBy = q.speakerName ? bySpeaker : index.sentSpeaker[s] >= 0 && speakerWords(k, index.sentSpeaker[s]).has(q.text);
        if (spokenBy) m = 1;
        covered += q.idf * m;
        // (weak paraphrases are noise at this level: only exact words, typos and close synonyms)
        ownCovered += q.idf * (spokenBy ? 1 : inSentence[qi] >= 0.5 ? inSentence[qi] : 0);
        // Matched means in the sentence itself (or by its speaker), not only next to it.
        if (Math.max(inSentence[qi], fromPrevious, fromNext) >= SAME_VOICE_NEIGHBOUR_WEIGHT * 0.7 || spokenBy) matched.add(q.concept);
      });
      let coverage = totalIdf > 0 ? covered / totalIdf : bySpeaker ? 1 : 0;
      // One rare word is not an answer to a question about two things ("the capital of
      // Australia" is not any sentence that mentions Australia).
      if (matched.size < Math.min(2, concepts)) coverage *= SINGLE_MATCH_FACTOR;
      if (a.speaker >= 0 && !bySpeaker) coverage *= 0.8;
      // Ranked mostly by coverage with context, then by what the sentence covers on its own: of two
      // neighbours that together answer, the one holding the rarer words leads.
      const own = totalIdf > 0 ? ownCovered / totalIdf : 0;
      let rank = coverage + OWN_COVERAGE_WEIGHT * own + 0.15 * (pScore / best);
      // A speaker's statements in reading order, when nothing else separates them.
      if (bySpeaker) rank += 0.2 - 0.03 * Math.min(5, quoteOrdinal(k, a.speaker, index.sentQuote[s]));
      if (a.wantsSpeaker && index.sentSpeaker[s] >= 0) rank += 0.1;
      if (a.wantsDate && index.sentFlags[s] & FLAG_DATE) rank += 0.1;
      if (a.wantsNumber && index.sentFlags[s] & FLAG_NUMBER) rank += 0.1;
      if (a.wantsPlace && index.sentFlags[s] & FLAG_PLACE) rank += 0.1;
      if (a.wantsReason && index.sentFlags[s] & FLAG_REASON) rank += 0.1;
      if (a.wantsNarration && index.sentSpeaker[s] < 0 && !(index.sentFlags[s] & FLAG_QUOTED)) rank += 0.1;
      // Earlier statements of a speaker first, when nothing else separates them.
      rank -= 0.001 * (s - index.paraSentStart[p]);
      rank -= LENGTH_PENALTY * (index.sentTermStart[s + 1] - index.sentTermStart[s]);
      // Widen only into a sentence of the same voice: a window must not put words in another's mouth.
      const from = withPrevious && sameVoice(s - 1) ? s - 1 : s;
      const to = withNext && sameVoice(s + 1) ? s + 1 : s;
      scored.push({ sentence: s, paragraph: p, coverage: Math.min(1, coverage), rank, from, to });
    }
  }
  scored.sort((x, y) => y.rank - x.rank);
  return scored;
}

const speakerWordCache = new WeakMap<Knowledge, Map<number, Set<string>>>();
/** Lower-case words of a speaker's name, aliases and role. */
function speakerWords(k: Knowledge, speaker: number): Set<string> {
  let bySpeaker = speakerWordCache.get(k);
  if (!bySpeaker) speakerWordCache.set(k, (bySpeaker = new Map()));
  let words = bySpeaker.get(speaker);
  if (!words) {
    const s = k.speakers[speaker];
    words = new Set([s.name, s.role ?? '', ...s.aliases].flatMap((x) => x.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean));
    bySpeaker.set(speaker, words);
  }
  return words;
}

/** Position of quote `q` among its speaker's quotes (0 = first). */
function quoteOrdinal(k: Knowledge, speaker: number, q: number): number {
  const i = k.speakers[speaker].quotes.indexOf(q);
  return i < 0 ? 0 : i;
}

let scratch = new Float64Array(0);
/** A zeroed score buffer for `n` paragraphs, reused across queries (callers re-zero what they touch). */
function scratchScores(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n);
  return scratch;
}

/** The `k` best of `ids` by score, best first, as [id, score] pairs (a bounded min-heap). */
function topK(ids: number[], scores: Float64Array, k: number): Array<[number, number]> {
  const heap: number[] = [];
  const less = (x: number, y: number) => scores[x] < scores[y];
  for (const id of ids) {
    if (heap.length < k) {
      heap.push(id);
      for (let c = heap.length - 1; c > 0; ) {
        const parent = (c - 1) >> 1;
        if (!less(heap[c], heap[parent])) break;
        [heap[c], heap[parent]] = [heap[parent], heap[c]];
        c = parent;
      }
    } else if (less(heap[0], id)) {
      heap[0] = id;
      for (let c = 0; ; ) {
        const l = 2 * c + 1;
        const r = l + 1;
        let m = c;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === c) break;
        [heap[c], heap[m]] = [heap[m], heap[c]];
        c = m;
      }
    }
  }
  return heap.sort((x, y) => scores[y] - scores[x]).map((id) => [id, scores[id]]);
}


const paraStartCache = new WeakMap<SearchIndex, Int32Array>();
/** Global paragraph id of paragraph `p` of document `d`. */
function globalParagraph(index: SearchIndex, d: number, p: number): number {
  let starts = paraStartCache.get(index);
  if (!starts) {
    const docs = index.paraDoc.length ? index.paraDoc[index.paraDoc.length - 1] + 1 : 0;
    starts = new Int32Array(docs + 1).fill(-1);
    for (let g = index.paraDoc.length - 1; g >= 0; g--) starts[index.paraDoc[g]] = g;
    paraStartCache.set(index, starts);
  }
  return starts[d] + p;
}

function toAnswer(k: Knowledge, s: Scored): Answer {
  const index = k.index;
  const doc = k.documents[index.paraDoc[s.paragraph]];
  const para = doc.paragraphs[index.paraIndex[s.paragraph]];
  const start = para.sentences[index.sentIndex[s.from]].start;
  const end = para.sentences[index.sentIndex[s.to]].end;
  const speaker = index.sentSpeaker[s.sentence];
  return {
    passage: doc.text.slice(start, end),
    speaker: speaker >= 0 ? k.speakers[speaker].name : null,
    role: speaker >= 0 ? k.speakers[speaker].role : null,
    document: doc.name,
    section: para.section >= 0 ? doc.sections[para.section] : null,
    paragraph: para.number,
    score: Math.round(s.coverage * 1000) / 1000,
    start,
    end,
  };
}

/** The best answers, most confident first; empty when nothing clears the threshold. */
export function rankAnswers(k: Knowledge, question: string, limit = 3, opts: AnswerOptions = {}): Answer[] {
  const q = cleanQuestion(question);
  if (!/[\p{L}\p{N}]/u.test(q)) return [];
  const neighbours = opts.neighbours === undefined ? defaultWordNeighbours() : opts.neighbours;
  const analysis = analyzeQuestion(k, q, neighbours);
  if (analysis.unknownName || (!analysis.terms.length && analysis.speaker < 0)) return [];
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  // Each passage once: a sentence ranked alone and again inside a neighbour's window is one answer.
  const chosen: Scored[] = [];
  for (const s of rankSentences(k, analysis, opts.candidateParagraphs ?? 30)) {
    if (chosen.length >= limit) break;
    if (s.coverage >= threshold && !chosen.some((c) => c.paragraph === s.paragraph && c.from <= s.to && s.from <= c.to)) chosen.push(s);
  }
  return chosen.map((s) => toAnswer(k, s));
}

/** The best answer, or null when the knowledge has no confident answer. */
export function answerQuestion(k: Knowledge, question: string, opts: AnswerOptions = {}): Answer | null {
  return rankAnswers(k, question, 1, opts)[0] ?? null;
}

/** The quotes of the speaker a user names (by name, alias, surname, typo or role). */
export function quotesOf(k: Knowledge, speakerQuery: string): { speaker: number; quotes: QuoteView[] } {
  const s = findSpeakerIndex(k.speakers, speakerQuery);
  if (s < 0) return { speaker: -1, quotes: [] };
  const quotes = k.speakers[s].quotes.map((qi) => {
    const q = k.quotes[qi];
    const doc = k.documents[q.doc];
    const para = doc.paragraphs[q.paragraph];
    const sentence = para.sentences[q.sentence];
    const last = para.sentences.find((x) => x.end >= q.end) ?? sentence;
    return {
      text: doc.text.slice(q.start, q.end),
      passage: doc.text.slice(sentence.start, Math.max(sentence.end, last.end)),
      kind: q.kind,
      document: doc.name,
      section: para.section >= 0 ? doc.sections[para.section] : null,
      paragraph: para.number,
    };
  });
  return { speaker: s, quotes };
}

/** Speakers whose name or alias starts with or contains `prefix` (autocomplete). */
export function suggestSpeakers(k: Knowledge, prefix: string, limit = 25): number[] {
  const p = nameKey(prefix);
  const scored = k.speakers.map((s, i) => {
    const keys = [s.name, ...s.aliases].map(nameKey);
    let score = 0;
    if (!p) score = 1 + s.quotes.length / 1000;
    else if (keys.some((key) => key.startsWith(p))) score = 3;
    else if (keys.some((key) => key.split(' ').some((w) => w.startsWith(p)))) score = 2;
    else if (keys.some((key) => key.includes(p))) score = 1.5;
    else if (p.length >= 3 && keys.some((key) => key.split(' ').some((w) => editDistance(p, w.slice(0, p.length + 1), 1) <= 1))) score = 1;
    return { i, score: score + s.quotes.length / 1e4 };
  });
  return scored
    .filter((s) => s.score >= 1)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map((s) => s.i);
}
