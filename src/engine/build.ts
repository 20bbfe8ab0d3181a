/**
 * Source files -> a built knowledge base: documents, attributed quotes, speakers and the search
 * index. Pure and synchronous; the knowledge store runs it in a worker for large folders.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document, Quote, SourceDoc, Speaker } from './types.js';
import { parseKnowledgeText } from './parse.js';
import { tokenize, isHyphenJoin, isNegation, type Token, type TokenizedSentence } from './nlp.js';
import { attributeDocument, type Mention } from './attribution/index.js';
import { mergeSpeakers } from './speakers.js';
import { collectGarbage } from './memory.js';
import { defaultPersonNouns } from './word-data.js';
import { editDistance, nameKey, withoutAccents } from './text.js';

/** Sentence flags used by question analysis. */
export const FLAG_DATE = 1;
export const FLAG_NUMBER = 2;
/** The sentence has quote marks: someone's words, or words held at a distance. */
export const FLAG_QUOTED = 4;
/** The sentence names a place: "in/at/near/from/on <Name>", or a dateline ("VILNIUS, Lithuania –"). */
export const FLAG_PLACE = 8;
/** The sentence gives a reason: because, due to, for fear of, in order to ... */
export const FLAG_REASON = 16;
/** The sentence is negated: not, no, never, n't, ... */
export const FLAG_NEGATED = 32;
/** The sentence asks a question ("Does numbness in the left hand indicate a tumor?"): an answer follows it, if any. */
export const FLAG_ASKS = 64;

