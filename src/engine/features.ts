/**
 * Candidate passages and the features that describe how well each answers a question.
 *
 * A candidate is a sentence of one of the paragraphs BM25 ranks best; its passage is that
 * sentence, widened to the next or previous sentence of the same voice or of the article's own voice
 * (narration: "She sells tomatoes" after a trader's statement) only when that sentence
 * holds a question word the first one lacks (one sentence unless the second is needed). The
 * sentences next to it, even across a paragraph break, are its context: news paragraphs are a
 * sentence or two, and "She lives in Wellsville" is about the woman named just before.
 * Features are plain numbers, roughly in [0, 1] or log-scaled; the fitted scorer (scorer.ts)
 * weighs them. Their meaning is documented once, in FEATURES.
 */
import type { Knowledge, SearchIndex } from './build.js';
import { DATE_WORD, FLAG_ASKS, FLAG_DATE, FLAG_NEGATED, FLAG_NUMBER, FLAG_PLACE, FLAG_QUOTED, FLAG_REASON } from './build.js';
import type { QuestionAnalysis } from './question.js';
import { bestParagraphs, bm25 as bm25Weight, globalParagraph, surfaceOfTerms } from './retrieve.js';
import type { WordVectors } from './word-vectors.js';

/** Every feature, in vector order, with what it measures. */
export const FEATURES = {
  coverExact: 'share of the question (IDF-weighted) whose own words or stems are in the sentence',
  coverSoft: '... counting typos, places and word-vector neighbours at their weights',
  coverMeaning: '... each question word aligned to its most similar sentence word by vector cosine (in the best paragraphs)',
  coverContext: '... in the sentence or the sentence next to it, also across a paragraph break (a neighbour that could join the passage counts more)',
  coverParagraph: '... anywhere in the paragraph',
  evidence: 'log(1 + IDF mass of the question matched in the sentence): absolute, not a share',
  missingMax: 'the largest IDF share of a question word matched nowhere near the sentence',
  missingSpecific: 'a name or number of the question is nowhere in the paragraph',
  concepts: 'share of the distinct things asked about that the sentence (or its speaker) matches',
  bigrams: 'share of adjacent question-word pairs that stand within three words in the sentence',
  order: 'share of pairs of question words found in the sentence that stand there in the question\u2019s order',
  paragraphScore: 'BM25 of the paragraph relative to the best paragraph',
  paragraphRank: 'log(1 + rank of the paragraph among BM25 candidates)',
  novelty: 'share of the sentence words that are not question words (an answer adds something)',
  length: 'log(1 + content words in the passage)',
  window: 'the passage is two sentences',
  typeDate: 'a when-question and the sentence has a date',
  typeNumber: 'a how-many/much question and the sentence has a number',
  typePlace: 'a where-question and the sentence names a place',
  typeReason: 'a why-question and the sentence gives a reason',
  typePerson: 'a who-question and the sentence is attributed or names a person the question does not',
  typeUnmet: 'the question wants a date/number/place/reason/person and the sentence has none',
  speakerMatch: 'the question names a speaker and the sentence is theirs',
  speakerOther: 'the question names a speaker and the sentence is not theirs',
  narration: 'the question asks what the article says and the sentence is narration',
  attributed: 'the sentence is somebody\u2019s statement',
  firstSentence: 'the sentence opens its paragraph',
  coverGap: 'coverSoft minus the best coverSoft among all candidates (<= 0)',
  unknownName: 'the question names something the knowledge never mentions',
  unquotedPerson: 'the question asks what someone said whom the knowledge never quotes',
  questionTerms: 'log(1 + content words in the question)',
  coverGeneral: 'share of the question matched in the sentence, words weighted by their rarity in general English (not in this knowledge)',
  generalEvidence: 'the general-English rarity of the question words matched in the sentence, summed (not a share: one common word is little evidence)',
  unmatched: 'log(1 + question words matched neither in the sentence, its neighbours nor by meaning)',
  missingSpecificNear: 'a name or number of the question is not in the sentence or its neighbours',
  negationMismatch: 'one of question and sentence is negated and the other not',
  whWhat: 'the question asks what/which',
  whWho: 'the question asks who',
  whHow: 'the question asks how (many, much, ...)',
  whOther: 'the question has no wh-word (yes/no or a statement)',
  coverLocal: 'share of the question matched in the sentence, words weighted by their IDF within the sentence\u2019s own document (its topic words count little)',
  coverLocalContext: '... in the sentence or the sentence next to it',
  coverDocument: 'share of the question (IDF-weighted) whose words, typos or places occur anywhere in the candidate\u2019s document',
  sentenceBm25: 'BM25 of the sentence alone (paragraph IDF, sentence length) relative to the best candidate',
  absent: 'share of the question (general rarity) that the knowledge never uses, not even as a typo or paraphrase',
  absentNear: 'share of the question (general rarity) matched lexically neither in the sentence, its neighbours nor its paragraph',
  lexicalMissing: 'the largest general rarity of a question word with no lexical match (word, stem, typo) in the sentence or its neighbours',
  countedNumber: 'a how-many question, and the passage has a number just before the thing counted ("its 78 buses")',
  antonym: 'the sentence holds the opposite of a question word it lacks ("largest" asked, "smallest" there)',
  numberSwap: 'a number of the question is not in the sentence, which has another number ("12 academies" asked, "16 academies" there)',
  lead: 'the sentence is in its document\u2019s first paragraph (a news lead sums up the story: it shares the topic words of most questions)',
  asks: 'the sentence is itself a question (what answers it comes after it)',
  typeKind: 'a which/what-noun question ("Which instrument ...") and the sentence has another word close in meaning to that noun ("violin"): the best cosine',
  longParagraphs: 'how far the sentence\u2019s document runs in long paragraphs, from 0 (news: LONG_PARAGRAPHS.from sentences a paragraph or fewer) to 1 (encyclopedic prose: LONG_PARAGRAPHS.to or more); the answer model weighs every feature a second time by it',
} as const;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];
const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;
/** The features that say a candidate holds what the question asks for, as indexes into a feature vector. */
export const TYPE_FEATURES: readonly number[] = [F.typeDate, F.typeNumber, F.typePlace, F.typeReason, F.typePerson];
/** Index of longParagraphs in a feature vector. */
export const LONG_PARAGRAPHS_FEATURE = F.longParagraphs;

