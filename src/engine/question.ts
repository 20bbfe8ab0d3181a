/**
 * Question analysis: what a question asks about (its content terms, each with the index terms
 * that satisfy it: the word itself, typos, paraphrases, place equivalents), whom it names, and
 * what kind of answer it wants (a person, a date, a number, a place, a reason).
 */
import type { Knowledge, SearchIndex } from './build.js';
import { termOf } from './build.js';
import { isHyphenJoin, isNegation, tokenize, tokensText, type Token } from './nlp.js';
import { CALENDAR_WORDS, GENERIC_SPEECH_VERBS, QUESTION_WORDS, REPORTING_VERBS, ROLE_NOUNS, TITLE_WORDS } from './lexicon.js';
import { findSpeakerIndex } from './speakers.js';
import { coOccur, idf, lookupTerm, termIdOfWord, typoCandidates } from './retrieve.js';
import { isPlaceName, placeEquivalents } from './places.js';
import type { WordNeighbours } from './vectors.js';
import type { WordVectors } from './word-vectors.js';
import type { Antonyms } from './antonyms.js';
import type { Synonyms } from './synonyms.js';
import { withoutAccents, withoutPossessive } from './text.js';

/** Longest question text analysed; the rest is ignored (Discord allows 6000 characters). */
export const MAX_QUESTION_CHARS = 500;

/** How a question term's paraphrases count (see queryTerms). */
const PARAPHRASE = {
  /** A typo candidate: nearly the word itself. */
  typoWeight: 0.9,
  /** ... when the word is itself an English word the vectors know (six letters or more, one edit away only). */
  knownWordTypoWeight: 0.6,
  /** ... unless it is among this many most frequent words: a common word is meant as typed. */
  commonWordRank: 20000,
  /** A country, its capital or its demonym for another ("Canberra" for Australia). */
  placeWeight: 0.9,
  /** A WordNet synonym of the word (chosen by `npm run fit -- --cv` among 0.5, 0.65 and 0.8). */
  synonymWeight: 0.8,
  /** A word-vector neighbour counts its cosine times this. */
  neighbourWeight: 0.75,
  maxNeighbours: 10,
  /** Verbs' neighbours are looser than nouns' in these vectors ("held" ~ "continued", "able"). */
  verbDamp: 0.7,
  /** A word the text has already gets its neighbours at this share (weaker evidence than itself). */
  presentDamp: 0.5,
};

/**
 * Nouns and names say what a question is about; its verbs are often paraphrased ("ask for
 * support" vs "reached out for support"), so a missing verb costs less than a missing noun.
 */
const POS_WEIGHT: Record<string, number> = { NOUN: 1, PROPN: 1, NUM: 1, ADJ: 0.9, VERB: 0.6, ADV: 0.5 };
/** Words that point at the document itself, not at its content. */
const META_WORDS = new Set(['article', 'story', 'author', 'writer', 'text', 'piece', 'report', 'document', 'news']);

export interface QueryTerm {
  /** The word as asked, lower case, and its lemma: what word vectors are looked up by. */
  text: string;
  lemma: string;
  /** IDF times the word's part-of-speech weight: how much the term counts towards coverage. */
  idf: number;
  /** The index term of the word itself, or -1 when the text never uses it. */
  exact: number;
  /** Index terms that satisfy this query term, with weights in (0, 1]. */
  alts: Map<number, number>;
  /** Index terms of the word's opposites (WordNet antonyms): never among alts. */
  opposites: Set<number>;
  /** Part of the named speaker's name: satisfied by that speaker's own sentences. */
  speakerName: boolean;
  /** A name or a number: a question about something else when the text lacks it. */
  specific: boolean;
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
  /** The question asks what its named speaker said or wrote ("What did Freeman say about ..."). */
  asksWhatSaid: boolean;
  /** Set when the question asks what someone said whom the knowledge never quotes. */
  unquotedPerson: string | null;
  /** The question is negated ("Which country did not ..."). */
  negated: boolean;
  /** Its wh-word, folded: what (also which), who (whom, whose), how, or another, or null for none. */
  wh: 'what' | 'who' | 'how' | 'when' | 'where' | 'why' | null;
  /** "How many buses ...": the term of the thing counted (an index into terms), or -1. */
  counted: number;
  /** "Which instrument ...", "what kind of bread ...": the term of the kind of thing asked for (an index into terms), or -1. */
  askedKind: number;
}

