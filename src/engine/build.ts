/**
 * Source files -> a built knowledge base: documents, attributed quotes, speakers and the search
 * index. Pure and synchronous; the knowledge store runs it in a worker for large folders.
 */
import { createHash } from 'node:crypto';
import type { Document, Quote, SourceDoc, Speaker } from './types.js';
import { parseKnowledgeText } from './parse.js';
import { tokenize, isNegation, type Token, type TokenizedSentence } from './nlp.js';
import { attributeDocument, type Mention } from './attribute.js';
import { mergeSpeakers } from './speakers.js';
import { editDistance, nameKey } from './text.js';

/** Sentence flags used by question analysis. */
export const FLAG_DATE = 1;
export const FLAG_NUMBER = 2;

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
}

export interface Knowledge {
  /** Content hash of the source files: the knowledge version. */
  version: string;
  documents: Document[];
  speakers: Speaker[];
  quotes: Quote[];
  index: SearchIndex;
}

export const ENGINE_VERSION = 1;

/** Content hash of a set of files, independent of their order. */
export function contentHash(sources: SourceDoc[]): string {
  const h = createHash('sha256');
  h.update(`engine ${ENGINE_VERSION}\n`);
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
  const allMentions: Array<Mention & { doc: number }> = [];
  const frontMatterAliases: Record<string, string[]> = {};
  const tokenized: TokenizedSentence[][][] = [];

  for (const src of sources) {
    const parsed = parseKnowledgeText(src.name, src.text);
    Object.assign(frontMatterAliases, parsed.aliases);
    const paragraphs = parsed.paragraphs.map((p) => tokenize(src.text.slice(p.start, p.end), p.start));
    const doc: Document = {
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
    };
    // Names the text uses mid-sentence, and front-matter names, are names even at a sentence start.
    const midSentenceCapitals = new Set<string>(
      Object.entries(parsed.aliases).flatMap(([name, list]) => [name, ...list].flatMap((n) => n.split(/\s+/))),
    );
    for (const sentences of paragraphs) {
      for (const s of sentences) {
        s.tokens.forEach((t, i) => {
          if (i > 0 && t.pos === 'PROPN' && s.tokens[i - 1].pos !== 'PUNCT') midSentenceCapitals.add(t.value);
        });
      }
    }
    const d = documents.length;
    for (const m of attributeDocument({ text: src.text, midSentenceCapitals }, paragraphs)) allMentions.push({ ...m, doc: d });
    documents.push(doc);
    tokenized.push(paragraphs);
  }

  const { speakers, speakerOf } = mergeSpeakers(allMentions, frontMatterAliases);
  const quotes: Quote[] = allMentions.map((m, i) => ({
    speaker: speakerOf[i],
    kind: m.kind,
    doc: m.doc,
    paragraph: m.paragraph,
    sentence: m.sentence,
    start: m.start,
    end: m.end,
  }));
  addMisspeltSurnames(speakers, tokenized);
  const index = buildIndex(documents, tokenized, quotes);
  return { version: contentHash(sources), documents, speakers, quotes, index };
}

/**
 * A capitalised word one typo away from exactly one speaker's surname ("Zianrong" for
 * Xianrong) is that speaker's alias: the article's own misspelling.
 */
function addMisspeltSurnames(speakers: Speaker[], docs: TokenizedSentence[][][]) {
  const surnames = new Map<string, number[]>();
  speakers.forEach((s, i) => {
    const parts = nameKey(s.name).split(' ');
    if (parts.length < 2) return;
    const last = parts[parts.length - 1];
    if (last.length >= 6) surnames.set(last, [...(surnames.get(last) ?? []), i]);
  });
  if (!surnames.size) return;
  const known = new Set(speakers.flatMap((s) => [s.name, ...s.aliases].flatMap((n) => nameKey(n).split(' '))));
  const seen = new Set<string>();
  for (const paragraphs of docs) {
    for (const sentences of paragraphs) {
      for (const s of sentences) {
        for (const t of s.tokens) {
          if (t.pos !== 'PROPN' || t.lower.length < 6 || known.has(t.lower) || seen.has(t.lower)) continue;
          seen.add(t.lower);
          const owners = [...surnames].filter(([sn]) => editDistance(t.lower, sn, 1) <= 1).flatMap(([, o]) => o);
          if (owners.length === 1) speakers[owners[0]].aliases.push(t.value);
        }
      }
    }
  }
}