/**
 * Mean sentences per paragraph at which a document starts to count as written in long paragraphs,
 * and at which it fully does (the longParagraphs feature ramps between them). News paragraphs run one
 * to three sentences, SQuAD's Wikipedia ones about five; a question is asked differently of each,
 * so the answer model keeps a second set of weights for long-paragraph prose (scorer.ts). Chosen by
 * three-fold cross-validation on the fit data among steps at 3.5 and 4 and ramps 2.5-4.5 and 3-5.
 */
const LONG_PARAGRAPHS = { from: 2.5, to: 4.5 };

/** Paragraphs BM25 hands to candidate scoring. */
const CANDIDATE_PARAGRAPHS = 15;
/**
 * Word-by-word meaning alignment (the costly feature) runs on the sentences of this many best
 * paragraphs. Three rather than five: the same cross-validated and measured quality (all sets
 * within a question or two), and the slowest questions at Brown scale about 15% faster.
 */
const MEANING_PARAGRAPHS = 3;
/** A neighbour's word counts this much towards the sentence (another person's statement is only context)... */
const NEIGHBOUR_WEIGHT = 0.5;
/** ... and this much from a neighbour that could join the passage (the same voice, or narration). */
const JOINABLE_NEIGHBOUR_WEIGHT = 0.8;
/** A question word whose best sentence word is at least this similar counts as matched in meaning. */
const MEANING_FLOOR = 0.45;

export interface Candidate {
  /** Global sentence id, and the passage as global sentences from..to. */
  sentence: number;
  from: number;
  to: number;
  paragraph: number;
  /** The question asks what this sentence's speaker said: the passage stays theirs even when it joins narration (answer.ts). */
  asksItsSpeaker: boolean;
  /** Feature values in FEATURE_NAMES order (a plain array: far cheaper to allocate per candidate than a typed one). */
  x: number[];
}

/**
 * Can sentence `o` be shown with sentence `s` as one passage: it is the article's narration, or
 * the same speaker's? (Unattributed quoted words are someone's, not the article's: they join
 * neither narration nor each other.)
 */
