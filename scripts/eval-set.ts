/** The question-set format of ../shared/eval/questions.json and the dev sets (what `npm run eval` reads). */
export interface AskCase {
  q: string;
  /** Phrases any of which, in the passage, makes it right. */
  contains?: string[];
  /** Acceptable speakers of the passage (null: the article's own voice). */
  speaker?: Array<string | null>;
  /** The knowledge does not answer it: no answer is right. */
  abstain?: boolean;
}
export interface QuoteCase {
  q: string;
  contains?: string[];
  speaker?: string;
  none?: boolean;
}
export interface EvalSet {
  ask?: AskCase[];
  quote?: QuoteCase[];
}

/** Case-insensitive, with curly quotes and apostrophes folded to straight ones. */
export const foldForCompare = (s: string) => s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').toLowerCase();
/** Does the passage contain one of the expected phrases? */
export const containsAny = (text: string, phrases: string[] = []) => phrases.some((p) => foldForCompare(text).includes(foldForCompare(p)));

/** n of d as a percentage with one decimal ("n/a" when d is 0); d defaults to 1 for a share. */
export const pct = (n: number, d = 1) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
