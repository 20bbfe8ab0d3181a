/**
 * The engine's data model. Everything here is plain data (no class instances), so a built
 * knowledge base can cross a worker boundary and be cached on disk with structured clone.
 * Offsets are UTF-16 code-unit offsets into the document's `text`, so a passage is always
 * `text.slice(start, end)`: verbatim, never rewritten.
 */
import type { ParsedFile } from './parse.js';

/** A knowledge file after validation: its name (relative path) and full text. */
export interface SourceDoc {
  /** Relative file name, e.g. `article.md`; shown to users as the document. */
  name: string;
  text: string;
  /** The file already parsed (by validation): the build uses it instead of parsing again. */
  parsed?: ParsedFile;
}

export interface Sentence {
  start: number;
  end: number;
}

export interface Paragraph {
  /** 1-based paragraph number within the document (headings are not counted). */
  number: number;
  /** Index into `Document.sections`, or -1 before the first heading. */
  section: number;
  start: number;
  end: number;
  sentences: Sentence[];
}

export interface Document {
  name: string;
  title: string;
  /** Front matter fields (title, source, date, ...) as strings. */
  meta: Record<string, string>;
  text: string;
  sections: string[];
  paragraphs: Paragraph[];
}

export type QuoteKind = 'direct' | 'indirect';

/** One attributed statement: a direct quote or a reported clause, inside one sentence. */
export interface Quote {
  /** Index into `Knowledge.speakers`. */
  speaker: number;
  kind: QuoteKind;
  doc: number;
  /** Index into `Document.paragraphs`. */
  paragraph: number;
  /** Index into `Paragraph.sentences`. */
  sentence: number;
  /** Offsets of the quoted words (direct) or of the reported clause (indirect). */
  start: number;
  end: number;
}

export interface Speaker {
  /** Canonical name: the fullest form the text uses. */
  name: string;
  role: string | null;
  /** Other names the text (or front matter) uses for the same speaker. */
  aliases: string[];
  /** Indexes into `Knowledge.quotes`, in reading order. */
  quotes: number[];
}

/** Where a passage stands, and who speaks in it. */
export interface Answer {
  passage: string;
  speaker: string | null;
  role: string | null;
  document: string;
  section: string | null;
  /** 1-based paragraph number. */
  paragraph: number;
  /** Calibrated confidence in [0, 1]. */
  score: number;
  /** Offsets of `passage` in the document text. */
  start: number;
  end: number;
}

export interface QuoteView {
  text: string;
  passage: string;
  kind: QuoteKind;
  document: string;
  section: string | null;
  paragraph: number;
}