/** Does the sentence end in a question mark (closing quotes and brackets aside)? */
function asksQuestion(tokens: Token[]): boolean {
  let i = tokens.length - 1;
  while (i >= 0 && /^[“”"«»„’')\]]$/.test(tokens[i].value)) i--;
  return i >= 0 && tokens[i].value.endsWith('?');
}

export interface SearchIndex {
  /** term id -> term (lower-case Porter stem of the word). */
  terms: string[];
  /** Paragraph postings, CSR layout: postings of term t are [postingStart[t], postingStart[t+1]). */
  postingStart: Int32Array;
  postingPara: Int32Array;
  postingTf: Uint16Array;
  /** Global paragraph id -> document index / paragraph index in the document / length in terms. */
  paraDoc: Int32Array;
  paraIndex: Int32Array;
  paraLength: Int32Array;
  avgParaLength: number;
  /** Global paragraph id -> its first global sentence id (CSR, length paragraphs + 1). */
  paraSentStart: Int32Array;
  /** Document index -> its mean sentences per paragraph (news runs one to three, encyclopedic prose five). */
  docParagraphSentences: Float32Array;
  /** Global sentence id -> sentence index within its paragraph, terms (CSR), speaker, flags. */
  sentIndex: Int32Array;
  sentTermStart: Int32Array;
  sentTerms: Int32Array;
  /** Speaker of the sentence's first quote, or -1 for the article's own voice. */
  sentSpeaker: Int32Array;
  /** Quote of that speaker in the sentence, or -1. */
  sentQuote: Int32Array;
  sentFlags: Uint8Array;
  /** Lower-case surface form -> term id, to map word-vector neighbours onto the index. */
  surfaceTerms: Map<string, number>;
  /** Lower-case proper-noun words, to tell a name the knowledge never mentions. */
  properNouns: Set<string>;
  /** Words of multi-word proper names ("vladimir", "putin"): people and bodies, not places. */
  nameWords: Set<string>;
  /**
   * Words the text writes as a name more often than in lower case ("hanul", not "union"), also
   * without their accents: the words that get a capital when a question typed in one case is re-cased.
   */
  mostlyNames: Set<string>;
  /** Words the text never shows the case of: written only at a sentence start ("Andrew Small, 41, said"), or capitalised but not read as a name. */
  caseUnseen: Set<string>;
  /**
   * Acronyms the text spells out: initials of capitalised word runs ("ANU" for Australian National
   * University, "ECOWAS" for Economic Community of West African States, "WWII" for World War II)
   * and of hyphenated words ("EV" for electric-vehicle).
   */
  initialisms: Set<string>;
  /** Adjacent words of the text's multi-word names, lower case ("new york", "city council"): re-cased together. */
  namePairs: Set<string>;
}

export interface Knowledge {
  /** Content hash of the source files: the knowledge version. */
  version: string;
  documents: Document[];
  speakers: Speaker[];
  quotes: Quote[];
  index: SearchIndex;
}

export const ENGINE_VERSION = 2;

/**
 * Fingerprint of the engine's own code and of the word data the build reads (the person nouns that
 * attribution takes as speakers): a built knowledge base is only valid for what built it, so
 * caches key on this as well as on the files (no stale index after an upgrade or a rebuilt list).
 */
export const ENGINE_FINGERPRINT: string = (() => {
  const h = createHash('sha256').update(String(ENGINE_VERSION));
  try {
    const dir = dirname(fileURLToPath(import.meta.url));
    // (its folders too: attribution/)
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((x) => /\.(ts|js)$/.test(x)).sort()) h.update(f).update(readFileSync(join(dir, f)));
  } catch {
    // bundled or unreadable: the version number alone
  }
  // (the list as attribution loads it, read once; without it, attribution goes without and a warning at start says so)
  h.update([...(defaultPersonNouns() ?? ['no person nouns'])].join('\n'));
  return h.digest('hex').slice(0, 12);
})();
/** How much text is built between full garbage collections (see memory.ts). */
const COLLECT_EVERY_CHARS = 1_000_000;

/** Content hash of a set of files, independent of their order. */
export function contentHash(sources: SourceDoc[]): string {
  const h = createHash('sha256');
  h.update(`engine ${ENGINE_FINGERPRINT}\n`);
  for (const s of [...sources].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    h.update(`${s.name}\0${s.text.length}\0`);
    h.update(s.text);
  }
  return h.digest('hex').slice(0, 16);
}

/** A token's retrieval term (its stem), or null for punctuation and stop words (negations are kept). */
export function termOf(t: Token): string | null {
  if (!/[\p{L}\p{N}]/u.test(t.value)) return null;
  if ((t.stop || t.pos === 'PART') && !isNegation(t.lower)) return null;
  return t.stem.replace(/[’']/g, "'");
}

class GrowableInts {
  data: Int32Array;
  length = 0;
  constructor(size = 1024) {
    this.data = new Int32Array(size);
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** Builds the knowledge base. Throws KnowledgeFileError for a file that cannot be parsed. */
export function buildKnowledge(sources: SourceDoc[]): Knowledge {
  const documents: Document[] = [];
  const mentions: Array<Mention & { doc: number }> = [];
  const frontMatterAliases: Record<string, string[]> = {};
  const index = new IndexBuilder();

  // One document at a time: its tokens are indexed and dropped before the next is read, so
  // memory holds the index, not a million token objects.
  let sinceCollection = 0;
  for (const src of sources) {
    sinceCollection += src.text.length;
    if (sinceCollection > COLLECT_EVERY_CHARS) {
      collectGarbage();
      sinceCollection = 0;
    }
    const parsed = src.parsed ?? parseKnowledgeText(src.name, src.text);
    Object.assign(frontMatterAliases, parsed.aliases);
    const paragraphs = parsed.paragraphs.map((p) => tokenize(src.text.slice(p.start, p.end), p.start));
    const d = documents.length;
    documents.push({
      name: src.name,
      title: parsed.title,
      meta: parsed.meta,
      text: src.text,
      sections: parsed.sections,
      paragraphs: parsed.paragraphs.map((p, i) => ({
        number: i + 1,
        section: p.section,
        start: p.start,
        end: p.end,
        sentences: paragraphs[i].map((s) => ({ start: s.start, end: s.end })),
      })),
    });
    const first = mentions.length;
    const frontMatterNames = Object.entries(parsed.aliases).flatMap(([name, list]) => [name, ...list]);
    for (const m of attributeDocument({ text: src.text, names: frontMatterNames }, paragraphs)) mentions.push({ ...m, doc: d });
    index.addDocument(d, paragraphs, mentions, first);
  }

  const { speakers, speakerOf } = mergeSpeakers(mentions, frontMatterAliases);
  const quotes: Quote[] = mentions.map((m, i) => ({
    speaker: speakerOf[i],
    kind: m.kind,
    doc: m.doc,
    paragraph: m.paragraph,
    sentence: m.sentence,
    start: m.start,
    end: m.end,
  }));
  addMisspeltSurnames(speakers, quotes, index.capitalisedWords);
  return { version: contentHash(sources), documents, speakers, quotes, index: index.finish(quotes) };
}

/**
 * A capitalised word one typo away from exactly one speaker's surname ("Zianrong" for
 * Xianrong), in a document where that speaker is quoted, is that speaker's alias: the article's
 * own misspelling.
 */
function addMisspeltSurnames(speakers: Speaker[], quotes: Quote[], capitalisedWords: Map<number, Set<string>>) {
  const known = new Set(speakers.flatMap((s) => [s.name, ...s.aliases].flatMap((n) => nameKey(n).split(' '))));
  const speakersByDoc = new Map<number, Set<number>>();
  for (const q of quotes) {
    if (!speakersByDoc.has(q.doc)) speakersByDoc.set(q.doc, new Set());
    speakersByDoc.get(q.doc)!.add(q.speaker);
  }
  for (const [doc, words] of capitalisedWords) {
    const surnames: Array<[string, number]> = [];
    for (const i of speakersByDoc.get(doc) ?? []) {
      const parts = nameKey(speakers[i].name).split(' ');
      if (parts.length >= 2 && parts[parts.length - 1].length >= 6) surnames.push([parts[parts.length - 1], i]);
    }
    for (const word of words) {
      const lower = word.toLowerCase();
      if (lower.length < 6 || known.has(lower)) continue;
      const owners = new Set(surnames.filter(([sn]) => Math.abs(sn.length - lower.length) <= 1 && editDistance(lower, sn, 1) <= 1).map(([, i]) => i));
      if (owners.size === 1) {
        const owner = [...owners][0];
        if (!speakers[owner].aliases.includes(word)) speakers[owner].aliases.push(word);
      }
    }
  }
}

const PLACE_PREPOSITIONS = new Set(['in', 'at', 'near', 'from', 'on', 'outside', 'inside', 'across']);
const REASON_WORDS = new Set(['because', 'since', 'due', 'owing', 'therefore', 'consequence', 'reason', 'reasons', 'cause', 'caused', 'causes', 'causing', 'thus', 'hence', 'result', 'resulted', 'amid', 'blamed', 'blame', 'blames', 'allow', 'allows', 'allowed', 'enable', 'enables']);

export const DATE_WORD = /^(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|tonight|week|weekend|month|year|decade|century|spring|summer|autumn|winter|morning|afternoon|evening|night|midnight|noon|ago|\d{4}s?)$/;

/** Longest acronym recorded, in words. */
const MAX_INITIALS = 6;
/** Lower-case words inside a name that an acronym may or may not spell ("Economic Community of West African States"). */
const INITIALISM_CONNECTORS = new Set(['of', 'and', 'the', 'for', '&']);

/** Accumulates the search index document by document; `finish` lays it out in typed arrays. */
class IndexBuilder {
  private termIds = new Map<string, number>();
  private terms: string[] = [];
  private surfaceTerms = new Map<string, number>();
  private properNouns = new Set<string>();
  private nameWords = new Set<string>();
  private initialisms = new Set<string>();
  private namePairs = new Set<string>();
  /** Per word, times written as a proper noun minus times in lower case (mid-sentence). */
  private nameBalance = new Map<string, number>();
  /** Proper-noun words as written, per document, for misspelt-surname aliases. */
  readonly capitalisedWords = new Map<number, Set<string>>();
  private paraDoc = new GrowableInts();
  private docParagraphSentences: number[] = [];
  private paraIndex = new GrowableInts();
  private paraLength = new GrowableInts();
  private paraSentStart = new GrowableInts();
  private sentIndex = new GrowableInts();
  private sentTermStart = new GrowableInts();
  private sentTerms = new GrowableInts(1 << 16);
  private sentQuote = new GrowableInts();
  private sentFlags = new GrowableInts();
  // (term, paragraph, tf) triples, grouped into postings by `finish`.
  private tripleTerm = new GrowableInts(1 << 16);
  private triplePara = new GrowableInts(1 << 16);
  private tripleTf = new GrowableInts(1 << 16);
  private sentCount = 0;

  private idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  /** Indexes one document's paragraphs; mentions[first..] are this document's, in order. */
  addDocument(d: number, paragraphs: TokenizedSentence[][], mentions: Mention[], first: number) {
    // The first statement in each sentence labels it with its speaker; a quote that runs over
    // several sentences labels each of them (an answer from its second sentence has a speaker).
    const quoteAt = new Map<string, number>();
    for (let i = first; i < mentions.length; i++) {
      const m = mentions[i];
      paragraphs[m.paragraph]?.forEach((sentence, si) => {
        const covered = si === m.sentence || (sentence.start < m.end && sentence.end > m.start);
        if (covered && !quoteAt.has(`${m.paragraph}:${si}`)) quoteAt.set(`${m.paragraph}:${si}`, i);
      });
    }
    this.docParagraphSentences[d] = paragraphs.reduce((n, sentences) => n + sentences.length, 0) / Math.max(1, paragraphs.length);
    paragraphs.forEach((sentences, p) => {
      const para = this.paraDoc.length;
      this.paraDoc.push(d);
      this.paraIndex.push(p);
      this.paraSentStart.push(this.sentCount);
      const tf = new Map<number, number>();
      let length = 0;
      sentences.forEach((s, si) => {
        this.sentIndex.push(si);
        this.sentTermStart.push(this.sentTerms.length);
        this.noteNames(d, s.tokens);
        this.noteInitialisms(s.tokens);
        let flags = 0;
        s.tokens.forEach((t, ti) => {
          if (t.pos === 'NUM') flags |= FLAG_NUMBER;
          if (DATE_WORD.test(t.lower) && (t.lower !== 'may' || t.pos === 'PROPN')) flags |= FLAG_DATE;
          if (/^[“”"«»„]$/.test(t.value)) flags |= FLAG_QUOTED;
          if (t.pos === 'PROPN' && ti > 0 && PLACE_PREPOSITIONS.has(s.tokens[ti - 1].lower)) flags |= FLAG_PLACE;
          if (ti === 0 && /^\p{Lu}{3,}$/u.test(t.value) && s.tokens[1]?.value === ',') flags |= FLAG_PLACE;
          if (REASON_WORDS.has(t.lower) || (t.lower === 'fear' && s.tokens[ti - 1]?.lower === 'for')) flags |= FLAG_REASON;
          if (isNegation(t.lower)) flags |= FLAG_NEGATED;
          const proper = t.pos === 'PROPN' || t.acronym;
          if (proper && ti > 0) this.properNouns.add(t.lower);
          if (ti > 0 && (proper || t.value === t.lower)) this.nameBalance.set(t.lower, (this.nameBalance.get(t.lower) ?? 0) + (proper ? 1 : -1));
          const term = termOf(t);
          if (term === null) return;
          const id = this.idOf(term);
          if (!this.surfaceTerms.has(t.lower)) this.surfaceTerms.set(t.lower, id);
          this.sentTerms.push(id);
          tf.set(id, (tf.get(id) ?? 0) + 1);
          length++;
        });
        if (asksQuestion(s.tokens)) flags |= FLAG_ASKS;
        this.sentQuote.push(quoteAt.get(`${p}:${si}`) ?? -1);
        this.sentFlags.push(flags);
        this.sentCount++;
      });
      this.paraLength.push(length);
      for (const [id, n] of tf) {
        this.tripleTerm.push(id);
        this.triplePara.push(para);
        this.tripleTf.push(Math.min(n, 65535));
      }
    });
  }

  /** Words of multi-word proper names, and capitalised words, of one sentence. */
  private noteNames(d: number, tokens: Token[]) {
    if (!this.capitalisedWords.has(d)) this.capitalisedWords.set(d, new Set());
    const capitalised = this.capitalisedWords.get(d)!;
    // Capitalised word pairs away from the sentence start, whatever the tagger says of each word
    // ("New York City/NOUN Council"); not in a line in capitals (a headline), not stop words.
    const name = (t: Token) => /^\p{Lu}/u.test(t.value) && !t.stop;
    if (tokens.some((t) => /\p{Ll}/u.test(t.value))) {
      for (let x = 1; x + 1 < tokens.length; x++) if (name(tokens[x]) && name(tokens[x + 1])) this.namePairs.add(`${tokens[x].lower} ${tokens[x + 1].lower}`);
    }
    for (let a = 1; a < tokens.length; a++) {
      let b = a;
      while (b < tokens.length && tokens[b].pos === 'PROPN' && /^\p{Lu}/u.test(tokens[b].value)) {
        capitalised.add(tokens[b].value);
        b++;
      }
      if (b - a >= 2) for (let x = a; x < b; x++) this.nameWords.add(tokens[x].lower);
      a = b;
    }
  }

  /** The initials of the sentence's capitalised runs and hyphenated words (see SearchIndex.initialisms). */
  private noteInitialisms(tokens: Token[]) {
    for (let a = 0; a < tokens.length; a++) {
      const first = tokens[a];
      if (isHyphenJoin(tokens, a + 1)) {
        // "electric-vehicle", "Sklodowska-Curie"
        let initials = first.value[0];
        for (let b = a + 1; isHyphenJoin(tokens, b); b += 2) initials += tokens[b + 1].value[0];
        this.initialisms.add(initials.toUpperCase());
      }
      if (!/^\p{Lu}/u.test(first.value)) continue;
      // Connecting words ("of", "and") may give their initial or not: ECOWAS, but NATO.
      let withConnectors = first.value[0];
      let without = first.value[0];
      for (let b = a + 1, words = 1; b < tokens.length && words < MAX_INITIALS; b++) {
        const t = tokens[b];
        if (INITIALISM_CONNECTORS.has(t.lower)) {
          withConnectors += t.lower[0].toUpperCase();
          continue;
        }
        if (isHyphenJoin(tokens, b)) continue;
        if (!/^\p{Lu}/u.test(t.value)) break;
        // A numeral stands whole: World War II is WWII.
        const part = /^(?:I{1,3}|IV|\d{1,2})$/.test(t.value) ? t.value : t.value[0];
        withConnectors += part;
        without += part;
        words++;
        this.initialisms.add(withConnectors);
        this.initialisms.add(without);
      }
    }
  }

  finish(quotes: Quote[]): SearchIndex {
    this.sentTermStart.push(this.sentTerms.length);
    this.paraSentStart.push(this.sentCount);
    // Counting sort of the triples by term -> CSR postings (paragraph ids stay ascending).
    const tTerm = this.tripleTerm.done();
    const postingStart = new Int32Array(this.terms.length + 1);
    for (let i = 0; i < tTerm.length; i++) postingStart[tTerm[i] + 1]++;
    for (let t = 0; t < this.terms.length; t++) postingStart[t + 1] += postingStart[t];
    const fill = postingStart.slice(0, this.terms.length);
    const postingPara = new Int32Array(tTerm.length);
    const postingTf = new Uint16Array(tTerm.length);
    const tPara = this.triplePara.done();
    const tTf = this.tripleTf.done();
    for (let i = 0; i < tTerm.length; i++) {
      const at = fill[tTerm[i]]++;
      postingPara[at] = tPara[i];
      postingTf[at] = tTf[i];
    }
    const lengths = this.paraLength.done();
    const total = lengths.reduce((a, b) => a + b, 0);
    const sentQuote = this.sentQuote.done();
    return {
      terms: this.terms,
      postingStart,
      postingPara,
      postingTf,
      paraDoc: this.paraDoc.done(),
      paraIndex: this.paraIndex.done(),
      paraLength: lengths,
      avgParaLength: lengths.length ? total / lengths.length : 1,
      paraSentStart: this.paraSentStart.done(),
      docParagraphSentences: Float32Array.from(this.docParagraphSentences, (v) => v ?? 0),
      sentIndex: this.sentIndex.done(),
      sentTermStart: this.sentTermStart.done(),
      sentTerms: this.sentTerms.done(),
      sentSpeaker: sentQuote.map((q) => (q < 0 ? -1 : quotes[q].speaker)),
      sentQuote,
      sentFlags: Uint8Array.from(this.sentFlags.done()),
      surfaceTerms: this.surfaceTerms,
      properNouns: this.properNouns,
      nameWords: this.nameWords,
      initialisms: this.initialisms,
      namePairs: this.namePairs,
      // (also without accents: "SAO PAULO" is re-cased like "São Paulo")
      mostlyNames: new Set([...this.nameBalance].filter(([, n]) => n > 0).flatMap(([w]) => [w, withoutAccents(w)])),
      caseUnseen: new Set([...this.surfaceTerms.keys()].filter((w) => !this.nameBalance.has(w))),
    };
  }
}
