/**
 * Small token predicates and word sets the attribution modules share: quote marks (and the quoted
 * spans of a paragraph), punctuation and capitals, name tokens, determiners and possessives,
 * dashes, the nouns that can head a speaker ("spokeswoman", "cardiologists", "union"), and the
 * source phrases ("according to") that stand in for a reporting verb.
 */
import type { Token } from '../nlp.js';
import { COMPANY_NAME_ENDINGS, ORGANISATION_HEADS, COREFERRING_BODIES, ROLE_NOUNS, SPEAKER_BODIES, TITLE_WORDS, CALENDAR_WORDS } from '../lexicon.js';
import { defaultPersonNouns } from '../word-data.js';

export const OPENING = new Set(['“', '«', '„']);
const CLOSING = new Set(['”', '»']);
/** Token values that open a quote after a colon or a reporting verb, single quotes included: "Said Hodges: ' It's …". */
export const QUOTE_OPENERS = new Set([...OPENING, '"', "''", "'", '‘', '`', '``']);
/** Token values that close a quote: curly, straight, and the apostrophes of ''...''. */
export const CLOSING_TOKENS = new Set(['”', '»', '"', "'", "''"]);
/** Possessives that may point back to a body or person already named ("its spokesman", "their leader"). */
const NAMED_POSSESSIVES = ['its', 'his', 'her', 'their', 'our'];
/** Possessive determiners, also of the one speaking ("my", "your"). */
export const POSSESSIVES = new Set([...NAMED_POSSESSIVES, 'my', 'your']);
/** Determiners of a role that points back to someone already named ("the mayor", "its spokesman"). */
export const DEFINITE = new Set(['the', ...NAMED_POSSESSIVES]);

export const MAX_ROLE_PREFIX_TOKENS = 6;

/** Character spans [start, end) inside quote marks, in text coordinates. */
export function findQuoteSpans(text: string, from: number, to: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let open = -1;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (OPENING.has(c)) open = i + 1;
    else if (CLOSING.has(c) && open >= 0) {
      spans.push([open, i]);
      open = -1;
    } else if (c === '"' || (c === "'" && text[i + 1] === "'")) {
      // Straight quotes, and two apostrophes as some outlets print quote marks: ''We will win,'' he said.
      const width = c === '"' ? 1 : 2;
      if (c === "'") i++;
      if (open < 0) open = i + 1;
      else {
        spans.push([open, i + 1 - width]);
        open = -1;
      }
    }
  }
  // News style leaves a quote that runs on into the next paragraph unclosed.
  if (open >= 0 && to - open > 1) spans.push([open, to]);
  return spans.filter(([s, e]) => /\p{L}/u.test(text.slice(s, e)));
}

export const isPunct = (t: Token | undefined) => t?.pos === 'PUNCT';
export const isComma = (t: Token | undefined) => t?.value === ',';
export const isCapitalised = (t: Token) => {
  const c = t.value.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  return c > 127 && /^\p{Lu}/u.test(t.value); // a cheap test first: this runs on every token
};
/** Days named relative to today: never a name, and they may stand between subject and verb. */
export const DAY_WORDS = new Set(['yesterday', 'today', 'tonight', 'tomorrow']);
/** Capitalised words that are never a speaker's name: `officials said Friday`. */
export const NOT_NAMES = new Set([...CALENDAR_WORDS, ...DAY_WORDS]);
export const isNameToken = (t: Token | undefined): boolean =>
  !!t &&
  (t.pos === 'PROPN' || (t.pos === 'NOUN' && isCapitalised(t) && TITLE_WORDS.has(t.lower))) &&
  /\p{L}/u.test(t.value) &&
  !NOT_NAMES.has(t.lower);

export function span(text: string, tokens: Token[], from: number, to: number): string {
  return text.slice(tokens[from].start, tokens[to].end);
}

