/**
 * When the engine says it has no answer: every rule in one place.
 *
 * The main rule is the fitted answer probability below the threshold chosen on the tuning data
 * (scorer.ts). Of the earlier hand rules, measured on data nobody fitted on (SQuAD measure part,
 * the news dev set, the seed asked in other words):
 *  - "asks what someone said whom the knowledge never quotes" stays a hard rule: it abstains on
 *    near misses (a quarter of the news set's) at little cost;
 *  - "names something the knowledge never mentions" is only a feature of the fitted model now:
 *    as a hard rule it cost 3 points of answered questions on SQuAD and 6-12 on the others
 *    (capitalised phrases whose words the text spells or joins differently).
 */
import type { QuestionAnalysis } from './question.js';

export interface AbstainRules {
  /** Abstain when the question names something the knowledge never mentions. */
  unknownName: boolean;
  /** Abstain when the question asks what an unquoted person said. */
  unquotedPerson: boolean;
}

export const DEFAULT_ABSTAIN_RULES: AbstainRules = { unknownName: false, unquotedPerson: true };

/** Why a question gets no answer before any passage is scored, or null. */
export function abstainBeforeRanking(a: QuestionAnalysis, rules: AbstainRules): string | null {
  if (!a.terms.length && a.speaker < 0) return 'nothing to look for';
  if (rules.unknownName && a.unknownName) return `names ${a.unknownName}, which the knowledge never mentions`;
  if (rules.unquotedPerson && a.unquotedPerson) return `asks what ${a.unquotedPerson} said, who is never quoted`;
  return null;
}

/** Whether a passage with this answer probability is shown. */
export function confidentEnough(probability: number, threshold: number): boolean {
  return probability >= threshold;
}