/** Removes control characters, folds repeated punctuation and white space, trims to what is analysed. */
export function cleanQuestion(q: string): string {
  return q
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, ' ')
    .replace(/([?!.,;:])[?!.,;:]+/g, '$1')
    .replace(/\s+([?!.,;:])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUESTION_CHARS);
}

/**
 * Re-cases a question from the knowledge, so that its case changes the answer as little as it can:
 * words the text writes as names more often than not get a capital; a capital the user typed stays
 * on a word the text writes as a name at least sometimes ("Andrew Small") or never uses (the only
 * sign of a name the knowledge lacks), and goes from a word the text only uses as a common word.
 * A question typed all in capitals or all in lower case carries no case information: only the
 * text's names get a capital (not its acronyms: "us" typed so is the pronoun as often as not).
 */
export function normalizeCase(index: SearchIndex, q: string): string {
  const mixed = /\p{Lu}/u.test(q) && /\p{Ll}/u.test(q);
  // (word by word, so that offsets stay those of the question: "İ" lower-cases to two characters)
  const typed = [...q.matchAll(/[\p{L}\p{N}'’-]+/gu)];
  const lower = typed.map((m) => m[0].toLowerCase());
  const bare = (i: number) => withoutPossessive(lower[i] ?? '');
  // a word the text writes mostly as a name, or a word of a name the text writes in full ("new york")
  const named = lower.map((w, i) => index.mostlyNames.has(bare(i)) || index.namePairs.has(`${w} ${bare(i + 1)}`) || index.namePairs.has(`${lower[i - 1]} ${bare(i)}`));
  // A capital the user typed stays unless the text only ever writes the word as a common word.
  const commonOnly = (i: number) => index.surfaceTerms.has(bare(i)) && !named[i] && !index.properNouns.has(bare(i)) && !index.caseUnseen.has(bare(i));
  let out = '';
  let at = 0;
  typed.forEach((m, i) => {
    const keep = mixed && /^\p{Lu}/u.test(m[0]) && !commonOnly(i);
    const w = lower[i];
    out += q.slice(at, m.index) + (keep ? m[0] : named[i] ? w[0].toUpperCase() + w.slice(1) : w);
    at = m.index! + m[0].length;
  });
  return out + q.slice(at);
}

/**
 * Chat around a question, not part of it: greetings and the bot addressed ("hey bot,", "@bot"),
 * requests ("can you tell me", "do you know", "pls") and sign-offs ("thanks", "lol"). Discord
 * mentions ("<@123>") too.
 */
const CHATTER = [
  /<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>/g,
  /(?:^|\s)@\w+/g,
  /^(?:(?:hey|hi|hello|yo|ok|okay|so|um+|uh+|hmm+)(?=[\s,!.]|$)[\s,!.]*)+(?:(?:bot|guys|everyone|all|there)(?=[\s,!.]|$)[\s,!.]*)?/i,
  /\b(?:can|could|would|will) (?:you|u|someone|somebody|anyone|anybody) (?:please |pls |plz )?(?:tell|show|explain to) (?:me|us)\b/gi,
  /\b(?:do|does) (?:you|u|anyone|anybody|someone|somebody) know\b/gi,
  /\bi (?:want|wanna|would like|'d like|’d like) to know\b/gi,
  /^(?:please |pls |plz )?tell (?:me|us)\b/i,
  /\b(?:please|pls|plz)\b/gi,
  // (a sign-off that is also a word, "thanks", only after punctuation: "why did he give thanks")
  /(?:(?:[\s,]+(?:thx|lol|lmao|haha)|[?!.,]\s*(?:thanks|thank you|cheers))\b[\s!.]*)+$/i,
];

/** The question without chat around it (see CHATTER); the question itself when nothing else would be left. */
export function withoutChatter(q: string): string {
  const bare = CHATTER.reduce((s, re) => s.replace(re, ' ').replace(/\s+/g, ' ').replace(/^[\s,]+/, '').trim(), q);
  return /[\p{L}\p{N}]/u.test(bare) ? bare : q;
}

/** Contractions typed without their apostrophe. ("its" is a word of its own.) */
const NO_APOSTROPHE: Record<string, string> = {
  dont: "don't", doesnt: "doesn't", didnt: "didn't", isnt: "isn't", arent: "aren't", wasnt: "wasn't", werent: "weren't",
  hasnt: "hasn't", havent: "haven't", hadnt: "hadn't", cant: "can't", couldnt: "couldn't", wont: "won't", wouldnt: "wouldn't",
  shouldnt: "shouldn't", whats: "what's", whos: "who's", wheres: "where's", hows: "how's", thats: "that's", theres: "there's",
};

/** Chat spellings, typed in lower case ("ppl", "govt", "bc"), for the words they stand for. */
const CHAT_SPELLINGS: Record<string, string> = {
  ppl: 'people', govt: 'government', bc: 'because', cuz: 'because', coz: 'because', bcuz: 'because', abt: 'about',
  yr: 'year', yrs: 'years', pres: 'president', u: 'you', ur: 'your', mil: 'million', bn: 'billion', tho: 'though',
  thru: 'through', b4: 'before', wat: 'what', wut: 'what',
};

/** Words at least this frequent in general English (by rank in the word-vector vocabulary) are themselves, not a name's possessive. */
const COMMON_WORDS = 20_000;

/**
 * Is `word` (lower case) an English stop word ("does", "this") or among the COMMON_WORDS ("news",
 * "goes")? Both checks are needed: the word-vector vocabulary leaves stop words out.
 */
function commonWord(word: string, vectors: WordVectors | null | undefined): boolean {
  if ((vectors?.idOf(word) ?? COMMON_WORDS) < COMMON_WORDS) return true;
  const tokens = tokenize(word)[0]?.tokens ?? [];
  return tokens.length === 1 && tokens[0].stop;
}

/**
 * Puts back what a question was typed without: apostrophes of contractions ("didnt", "whats")
 * and of possessives of the knowledge's names and marked words ("Mensahs" when the text names
 * Mensah and never writes "Mensahs"; "DAlberts" when it writes "D'Albert"), and the words of chat
 * spellings ("ppl", "w/"). The case of each word is kept. A common English word stays itself
 * even when the text has a name that is the word without its s ("news" with New York, "does"
 * with John Doe).
 */
export function restoreSpelling(index: SearchIndex, q: string, vectors?: WordVectors | null): string {
  return q.replace(/(?<![\p{L}\p{N}])w\/(?=\s)/gu, 'with').replace(/[\p{L}\p{N}'’-]+/gu, (w, at: number, all: string) => {
    const lower = w.toLowerCase();
    const contraction = NO_APOSTROPHE[lower];
    if (contraction) return w === w.toUpperCase() ? contraction.toUpperCase() : w[0] + contraction.slice(1);
    const chat = CHAT_SPELLINGS[withoutPossessive(w)];
    // (not a letter of an abbreviation: "u.s.")
    const abbreviation = all[at + w.length] === '.' && /\p{L}/u.test(all[at + w.length + 1] ?? '');
    if (chat && !abbreviation) return chat + w.slice(withoutPossessive(w).length);
    const name = /^(\p{L}{3,})s$/iu.exec(w)?.[1];
    const owner = name?.toLowerCase();
    if (owner && (index.properNouns.has(owner) || foldedSurfaces(index).marked.has(owner)) && !index.surfaceTerms.has(lower) && !commonWord(lower, vectors)) return `${name}'${w.slice(-1)}`;
    return w;
  });
}

/** What the engine knows of English words beyond the knowledge: each optional (the files may not be built). */
export interface WordData {
  neighbours?: WordNeighbours | null;
  vectors?: WordVectors | null;
  antonyms?: Antonyms | null;
  synonyms?: Synonyms | null;
}

export function analyzeQuestion(k: Knowledge, question: string, words: WordData = {}): QuestionAnalysis {
  const tokens = tokenize(normalizeCase(k.index, restoreSpelling(k.index, withoutChatter(question), words.vectors))).flatMap((s) => s.tokens);
  const first = tokens.find((t) => /\p{L}/u.test(t.value));
  // What is asked is said by the question's first wh-word: a later one opens a clause ("What did the
  // signs say when he got to Zanzibar?" asks for no date; "Who directed Where the Boys Are?" for no place).
  // Wh-words joined to the first ask for both ("Where and when did it start?").
  const whAt = tokens.findIndex(isWhWord);
  const whs: number[] = [];
  for (let i = whAt; i >= 0; i = /^(?:and|or)$/.test(tokens[i + 1]?.lower ?? '') && tokens[i + 2] && isWhWord(tokens[i + 2]) ? i + 2 : -1) whs.push(i);
  const asked = whs.map((i) => tokens.slice(i, i + 2).map((t) => t.lower).join(' '));
  const asks = (re: RegExp) => asked.some((x) => re.test(x));
  const kinds = {
    wantsSpeaker: asks(/^(?:who|whom|whose)\b/),
    wantsDate: asks(/^when\b|^(?:what|which) (?:day|date|time|year|month|century)\b/),
    wantsNarration: tokens.some((t) => META_WORDS.has(t.lemma)),
    wantsPlace: asks(/^where\b/),
    wantsReason: asks(/^why\b|^what (?:caused|made)\b/),
    wantsNumber: asks(/^how (?:many|much|long|far|old|big|large|often|tall|high)\b|^what (?:percentage|number|amount|share)\b/),
  };
  const runs = namedRuns(tokens, first);
  const { speaker, speakerWords } = speakerFocus(k, tokens, runs);
  const unquotedPerson = unquotedPersonIn(k, tokens, runs, speakerWords);
  const unknownName = unknownNameIn(k.index, runs, speakerWords);
  const terms = queryTerms(k.index, tokens, runs, speakerWords, words);
  const negated = tokens.some((t) => isNegation(t.lower));
  const whWord = tokens[whAt]?.lower;
  const wh = whWord === undefined ? null : whWord === 'which' ? 'what' : whWord === 'whom' || whWord === 'whose' ? 'who' : (whWord as QuestionAnalysis['wh']);
  const asksWhatSaid = speaker >= 0 && tokens.some((t) => GENERIC_SPEECH_VERBS.has(t.lemma) || (t.pos === 'VERB' && REPORTING_VERBS.has(t.lemma)));
  return { terms, speaker, ...kinds, asksWhatSaid, unknownName, unquotedPerson, negated, wh, counted: countedTerm(tokens, terms), askedKind: askedKindTerm(tokens, whAt, terms) };
}

/** Nouns that name no kind of their own: "what kind of bread" asks for a bread. */
const KIND_WORDS = new Set(['kind', 'kinds', 'type', 'types', 'sort', 'sorts', 'form', 'forms', 'part', 'parts']);

/** "Which (famous) instrument", "what kind of bread": the query term of the noun after the wh-word, or -1. */
function askedKindTerm(tokens: Token[], whAt: number, terms: QueryTerm[]): number {
  if (!/^(?:what|which)$/.test(tokens[whAt]?.lower ?? '')) return -1;
  for (let i = whAt + 1; i < tokens.length && i <= whAt + 3; i++) {
    const t = tokens[i];
    if (KIND_WORDS.has(t.lower) && tokens[i + 1]?.lower === 'of') {
      i++;
      continue;
    }
    if (t.pos === 'NOUN') return terms.findIndex((q) => q.text === t.lower);
    if (t.pos !== 'ADJ') return -1;
  }
  return -1;
}

/** A wh-word ("what", "who"), not an acronym spelt like one ("the WHO"). */
const isWhWord = (t: Token): boolean => QUESTION_WORDS.has(t.lower) && !t.acronym;

/** "How many (big) buses", "how much money": the query term of the noun counted, or -1. */
function countedTerm(tokens: Token[], terms: QueryTerm[]): number {
  const at = tokens.findIndex((t, i) => t.lower === 'how' && (tokens[i + 1]?.lower === 'many' || tokens[i + 1]?.lower === 'much'));
  if (at < 0) return -1;
  for (let i = at + 2; i < tokens.length && i <= at + 4; i++) {
    const t = tokens[i];
    if (t.pos === 'NOUN' || t.pos === 'PROPN') return terms.findIndex((q) => q.text === t.lower);
    if (t.pos !== 'ADJ') return -1;
  }
  return -1;
}

/**
 * Runs of capitalised words (not the question's first word): the names a question mentions. A
 * hyphenated word continues a run whatever its case ("Park Ji-hoon").
 */
function namedRuns(tokens: Token[], first: Token | undefined): Token[][] {
  const runs: Token[][] = [];
  tokens.forEach((t, i) => {
    const last = runs[runs.length - 1];
    const prev = tokens[i - 1];
    const continues = last && prev && last[last.length - 1] === prev;
    // (the hyphen, and the word after it)
    if (continues && (isHyphenJoin(tokens, i) || isHyphenJoin(tokens, i - 1))) return last.push(t);
    // ("I" is a pronoun, not a name)
    const capital = /^\p{Lu}/u.test(t.value) && t !== first && !QUESTION_WORDS.has(t.lower) && t.pos !== 'PRON';
    if (!capital) return;
    if (continues) last.push(t);
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
    // A name the knowledge itself uses ("Australia"), or a country, capital or demonym ("Kenyan"),
    // is not a typo of a speaker ("Australian", "Kenya Nurses and Midwives Union").
    const fuzzy = !run.every((t) => index.properNouns.has(t.lower) || index.surfaceTerms.has(t.lower) || placeEquivalents(t.lower).length > 0);
    const s = findSpeakerIndex(k.speakers, tokensText(run), { fuzzy });
    if (s >= 0) {
      run.forEach((t) => speakerWords.add(withoutPossessive(t.lower)));
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
function unquotedPersonIn(k: Knowledge, tokens: Token[], runs: Token[][], speakerWords: Set<string>): string | null {
  const index = k.index;
  for (const run of runs) {
    if (run.some((t) => speakerWords.has(t.lower))) continue;
    const end = tokens.indexOf(run[run.length - 1]);
    const start = tokens.indexOf(run[0]);
    const after = tokens.slice(end + 1, end + 3);
    const accordingTo = tokens.slice(Math.max(0, start - 2), start).map((t) => t.lower).join(' ') === 'according to';
    // The name of what describes the speaker is not the speaker: "the Mirae Securities analyst",
    // "the minister at Sao Bento".
    const describes = after[0]?.pos === 'NOUN' || (!accordingTo && tokens[start - 1]?.pos === 'ADP');
    const speaks =
      !describes &&
      (after.some((t) => REPORTING_VERBS.has(t.lemma) && t.pos === 'VERB') ||
        accordingTo ||
        (/^['’]s$/.test(after[0]?.value ?? '') && /^(?:words?|statements?|comments?|remarks?|views?|position|quotes?)$/.test(after[1]?.lower ?? '')));
    // A country or capital ("New Delhi") speaks through its officials: not an unquoted person.
    // ... nor does a title alone ("what did the Minister say"): it is a role, found or not by speakerFocus.
    const person =
      !isPlaceName(run.map((t) => t.lower).join(' ')) &&
      !run.every((t) => TITLE_WORDS.has(t.lower) || ROLE_NOUNS.has(t.lemma)) &&
      (run.length > 1 || run.every((t) => index.nameWords.has(t.lower) || !index.properNouns.has(t.lower)));
    const name = tokensText(run);
    if (speaks && person && findSpeakerIndex(k.speakers, name) < 0) return name;
  }
  return null;
}

/**
 * A name the knowledge has never seen (not even within a typo, without accents or dots), or a
 * multi-word name whose words never meet in one paragraph ("Super Bowl"): the question is about
 * something else. Countries, capitals and nationalities ("American", "New Delhi") describe rather
 * than name, so they never count; nor do stop words inside a name ("First Lady").
 */
function unknownNameIn(index: SearchIndex, runs: Token[][], speakerWords: Set<string>): string | null {
  // The index term a name word stands for: itself, its stem, the text's spelling of it, or a typo.
  const termOfWord = (t: Token): number => {
    const id = spelledTerm(index, t);
    if (id >= 0) return id;
    return t.lower.length >= 5 ? (typosOf(index, t)[0] ?? -1) : -1;
  };
  for (const run of runs) {
    if (run.some((t) => speakerWords.has(t.lower))) continue;
    if (isPlaceName(run.map((t) => t.lower).join(' '))) continue;
    const words = run.filter((t) => /\p{L}/u.test(t.value) && termOf(t) !== null && !isPlaceName(t.lower) && !CALENDAR_WORDS.has(t.lower));
    if (!words.length) continue;
    const ids = words.map(termOfWord);
    const seen = (t: Token, id: number) => id >= 0 || index.properNouns.has(t.lower) || index.initialisms.has(t.value.replace(/(?<=\p{Lu})s$/u, ''));
    if (!words.some((t, i) => seen(t, ids[i])) || (words.length > 1 && !coOccur(index, ids))) return tokensText(run);
  }
  return null;
}

/** Index terms a word may be a typo of: of the word as typed, else of its stem ("assasinations" near "assassin"). */
function typosOf(index: SearchIndex, t: Token, maxEdits?: number): number[] {
  const near = typoCandidates(index, t.lower, maxEdits);
  return near.length || t.stem === t.lower ? near : typoCandidates(index, t.stem, maxEdits);
}

const UNSEEN = -2;
const neighbourTermCache = new WeakMap<SearchIndex, { neighbours: WordNeighbours; terms: Int32Array }>();
/** Per word of the neighbour lists (by vocabulary id): its index term, -1 when the text lacks it, UNSEEN until first asked. */
function neighbourTerms(index: SearchIndex, neighbours: WordNeighbours): Int32Array {
  let c = neighbourTermCache.get(index);
  if (c?.neighbours !== neighbours) {
    c = { neighbours, terms: new Int32Array(neighbours.size).fill(UNSEEN) };
    neighbourTermCache.set(index, c);
  }
  return c.terms;
}

/** A word folded for comparison: no accents, dots or apostrophes ("Ibáñez" = "ibanez", "U.S." = "us", "D'Albert" = "dalbert"). */
function foldName(s: string): string {
  return withoutAccents(s).replace(/[.'’]/g, '').toLowerCase();
}

/**
 * The index term of a word: as a stem, lemma or surface form, or else as the text spells it with
 * accents, dots or apostrophes the question left out ("Ibanez", "DAlbert", "mens"); -1 when absent.
 * (A possessive typed without its apostrophe, "DAlberts", has it back from restoreSpelling.)
 */
function spelledTerm(index: SearchIndex, t: Token): number {
  const id = lookupTerm(index, t);
  if (id >= 0) return id;
  return foldedSurfaces(index).all.get(foldName(t.lower)) ?? -1;
}

interface FoldedSurfaces {
  /** Every surface word of the text by its folded form. */
  all: Map<string, number>;
  /** Only the words the text writes with an accent, dot or apostrophe ("d'albert", "bogotá"), folded. */
  marked: Set<string>;
}
const foldedCache = new WeakMap<SearchIndex, FoldedSurfaces>();
/** The text's surface words by their folded form. */
function foldedSurfaces(index: SearchIndex): FoldedSurfaces {
  let m = foldedCache.get(index);
  if (!m) {
    m = { all: new Map(), marked: new Set() };
    for (const [word, id] of index.surfaceTerms) {
      const f = foldName(word);
      if (!m.all.has(f)) m.all.set(f, id);
      if (f !== word) m.marked.add(f);
    }
    foldedCache.set(index, m);
  }
  return m;
}

/** The question's content words, each with the index terms that satisfy it (typos, paraphrases, places). */
function queryTerms(index: SearchIndex, tokens: Token[], runs: Token[][], speakerWords: Set<string>, words: WordData): QueryTerm[] {
  const { neighbours = null, vectors = null, antonyms = null, synonyms = null } = words;
  const terms: QueryTerm[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (isWhWord(t) || GENERIC_SPEECH_VERBS.has(t.lemma) || META_WORDS.has(t.lemma)) continue;
    const base = termOf(t);
    if (base === null || seen.has(base)) continue;
    seen.add(base);
    const alts = new Map<number, number>();
    const opposites = new Set<number>();
    if (antonyms) {
      for (const form of new Set([t.lower, t.lemma])) {
        for (const o of antonyms.of(form)) {
          const oid = termIdOfWord(index, o);
          if (oid !== undefined) opposites.add(oid);
        }
      }
    }
    const id = spelledTerm(index, t);
    if (id >= 0) alts.set(id, 1);
    else {
      // Not in the text: perhaps a typo. A word the vectors know is less likely one (but common
      // misspellings, "symptons", are in web-trained vectors too).
      const known = neighbours?.has(t.lower) ?? false;
      const rareWord = (vectors?.idOf(t.lower) ?? Infinity) >= PARAPHRASE.commonWordRank;
      const candidates = !known ? typosOf(index, t) : t.lower.length >= 6 && rareWord ? typosOf(index, t, 1) : [];
      for (const c of candidates) alts.set(c, known ? PARAPHRASE.knownWordTypoWeight : PARAPHRASE.typoWeight);
    }
    for (const p of placeEquivalents(t.lower)) {
      const pid = termIdOfWord(index, p);
      if (pid !== undefined && !alts.has(pid)) alts.set(pid, PARAPHRASE.placeWeight);
    }
    // Names are not paraphrased, by synonyms or neighbours ("China" is not "Japan").
    const paraphrased = t.pos !== 'PROPN' && !/^\p{Lu}/u.test(t.value);
    // A WordNet synonym ("purchase" for "buy").
    if (synonyms && paraphrased) {
      for (const form of new Set([t.lower, t.lemma])) {
        for (const synonym of synonyms.of(form)) {
          const sid = termIdOfWord(index, synonym);
          if (sid !== undefined && !alts.has(sid) && !opposites.has(sid)) alts.set(sid, PARAPHRASE.synonymWeight * (id >= 0 ? PARAPHRASE.presentDamp : 1));
        }
      }
    }
    if (neighbours && paraphrased) {
      const damp = (id >= 0 ? PARAPHRASE.presentDamp : 1) * (t.pos === 'VERB' || t.pos === 'AUX' ? PARAPHRASE.verbDamp : 1);
      let added = 0;
      const termOfNeighbour = neighbourTerms(index, neighbours);
      for (const form of new Set([t.lower, t.lemma])) {
        for (const n of neighbours.neighbourIds(form)) {
          if (termOfNeighbour[n.id] === UNSEEN) termOfNeighbour[n.id] = termIdOfWord(index, neighbours.wordOf(n.id)) ?? -1;
          const nid = termOfNeighbour[n.id];
          if (nid < 0 || alts.has(nid) || opposites.has(nid)) continue;
          alts.set(nid, PARAPHRASE.neighbourWeight * n.similarity * damp);
          if (++added >= PARAPHRASE.maxNeighbours) break;
        }
      }
    }
    // A word the index has never seen still counts against coverage, at a typical IDF.
    const termIdf = id >= 0 ? idf(index, id) : Math.max(Math.log(1 + index.paraDoc.length / 2), ...[...alts.keys()].map((alt) => idf(index, alt)));
    const run = runs.findIndex((r) => r.includes(t));
    terms.push({
      text: t.lower,
      lemma: t.lemma,
      idf: termIdf * (POS_WEIGHT[t.pos] ?? 0.7),
      exact: id,
      alts,
      opposites,
      speakerName: speakerWords.has(withoutPossessive(t.lower)),
      specific: run >= 0 || t.pos === 'NUM' || /\d/.test(t.value),
      concept: run >= 0 ? -1 - run : terms.length,
    });
  }
  return terms;
}