export const DETERMINERS = new Set(['a', 'an', 'one', 'another', ...DEFINITE, 'some', 'several', 'two', 'three', 'both', 'all', 'each']);
/** A noun that can head an unnamed speaker: a role or body of the hand lists, or a WordNet person noun ("cardiologists"). */
export const isSpeakerNoun = (t: Token | undefined): boolean =>
  !!t &&
  (t.pos === 'NOUN' || t.pos === 'PROPN') &&
  (ROLE_NOUNS.has(t.lemma) ||
    ROLE_NOUNS.has(t.lower) ||
    SPEAKER_BODIES.has(t.lower) ||
    COREFERRING_BODIES.has(t.lower) ||
    (t.pos === 'NOUN' && (isPersonNoun(t.lemma) || (t.lower !== t.lemma && isOrganisationHead(t.lemma))))); // "cardiologists", "companies", "unions"

/** Shortest person noun that names a person at the end of a compound ("ship|broker"), and shortest head before it. */
const COMPOUND_HEAD = 6;
const COMPOUND_PREFIX = 3;

/**
 * A WordNet person noun, or a compound written as one word that ends in one ("shipbroker",
 * "steelworker": WordNet has broker and worker, not every compound of them).
 */
export function isPersonNoun(lemma: string): boolean {
  const nouns = defaultPersonNouns();
  if (!nouns) return false;
  if (nouns.has(lemma)) return true;
  // (the tagger leaves a word it does not know as written: "shipbrokers")
  const singular = lemma.endsWith('s') ? lemma.slice(0, -1) : lemma;
  for (let k = COMPOUND_PREFIX; k <= singular.length - COMPOUND_HEAD; k++) if (nouns.has(singular.slice(k))) return true;
  return false;
}

/** A dash between words: em, en or horizontal bar, or a typed double hyphen. */
const DASH = '(?:[―—–]|--)';
const DASH_TOKEN = new RegExp(`^${DASH}$`);
export const isDash = (t: Token): boolean => DASH_TOKEN.test(t.value);
/** A closing quote, then a dash: the speaker follows ("“…” ― Pat Doe"). */
export const QUOTE_THEN_DASH = new RegExp(`^[.,!?]?\\s*[”"'»]{1,2}[.,]?\\s*${DASH}\\s*`);

/** The last word of an organisation's or a company's name: "union", "office", "motors", "inc.". */
export const isOrganisationHead = (word: string) => ORGANISATION_HEADS.has(word) || COMPANY_NAME_ENDINGS.has(word);

export const isPossessive = (t: Token | undefined) => !!t && /^['’]s?$/.test(t.value);
export const isRelativePronoun = (t: Token) => /^(?:who|whose|which|that)$/.test(t.lower);

/** A verb shaped like a participle: "asked", "driven", "leading". */
export const isParticipleForm = (t: Token) => t.pos === 'VERB' && /(?:ed|en|ing)$/.test(t.lower);

/**
 * Phrases that name a source in place of a reporting verb: "according to X" gives a quote or a
 * clause; "in the words of X", "to quote X" and "as X put it" give only quoted words ("in the
 * words of the song" without a quote is no one's statement).
 */
export const SOURCE_PHRASES: Array<{ words: string[]; quoteOnly: boolean }> = [
  { words: ['according', 'to'], quoteOnly: false },
  { words: ['in', 'the', 'words', 'of'], quoteOnly: true },
  { words: ['to', 'quote'], quoteOnly: true },
];

/** Do `words` stand in the sentence from token `start` on? */
export const wordsAt = (tokens: Token[], words: string[], start: number) => words.every((w, n) => tokens[start + n]?.lower === w);

/** The source phrase whose last word is token `k`, or undefined. */
export function sourcePhraseEndingAt(tokens: Token[], k: number) {
  return SOURCE_PHRASES.find(({ words }) => wordsAt(tokens, words, k - words.length + 1));
}

export const WH_WORDS = new Set(['how', 'why', 'whether', 'what', 'when', 'where', 'who', 'which', 'if']);

/** Objects that make a reporting verb a thought: "he said to himself", "she told herself". */
export const REFLEXIVES = new Set(['myself', 'yourself', 'himself', 'herself', 'itself', 'ourselves', 'yourselves', 'themselves']);

/** Before a name, words that make it a place or a body: "in New York", "the White House". */
export const PLACE_WORDS = new Set(['in', 'at', 'from', 'to', 'into', 'near', 'across', 'on', 'of', 'the']);
