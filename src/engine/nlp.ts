/**
 * The one wink-nlp instance, and a tokenizer that maps every token back to character offsets in
 * the source text (wink normalises some white space, so offsets are found, not trusted).
 */
import winkNLP, { type ItemSentence } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { withPlainLetters } from './text.js';

export interface Token {
  /** The token exactly as it appears in the source. */
  value: string;
  lower: string;
  /** Lower-cased lemma. */
  lemma: string;
  /** Porter stem: folds derived forms (hopefully -> hope) that lemmas keep apart. */
  stem: string;
  /** Universal POS tag from wink (PROPN, NOUN, VERB, AUX, PUNCT, ...). */
  pos: string;
  stop: boolean;
  /**
   * An acronym: dotted capital initials ("U.S.", "F.A.O.") or a name in capitals in a sentence that
   * is not ("US", "WHO"). Never a stop word; dotted initials stem as their letters do ("U.S." as "US").
   */
  acronym: boolean;
  start: number;
  end: number;
}

export interface TokenizedSentence {
  start: number;
  end: number;
  tokens: Token[];
}

// Sentences and parts of speech (with lemmas) are all the engine reads: wink's entity, negation and
// sentiment passes are left out of the pipe (a third of its time; tokens are the same without them).
const nlp = winkNLP(model, ['sbd', 'pos']);
const its = nlp.its;

/** Words that carry meaning for retrieval even though wink lists them as stop words. */
const NEGATIONS = new Set(['not', 'no', 'never', 'nor', "n't", 'none', 'nothing', 'without']);

/** A hyphen written between two words with no space: part of one word or name ("Jean-Luc", "AFL-CIO"). */
export const isHyphenJoin = (tokens: Token[], i: number): boolean =>
  /^[-‐‑]$/.test(tokens[i]?.value ?? '') && tokens[i - 1]?.end === tokens[i].start && tokens[i + 1]?.start === tokens[i].end;

/** Tokens as written: joined by a space only where the text had one ("Park Ji-hoon", not "Park Ji - hoon"). */
export const tokensText = (tokens: Token[]): string => tokens.map((t, i) => (i && tokens[i - 1].end === t.start ? '' : ' ') + t.value).join('').trim();

export function isNegation(lower: string): boolean {
  return NEGATIONS.has(lower);
}

/** Distinct spellings whose stems are remembered; past this the memo starts over (questions bring new words forever). */
const STEM_MEMO_MAX = 200_000;
const stemMemo = new Map<string, string>();
const porterStem = (model as unknown as { addons: { stem: (word: string) => string } }).addons.stem;

/** wink's Porter stem of a token as written, once per spelling: a text repeats its words, and stemming every token was a fifth of an index build. */
function stemOf(value: string): string {
  let stem = stemMemo.get(value);
  if (stem === undefined) {
    if (stemMemo.size >= STEM_MEMO_MAX) stemMemo.clear();
    stem = porterStem(value);
    stemMemo.set(value, stem);
  }
  return stem;
}

/** Acronyms (see Token.acronym): dotted capital initials, or 2-5 capitals. */
const DOTTED_INITIALS = /^(?:\p{Lu}\.){2,}$/u;
const CAPITALS = /^\p{Lu}{2,5}$/u;

/**
 * Splits `text` (one paragraph, or a question) into sentences of tokens with offsets relative to
 * `base`. Pure and synchronous.
 */
export function tokenize(text: string, base = 0): TokenizedSentence[] {
  // wink reads the letters beyond Latin-1 as word breaks ("Vučić" is "Vu", "č", "i", "ć"): it is
  // given the plain letters instead, and each token keeps the text's own spelling.
  const plain = withPlainLetters(text);
  const rewritten = plain !== text;
  const doc = nlp.readDoc(plain);
  const sentences: TokenizedSentence[] = [];
  let cursor = 0;
  doc.sentences().each((sentence: ItemSentence) => {
    const toks = sentence.tokens();
    // wink's typings do not accept every `its` helper; each returns one value per token.
    const column = <T>(f: unknown) => toks.out(f as never) as unknown as T[];
    const values = column<string>(its.value);
    const pos = column<string>(its.pos);
    const lemmas = column<string>(its.lemma);
    const stops = column<boolean>(its.stopWordFlag);
    const cased = values.some((v) => /\p{Ll}/u.test(v));
    const tokens: Token[] = [];
    for (let i = 0; i < values.length; i++) {
      if (pos[i] === 'SPACE' || values[i].trim() === '') continue;
      const at = plain.indexOf(values[i], cursor);
      // A token wink rewrote (rare) is kept without offsets moving backwards.
      const start = at >= 0 ? at : cursor;
      const end = at >= 0 ? at + values[i].length : cursor;
      cursor = end;
      const value = at >= 0 && rewritten ? text.slice(start, end) : values[i];
      const lower = value.toLowerCase();
      const dotted = DOTTED_INITIALS.test(value);
      const acronym = dotted || (cased && CAPITALS.test(value) && (pos[i] === 'PROPN' || pos[i] === 'NOUN'));
      tokens.push({
        value,
        lower,
        lemma: (lemmas[i] ?? lower).toLowerCase(),
        // (dotted initials stem as their letters would: "U.S." as "US")
        stem: stemOf(dotted ? values[i].replace(/\./g, '') : values[i]).toLowerCase(),
        pos: pos[i],
        stop: !acronym && Boolean(stops[i]),
        acronym,
        start: base + start,
        end: base + end,
      });
    }
    markNameParticles(tokens);
    if (tokens.length) {
      sentences.push({ start: tokens[0].start, end: tokens[tokens.length - 1].end, tokens });
    }
  });
  return sentences;
}

/** Lower-case particles inside names: "Pieter van Wyk", "Ursula von der Leyen", "Abdullah bin Zayed". */
const NAME_PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'da', 'di', 'du', 'del', 'della', 'dos', 'das', 'ter', 'ten', 'bin', 'ibn', 'al', 'el', 'le', 'la']);

/** A run of one or two name particles between two proper nouns is part of one name: tagged a proper noun too. */
function markNameParticles(tokens: Token[]): void {
  for (let i = 1; i + 1 < tokens.length; i++) {
    if (tokens[i - 1].pos !== 'PROPN' || !NAME_PARTICLES.has(tokens[i].value)) continue;
    const last = NAME_PARTICLES.has(tokens[i + 1].value) ? i + 1 : i;
    const next = tokens[last + 1];
    if (next?.pos !== 'PROPN' || !/^\p{Lu}/u.test(next.value)) continue;
    for (let j = i; j <= last; j++) tokens[j].pos = 'PROPN';
    i = last;
  }
}

/** The stems of plain lower-case words, in order, as a token of each would have them (no tokenizer pass: forty thousand words' synonyms are stemmed at install). */
export function stems(words: string[]): string[] {
  return words.map((w) => (/^[a-z]+$/.test(w) ? stemOf(w).toLowerCase() : w));
}