export function canFollow(index: SearchIndex, s: number, o: number): boolean {
  return isNarration(index, o) || (index.sentSpeaker[s] >= 0 && index.sentSpeaker[o] === index.sentSpeaker[s]);
}
/** The article's own voice: nobody's statement, no quoted words. */
const isNarration = (index: SearchIndex, s: number): boolean => index.sentSpeaker[s] < 0 && !(index.sentFlags[s] & FLAG_QUOTED);

/** All candidates of a question with their features (unscored, in index order). */
export function candidatesFor(k: Knowledge, a: QuestionAnalysis, vectors: WordVectors | null): Candidate[] {
  const index = k.index;
  const boost = a.speaker >= 0 ? k.speakers[a.speaker].quotes.map((qi) => globalParagraph(index, k.quotes[qi].doc, k.quotes[qi].paragraph)) : [];
  const top = bestParagraphs(index, a.terms, CANDIDATE_PARAGRAPHS, boost);
  if (!top.length) return [];
  const best = top[0][1] || 1;
  const nq = a.terms.length;
  const totalIdf = a.terms.reduce((s, q) => s + q.idf, 0) || 1;
  const maxIdf = Math.max(1e-9, ...a.terms.map((q) => q.idf));
  const concepts = new Set(a.terms.map((q) => q.concept)).size;
  // Which question terms each index term is the opposite of.
  const antonymOf = new Map<number, number[]>();
  a.terms.forEach((q, qi) => q.opposites.forEach((term) => antonymOf.set(term, [...(antonymOf.get(term) ?? []), qi])));
  const numeric = a.terms.map((q) => hasDigit(q.text));
  const meaning = meaningOf(index, a, vectors);
  const kindOf = kindMeaning(index, a, vectors);
  const general = a.terms.map((q) => generalRarity(vectors, q.text, q.lemma) * (q.idf > 0 ? 1 : 0));
  const totalGeneral = general.reduce((x, y) => x + y, 0) || 1;
  const absent = a.terms.reduce((sum, q, qi) => sum + (q.alts.size ? 0 : general[qi]), 0) / totalGeneral;
  const avgSentence = index.sentTerms.length / Math.max(1, index.sentIndex.length);

  // Which query terms each index term satisfies, and how well.
  const satisfies = new Map<number, Array<[number, number]>>();
  a.terms.forEach((q, qi) => {
    for (const [term, weight] of q.alts) {
      if (!satisfies.has(term)) satisfies.set(term, []);
      satisfies.get(term)!.push([qi, weight]);
    }
  });
  const collect = (from: number, to: number, into: Float64Array) => {
    into.fill(0);
    for (let i = from; i < to; i++) {
      const hits = satisfies.get(index.sentTerms[i]);
      if (hits) for (const [qi, w] of hits) if (w > into[qi]) into[qi] = w;
    }
  };
  const matched = new Set<number>();
  const exactOf = new Map<number, number>();
  a.terms.forEach((q, qi) => q.exact >= 0 && exactOf.set(q.exact, qi));
  const inParagraph = new Float64Array(nq);
  const beforeParagraph = new Float64Array(nq);
  const afterParagraph = new Float64Array(nq);
  const rows: Float64Array[] = [];
  const exact = new Uint8Array(nq);
  // Per question word, for the sentence at hand: said by its speaker, matched by the sentence itself, matched in meaning.
  const spokenBy = new Uint8Array(nq);
  const owned = new Float64Array(nq);
  const aligned = new Float64Array(nq);
  // A neighbour in the paragraph can join the passage when it is narration or the same speaker's
  // (canFollow); another person's statement is only context.
  let first = 0;
  let end = 0;
  const canJoin = (s: number, o: number) => o >= first && o < end && canFollow(index, s, o);

  const documents = documentViews(index, a, top, totalIdf);
  const out: Candidate[] = [];
  top.forEach(([p, pScore], rank) => {
    first = index.paraSentStart[p];
    end = index.paraSentStart[p + 1];
    const view = documents.get(index.paraDoc[p])!;
    // Each sentence's matches once; a sentence's neighbours are rows of the same table.
    inParagraph.fill(0);
    for (let s = first; s < end; s++) {
      const row = (rows[s - first] ??= new Float64Array(nq));
      collect(index.sentTermStart[s], index.sentTermStart[s + 1], row);
      for (let qi = 0; qi < nq; qi++) if (row[qi] > inParagraph[qi]) inParagraph[qi] = row[qi];
    }
    // News paragraphs are a sentence or two: the story goes on across the break ("She lives in ...").
    if (p > 0 && index.paraDoc[p - 1] === index.paraDoc[p]) collect(index.sentTermStart[first - 1], index.sentTermStart[first], beforeParagraph);
    else beforeParagraph.fill(0);
    if (p + 1 < index.paraDoc.length && index.paraDoc[p + 1] === index.paraDoc[p]) collect(index.sentTermStart[end], index.sentTermStart[end + 1], afterParagraph);
    else afterParagraph.fill(0);
    for (let s = first; s < end; s++) {
      const tFrom = index.sentTermStart[s];
      const tTo = index.sentTermStart[s + 1];
      const inSentence = rows[s - first];
      const inPrevious = s > first ? rows[s - first - 1] : beforeParagraph;
      const inNext = s + 1 < end ? rows[s - first + 1] : afterParagraph;
      exact.fill(0);
      for (let i = tFrom; i < tTo; i++) {
        const qi = exactOf.get(index.sentTerms[i]);
        if (qi !== undefined) exact[qi] = 1;
      }
      const joinPrev = canJoin(s, s - 1);
      const joinNext = canJoin(s, s + 1);
      const prevW = joinPrev ? JOINABLE_NEIGHBOUR_WEIGHT : NEIGHBOUR_WEIGHT;
      const nextW = joinNext ? JOINABLE_NEIGHBOUR_WEIGHT : NEIGHBOUR_WEIGHT;
      const speaker = index.sentSpeaker[s];
      const bySpeaker = a.speaker >= 0 && speaker === a.speaker;
      const speakerWords = speaker >= 0 ? speakerWordsOf(k, speaker) : null;
      let cExact = 0, cSoft = 0, cMeaning = 0, cContext = 0, cPara = 0, cGeneral = 0, missing = 0, missingSpecific = 0, missingNear = 0, unmatched = 0;
      let widenPrev = false, widenNext = false, lexicalMissing = 0, absentNear = 0, cLocal = 0, cLocalContext = 0, numberMissing = false;
      const sentenceLength = tTo - tFrom;
      let bm25 = 0;
      matched.clear();
      for (let qi = 0; qi < nq; qi++) {
        const q = a.terms[qi];
        // "the mayor warned" is a sentence by the mayor, even when it says "She warned".
        spokenBy[qi] = (q.speakerName ? bySpeaker : !!speakerWords?.has(q.text)) ? 1 : 0;
        owned[qi] = spokenBy[qi] ? 1 : inSentence[qi];
      }
      if (meaning && rank < MEANING_PARAGRAPHS) meaning(tFrom, tTo, owned, aligned);
      else aligned.fill(0);
      for (let qi = 0; qi < nq; qi++) {
        const q = a.terms[qi];
        const spoken = spokenBy[qi] === 1;
        const own = owned[qi];
        const sim = Math.max(own, aligned[qi]);
        const ctx = Math.max(own, inPrevious[qi] * prevW, inNext[qi] * nextW);
        if (own < 0.5 && inPrevious[qi] >= 0.9 && joinPrev) widenPrev = true;
        if (own < 0.5 && inNext[qi] >= 0.9 && joinNext) widenNext = true;
        cExact += q.idf * (spoken || exact[qi] ? 1 : 0);
        cSoft += q.idf * own;
        cMeaning += q.idf * sim;
        cContext += q.idf * ctx;
        cPara += q.idf * Math.max(own, inParagraph[qi]);
        cGeneral += general[qi] * own;
        cLocal += view.localIdf[qi] * own;
        cLocalContext += view.localIdf[qi] * ctx;
        if (Math.max(own, inPrevious[qi], inNext[qi]) < 0.85) lexicalMissing = Math.max(lexicalMissing, general[qi]);
        if (Math.max(own, inParagraph[qi]) < 0.85) absentNear += general[qi];
        if (own > 0) bm25 += q.idf * own * bm25Weight(1, sentenceLength, avgSentence);
        if (Math.max(ctx, sim) < 0.5) unmatched++;
        if (q.specific && !spoken && Math.max(own, inPrevious[qi], inNext[qi]) < 0.5) missingNear = 1;
        if (Math.max(ctx, sim >= MEANING_FLOOR ? sim : 0) >= 0.5) matched.add(q.concept);
        missing = Math.max(missing, (q.idf / maxIdf) * (1 - Math.max(ctx, sim)));
        if (q.specific && !spoken && inParagraph[qi] < 0.5) missingSpecific = 1;
        if (numeric[qi] && inSentence[qi] < 0.5) numberMissing = true;
      }
      // A sentence that asks a question is shown with the next one, where its answer is.
      if ((index.sentFlags[s] & FLAG_ASKS) !== 0 && joinNext) widenNext = true;
      const from = widenPrev ? s - 1 : s;
      const to = widenNext && !widenPrev ? s + 1 : s;
      const x = new Array<number>(FEATURE_NAMES.length).fill(0);
      x[F.coverExact] = cExact / totalIdf;
      x[F.coverSoft] = cSoft / totalIdf;
      x[F.coverMeaning] = cMeaning / totalIdf;
      x[F.coverContext] = cContext / totalIdf;
      x[F.coverParagraph] = cPara / totalIdf;
      x[F.evidence] = Math.log1p(cSoft);
      x[F.missingMax] = nq ? missing : 0;
      x[F.missingSpecific] = missingSpecific;
      x[F.concepts] = concepts ? matched.size / concepts : bySpeaker ? 1 : 0;
      x[F.bigrams] = bigramShare(index, a, satisfies, tFrom, tTo);
      x[F.order] = orderShare(index, satisfies, nq, tFrom, tTo);
      x[F.paragraphScore] = pScore / best;
      x[F.paragraphRank] = Math.log1p(rank);
      let novel = 0;
      for (let i = tFrom; i < tTo; i++) if (!satisfies.has(index.sentTerms[i])) novel++;
      x[F.novelty] = sentenceLength ? novel / sentenceLength : 0;
      x[F.length] = Math.log1p(index.sentTermStart[to + 1] - index.sentTermStart[from]);
      x[F.window] = to > from ? 1 : 0;
      const flags = index.sentFlags[s];
      // (each sentence scan runs only for the type the question asks for)
      const person = a.wantsSpeaker && (speaker >= 0 || hasNovelName(index, satisfies, tFrom, tTo));
      const met = [
        [a.wantsDate, a.wantsDate && (flags & FLAG_DATE) !== 0 && !onlyAsked(index, satisfies, tFrom, tTo, isDateWord), F.typeDate],
        [a.wantsNumber, a.wantsNumber && (flags & FLAG_NUMBER) !== 0 && !onlyAsked(index, satisfies, tFrom, tTo, hasDigit), F.typeNumber],
        [a.wantsPlace, (flags & FLAG_PLACE) !== 0, F.typePlace],
        [a.wantsReason, (flags & FLAG_REASON) !== 0, F.typeReason],
        [a.wantsSpeaker, person, F.typePerson],
      ] as const;
      let unmet = 0;
      for (const [wants, has, f] of met) {
        if (wants && has) x[f] = 1;
        if (wants && !has) unmet = 1;
      }
      x[F.typeUnmet] = unmet;
      x[F.speakerMatch] = bySpeaker ? 1 : 0;
      x[F.speakerOther] = a.speaker >= 0 && !bySpeaker ? 1 : 0;
      x[F.narration] = a.wantsNarration && isNarration(index, s) ? 1 : 0;
      x[F.attributed] = speaker >= 0 ? 1 : 0;
      x[F.firstSentence] = s === first ? 1 : 0;
      x[F.lead] = index.paraIndex[p] === 0 ? 1 : 0;
      x[F.asks] = (flags & FLAG_ASKS) !== 0 ? 1 : 0;
      x[F.longParagraphs] = Math.min(1, Math.max(0, (index.docParagraphSentences[index.paraDoc[p]] - LONG_PARAGRAPHS.from) / (LONG_PARAGRAPHS.to - LONG_PARAGRAPHS.from)));
      x[F.unknownName] = a.unknownName ? 1 : 0;
      x[F.unquotedPerson] = a.unquotedPerson ? 1 : 0;
      x[F.questionTerms] = Math.log1p(nq);
      x[F.coverGeneral] = cGeneral / totalGeneral;
      x[F.generalEvidence] = cGeneral;
      x[F.unmatched] = Math.log1p(unmatched);
      x[F.missingSpecificNear] = missingNear;
      x[F.negationMismatch] = a.negated !== ((flags & FLAG_NEGATED) !== 0) ? 1 : 0;
      x[F.whWhat] = a.wh === 'what' ? 1 : 0;
      x[F.whWho] = a.wh === 'who' ? 1 : 0;
      x[F.whHow] = a.wh === 'how' ? 1 : 0;
      x[F.whOther] = a.wh === null ? 1 : 0;
      x[F.sentenceBm25] = bm25;
      x[F.coverDocument] = view.cover;
      x[F.typeKind] = kindOf ? kindOf(tFrom, tTo, satisfies) : 0;
      x[F.coverLocal] = view.localTotal > 0 ? cLocal / view.localTotal : 0;
      x[F.coverLocalContext] = view.localTotal > 0 ? cLocalContext / view.localTotal : 0;
      x[F.lexicalMissing] = lexicalMissing;
      x[F.absent] = absent;
      x[F.absentNear] = absentNear / totalGeneral;
      x[F.countedNumber] = a.counted >= 0 && countsTerm(index, satisfies, a.counted, index.sentTermStart[from], index.sentTermStart[to + 1]) ? 1 : 0;
      x[F.numberSwap] = numberMissing && (index.sentFlags[s] & FLAG_NUMBER) !== 0 ? 1 : 0;
      x[F.antonym] = antonymOf.size && saysOpposite(index, antonymOf, inSentence, tFrom, tTo) ? 1 : 0;
      out.push({ sentence: s, from, to, paragraph: p, asksItsSpeaker: bySpeaker && a.asksWhatSaid, x });
    }
  });
  let bestSoft = 0;
  let bestBm25 = 0;
  for (const c of out) {
    bestSoft = Math.max(bestSoft, c.x[F.coverSoft]);
    bestBm25 = Math.max(bestBm25, c.x[F.sentenceBm25]);
  }
  for (const c of out) {
    c.x[F.coverGap] = c.x[F.coverSoft] - bestSoft;
    c.x[F.sentenceBm25] = bestBm25 > 0 ? c.x[F.sentenceBm25] / bestBm25 : 0;
  }
  return out;
}

