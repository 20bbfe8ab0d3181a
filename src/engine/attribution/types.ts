/**
 * The shapes attribution works with: a Mention (what attributeDocument returns), the document it
 * reads (AttributionInput, AttributionContext), a Subject (who speaks), a Statement (one reporting
 * verb with its speaker and its clause) and the DocState carried from sentence to sentence.
 */

export interface Mention {
  /** The name as written (a proper-noun run), or the first member of a collective. */
  name: string;
  /** Other members of a collective subject ("Beijing and the Chinese Communist Party"). */
  members: string[];
  /** The name as written, when `name` was completed from elsewhere in the article ("Berg"). */
  written?: string;
  role: string | null;
  kind: 'direct' | 'indirect';
  paragraph: number;
  sentence: number;
  start: number;
  end: number;
}

export interface Subject {
  name: string;
  members: string[];
  role: string | null;
  /** First token of the attribution: the subject phrase (`X said`) or the verb (`said X`). */
  at: number;
  /** Last token of the attribution: the verb, or the inverted name and its appositive. */
  end: number;
  /** A named person or body; false for "police", "a spokeswoman": they carry no he/she. */
  named: boolean;
  /** The name as written when `name` is the fuller name of someone just mentioned ("Hill"). */
  written?: string;
}

/** One reporting verb with its speaker and, when it has one, the reported clause (token range). */
export interface Statement {
  subject: Subject;
  verb: number;
  clause: [number, number] | null;
  /** Where the clause after the verb would start, or -1. */
  clauseStart: number;
  /** The clause is the speaker's own words, quoted: "Said Secretary Hodges: ' It's a tough …". */
  direct?: boolean;
}

/** What the reading of one document remembers from sentence to sentence. */
export interface DocState {
  /** The speaker a he/she or a floating quote carries. */
  last: Subject | null;
  lastParagraph: number;
  /**
   * Named people with a role, in reading order: "the mayor said" is the last mayor named. Read
   * from the document's name runs when first needed.
   */
  people: () => Array<{ name: string; role: string; offset: number }>;
  /** Named speakers in reading order: "the federation said" is the last Federation that spoke. */
  bodies: Array<{ name: string; offset: number }>;
  /** Company names in reading order ("Corvane Therapeutics"), read from the name runs when first needed. */
  companies: () => Array<{ name: string; offset: number }>;
  /** The one person the sentence just before names, when it reports nothing and has no named subject (see `onlyPersonNamed`). */
  mentioned: Subject | null;
}

/** A document to attribute: its text, and the names its front matter gives (names even at a sentence start). */
export interface AttributionInput {
  text: string;
  names: string[];
}

export interface AttributionContext {
  text: string;
  /** Capitalised words that are names wherever they stand: front-matter names, and words the document capitalises away from a sentence start. */
  midSentenceCapitals: Set<string>;
}