function buildIndex(documents: Document[], docs: TokenizedSentence[][][], quotes: Quote[]): SearchIndex {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const surfaceTerms = new Map<string, number>();
  const properNouns = new Set<string>();
  const nameWords = new Set<string>();
  const idOf = (term: string) => {
    let id = termIds.get(term);
    if (id === undefined) {
      id = terms.length;
      terms.push(term);
      termIds.set(term, id);
    }
    return id;
  };

  // Quotes by (doc, paragraph, sentence), to label sentences with their speaker.
  const quoteAt = new Map<string, number>();
  quotes.forEach((q, i) => {
    const key = `${q.doc}:${q.paragraph}:${q.sentence}`;
    if (!quoteAt.has(key)) quoteAt.set(key, i);
  });

  const paraDoc = new GrowableInts();
  const paraIndex = new GrowableInts();
  const paraLength = new GrowableInts();
  const paraSentStart = new GrowableInts();
  const sentIndex = new GrowableInts();
  const sentTermStart = new GrowableInts();
  const sentTerms = new GrowableInts(1 << 16);
  const sentSpeaker = new GrowableInts();
  const sentQuote = new GrowableInts();
  const sentFlags: number[] = [];
  // (term, paragraph, tf) triples, grouped into postings afterwards.
  const tripleTerm = new GrowableInts(1 << 16);
  const triplePara = new GrowableInts(1 << 16);
  const tripleTf = new GrowableInts(1 << 16);

  let sentCount = 0;
  docs.forEach((paragraphs, d) => {
    paragraphs.forEach((sentences, p) => {
      const para = paraDoc.length;
      paraDoc.push(d);
      paraIndex.push(p);
      paraSentStart.push(sentCount);
      const tf = new Map<number, number>();
      let length = 0;
      sentences.forEach((s, si) => {
        sentIndex.push(si);
        sentTermStart.push(sentTerms.length);
        let flags = 0;
        for (let a = 1; a < s.tokens.length; a++) {
          let b = a;
          while (b < s.tokens.length && s.tokens[b].pos === 'PROPN' && /^\p{Lu}/u.test(s.tokens[b].value)) b++;
          if (b - a >= 2) for (let x = a; x < b; x++) nameWords.add(s.tokens[x].lower);
          a = b;
        }
        s.tokens.forEach((t, ti) => {
          if (t.pos === 'NUM') flags |= FLAG_NUMBER;
          if (/^(?:january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|week|month|year|\d{4})$/.test(t.lower) && (t.lower !== 'may' || t.pos === 'PROPN')) flags |= FLAG_DATE;
          if (t.pos === 'PROPN' && ti > 0) properNouns.add(t.lower);
          const term = termOf(t);
          if (term === null) return;
          const id = idOf(term);
          if (!surfaceTerms.has(t.lower)) surfaceTerms.set(t.lower, id);
          sentTerms.push(id);
          tf.set(id, (tf.get(id) ?? 0) + 1);
          length++;
        });
        const q = quoteAt.get(`${d}:${p}:${si}`);
        sentSpeaker.push(q === undefined ? -1 : quotes[q].speaker);
        sentQuote.push(q ?? -1);
        sentFlags.push(flags);
        sentCount++;
      });
      paraLength.push(length);
      for (const [id, n] of tf) {
        tripleTerm.push(id);
        triplePara.push(para);
        tripleTf.push(Math.min(n, 65535));
      }
    });
  });
  sentTermStart.push(sentTerms.length);
  paraSentStart.push(sentCount);

  // Counting sort of the triples by term -> CSR postings (paragraph ids stay ascending).
  const tTerm = tripleTerm.done();
  const postingStart = new Int32Array(terms.length + 1);
  for (let i = 0; i < tTerm.length; i++) postingStart[tTerm[i] + 1]++;
  for (let t = 0; t < terms.length; t++) postingStart[t + 1] += postingStart[t];
  const fill = postingStart.slice(0, terms.length);
  const postingPara = new Int32Array(tTerm.length);
  const postingTf = new Uint16Array(tTerm.length);
  const tPara = triplePara.done();
  const tTf = tripleTf.done();
  for (let i = 0; i < tTerm.length; i++) {
    const at = fill[tTerm[i]]++;
    postingPara[at] = tPara[i];
    postingTf[at] = tTf[i];
  }
  const lengths = paraLength.done();
  const total = lengths.reduce((a, b) => a + b, 0);
  return {
    terms,
    postingStart,
    postingPara,
    postingTf,
    paraDoc: paraDoc.done(),
    paraIndex: paraIndex.done(),
    paraLength: lengths,
    avgParaLength: lengths.length ? total / lengths.length : 1,
    paraSentStart: paraSentStart.done(),
    sentIndex: sentIndex.done(),
    sentTermStart: sentTermStart.done(),
    sentTerms: sentTerms.done(),
    sentSpeaker: sentSpeaker.done(),
    sentQuote: sentQuote.done(),
    sentFlags: Uint8Array.from(sentFlags),
    surfaceTerms,
    properNouns,
    nameWords,
  };
}