interface DocumentView {
  /** IDF share of the question the document matches anywhere (word, typo or place). */
  cover: number;
  /** Per question term: its IDF among the document's own paragraphs. */
  localIdf: Float64Array;
  /** Their sum. */
  localTotal: number;
}

/**
 * For each document of the candidate paragraphs: how much of the question it matches anywhere,
 * and each question word's IDF within it. With many articles loaded, a question names its story
 * ("the dengue epidemic") even when the answering sentence does not; and inside that story its
 * topic words are everywhere, so the words that pick the sentence are the ones rare in it.
 */
function documentViews(index: SearchIndex, a: QuestionAnalysis, top: Array<[number, number]>, totalIdf: number): Map<number, DocumentView> {
  const out = new Map<number, DocumentView>();
  for (const [p] of top) {
    const d = index.paraDoc[p];
    if (out.has(d)) continue;
    const from = globalParagraph(index, d, 0);
    let to = from;
    while (to < index.paraDoc.length && index.paraDoc[to] === d) to++;
    let covered = 0;
    const localIdf = new Float64Array(a.terms.length);
    a.terms.forEach((q, qi) => {
      let best = 0;
      let df = 0;
      for (const [term, weight] of q.alts) {
        if (weight < 0.6) continue; // weak paraphrases say nothing about the story
        const n = countIn(index, term, from, to);
        if (n > 0 && weight > best) best = weight;
        df = Math.max(df, n);
      }
      covered += q.idf * best;
      localIdf[qi] = Math.log(1 + (to - from - df + 0.5) / (df + 0.5));
    });
    out.set(d, { cover: covered / totalIdf, localIdf, localTotal: localIdf.reduce((x, y) => x + y, 0) });
  }
  return out;
}

/** How many paragraphs in [from, to) hold `term` (postings are sorted by paragraph: two binary searches). */
function countIn(index: SearchIndex, term: number, from: number, to: number): number {
  const first = (bound: number) => {
    let lo = index.postingStart[term];
    let hi = index.postingStart[term + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index.postingPara[mid] < bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return first(to) - first(from);
}

/** Of the pairs of question words the sentence has (lexically), the share in the question's order. */
function orderShare(index: SearchIndex, satisfies: Map<number, Array<[number, number]>>, nq: number, from: number, to: number): number {
  const firstAt: number[] = new Array(nq).fill(-1);
  for (let i = from; i < to; i++) for (const [qi, w] of satisfies.get(index.sentTerms[i]) ?? []) if (w >= 0.5 && firstAt[qi] < 0) firstAt[qi] = i;
  let pairs = 0;
  let ordered = 0;
  for (let a = 0; a < nq; a++) {
    if (firstAt[a] < 0) continue;
    for (let b = a + 1; b < nq; b++) {
      if (firstAt[b] < 0 || firstAt[b] === firstAt[a]) continue;
      pairs++;
      if (firstAt[b] > firstAt[a]) ordered++;
    }
  }
  return pairs ? ordered / pairs : 0;
}

/** Share of adjacent question-term pairs found within three words of each other in the sentence. */
function bigramShare(index: SearchIndex, a: QuestionAnalysis, satisfies: Map<number, Array<[number, number]>>, from: number, to: number): number {
  if (a.terms.length < 2) return 0;
  const positions: number[][] = a.terms.map(() => []);
  for (let i = from; i < to; i++) for (const [qi, w] of satisfies.get(index.sentTerms[i]) ?? []) if (w >= 0.5) positions[qi].push(i);
  let found = 0;
  for (let qi = 0; qi + 1 < a.terms.length; qi++) {
    if (positions[qi].some((p) => positions[qi + 1].some((r) => Math.abs(r - p) <= 3))) found++;
  }
  return found / (a.terms.length - 1);
}

/** Numbers, by index term: "78", "2.4", "six". */
const NUMBER_WORD = /^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions)$/;
const numberTermCache = new WeakMap<SearchIndex, Uint8Array>();
function numberTerms(index: SearchIndex): Uint8Array {
  let n = numberTermCache.get(index);
  if (!n) numberTermCache.set(index, (n = Uint8Array.from(surfaceOfTerms(index), (w) => (NUMBER_WORD.test(w) ? 1 : 0))));
  return n;
}

/** Does a number stand within three words before a word that satisfies query term qi, in terms [from, to)? */
function countsTerm(index: SearchIndex, satisfies: Map<number, Array<[number, number]>>, qi: number, from: number, to: number): boolean {
  const isNumber = numberTerms(index);
  for (let i = from; i < to; i++) {
    if (!satisfies.get(index.sentTerms[i])?.some(([q, w]) => q === qi && w >= 0.5)) continue;
    for (let j = Math.max(from, i - 3); j < i; j++) if (isNumber[index.sentTerms[j]]) return true;
  }
  return false;
}

const hasDigit = (w: string) => /\d/.test(w);
const isDateWord = (w: string) => DATE_WORD.test(w);

/** Are the sentence's words of a kind (numbers, dates) all words the question asked with ("How many died in 2010?" is not answered by its own 2010)? */
function onlyAsked(index: SearchIndex, satisfies: Map<number, Array<[number, number]>>, from: number, to: number, kind: (word: string) => boolean): boolean {
  const surface = surfaceOfTerms(index);
  let any = false;
  for (let i = from; i < to; i++) {
    const t = index.sentTerms[i];
    if (!kind(surface[t])) continue;
    if (!satisfies.has(t)) return false;
    any = true;
  }
  return any;
}

/** Does the sentence name someone or something (a proper noun) the question does not? */
function hasNovelName(index: SearchIndex, satisfies: Map<number, Array<[number, number]>>, from: number, to: number): boolean {
  const surface = surfaceOfTerms(index);
  for (let i = from; i < to; i++) {
    const t = index.sentTerms[i];
    if (!satisfies.has(t) && index.properNouns.has(surface[t])) return true;
  }
  return false;
}

const vectorIdCache = new WeakMap<SearchIndex, { vectors: WordVectors; ids: Int32Array }>();
/** Index term id -> the word-vector id of its surface word (-1: no vector), built once per index. */
function vectorIdsOf(index: SearchIndex, vectors: WordVectors): Int32Array {
  let c = vectorIdCache.get(index);
  if (c?.vectors !== vectors) {
    c = { vectors, ids: Int32Array.from(surfaceOfTerms(index), (w) => vectors.idOf(w) ?? -1) };
    vectorIdCache.set(index, c);
  }
  return c.ids;
}

/**
 * Meaning-level match of each question word in sentence terms [from, to): into best[qi], the best
 * vector cosine with any sentence word (0 below MEANING_FLOOR), for the words whose own match is
 * short of 1 (a word the sentence has itself needs no alignment; best is 0 for it). Cosines are
 * cached per (question word, index term) for the whole question.
 */
function meaningOf(index: SearchIndex, a: QuestionAnalysis, vectors: WordVectors | null): ((from: number, to: number, own: Float64Array, best: Float64Array) => void) | null {
  if (!vectors) return null;
  const termVector = vectorIdsOf(index, vectors);
  const ids = a.terms.map((q) => vectorIdOf(vectors, q));
  const nq = ids.length;
  // Index term -> its row in `sims` (nq cosines, NaN until first needed).
  const rowOf = new Map<number, number>();
  const sims: number[] = [];
  return (from, to, own, best) => {
    best.fill(0);
    for (let i = from; i < to; i++) {
      const t = index.sentTerms[i];
      let row = rowOf.get(t);
      if (row === undefined) {
        row = sims.length;
        rowOf.set(t, row);
        for (let qi = 0; qi < nq; qi++) sims.push(NaN);
      }
      for (let qi = 0; qi < nq; qi++) {
        if (own[qi] >= 1 || ids[qi] === undefined) continue;
        let sim = sims[row + qi];
        if (sim !== sim) {
          const tid = termVector[t];
          // (an opposite is close in vectors but never the same meaning)
          sim = tid < 0 || a.terms[qi].opposites.has(t) ? 0 : Math.max(0, vectors.cosine(ids[qi]!, tid));
          sims[row + qi] = sim;
        }
        if (sim > best[qi]) best[qi] = sim;
      }
    }
    for (let qi = 0; qi < nq; qi++) if (best[qi] < MEANING_FLOOR) best[qi] = 0;
  };
}

/** A question word's row in the word vectors, as written or by its lemma. */
const vectorIdOf = (vectors: WordVectors, q: { text: string; lemma: string }): number | undefined => vectors.idOf(q.text) ?? vectors.idOf(q.lemma);

/**
 * For a question that asks for a kind of thing ("Which instrument ..."): the best cosine between
 * that noun and a sentence word that matches no question word ("violin"), or null.
 */
function kindMeaning(index: SearchIndex, a: QuestionAnalysis, vectors: WordVectors | null): ((from: number, to: number, satisfies: Map<number, Array<[number, number]>>) => number) | null {
  const q = a.terms[a.askedKind];
  const kind = q && vectors ? vectorIdOf(vectors, q) : undefined;
  if (kind === undefined || !vectors) return null;
  const termVector = vectorIdsOf(index, vectors);
  const sims = new Map<number, number>();
  return (from, to, satisfies) => {
    let best = 0;
    for (let i = from; i < to; i++) {
      const t = index.sentTerms[i];
      if (satisfies.get(t)?.some(([, w]) => w >= 0.9)) continue; // a question word itself
      let sim = sims.get(t);
      if (sim === undefined) {
        sim = termVector[t] < 0 ? 0 : Math.max(0, vectors.cosine(kind, termVector[t]));
        sims.set(t, sim);
      }
      if (sim > best) best = sim;
    }
    return best;
  };
}

/** Whether sentence terms [from, to) hold the opposite of a question word the sentence lacks. */
function saysOpposite(index: SearchIndex, antonymOf: Map<number, number[]>, inSentence: Float64Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) for (const qi of antonymOf.get(index.sentTerms[i]) ?? []) if (inSentence[qi] < 0.5) return true;
  return false;
}

/**
 * How rare a word is in general English, in [0, 1]: from its frequency rank in the word-vector
 * vocabulary (frequency ordered). Words outside it are rare (1). Small knowledge bases (one
 * article) give paragraph IDF little to count on; this does not depend on the knowledge.
 */
function generalRarity(vectors: WordVectors | null, word: string, lemma: string): number {
  if (!vectors) return 1;
  const id = vectors.idOf(word) ?? vectors.idOf(lemma);
  if (id === undefined) return 1;
  return Math.min(1, Math.log1p(id) / Math.log1p(vectors.size));
}

const speakerWordCache = new WeakMap<Knowledge, Map<number, Set<string>>>();
/** Lower-case words of a speaker's name, aliases and role. */
function speakerWordsOf(k: Knowledge, speaker: number): Set<string> {
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
