/**
 * The fitted scorer. Two linear models over the candidate features (features.ts), both fitted
 * by `npm run fit` (scripts/fit.ts) on the SQuAD tuning articles of the fit part and shipped as
 * the one weights object in weights.ts:
 *  - the ranker orders a question's candidates (a listwise softmax model: its score is only
 *    meaningful relative to the same question's other candidates);
 *  - the answer model turns the best candidate into a probability that it answers the question
 *    (logistic regression on its features, its rank score and its margin over the runner-up). It
 *    reads each standardized feature twice, as it is and times longParagraphs: one weight for news,
 *    and another added for prose in long paragraphs, where the same evidence of an answer means
 *    something else (cross-validated: features.ts). It also reads whether any candidate of the
 *    question holds what the question asks for (a date, number, place, reason or person;
 *    typesFound): with the best candidate's own type features it tells "the best passage lacks it
 *    but another has it" (the ranker likely erred) from "no passage has it".
 *    Below WEIGHTS.threshold, chosen on the fit data, the engine says it has no answer.
 */
import { FEATURE_NAMES, LONG_PARAGRAPHS_FEATURE, TYPE_FEATURES } from './features.js';
import { WEIGHTS } from './weights.js';

/** What the scorer reads of a weights object: the shipped WEIGHTS, or a model `npm run fit` is fitting. */
export interface ScorerWeights {
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
  rank: ArrayLike<number>;
  abstain: { bias: number; weights: ArrayLike<number> };
}

const FITTED = WEIGHTS.features.join() === FEATURE_NAMES.join();

function assertFitted(w: ScorerWeights) {
  if (w === WEIGHTS && !FITTED) throw new Error('src/engine/weights.ts does not match the features in features.ts: run `npm run fit`');
}

/** The ranker's score of a candidate's features (higher is better; compare within one question only). */
export function rankScore(x: readonly number[], w: ScorerWeights = WEIGHTS): number {
  assertFitted(w);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += w.rank[i] * ((x[i] - w.mean[i]) / w.std[i]);
  return s;
}

/** Per type feature (TYPE_FEATURES), its largest value among the feature vectors of a question's candidates. */
export function typesFound(rows: ReadonlyArray<readonly number[]>): number[] {
  return TYPE_FEATURES.map((f) => rows.reduce((found, x) => Math.max(found, x[f]), 0));
}

/**
 * Inputs of the answer model for the best candidate's features, given its and the runner-up's rank
 * scores and the question's typesFound: the standardized features, the same times longParagraphs,
 * the types found (standardized as their features), the rank score and the margin.
 */
export function answerFeatures(best: readonly number[], bestScore: number, runnerUpScore: number | undefined, found: readonly number[], w: ScorerWeights = WEIGHTS): number[] {
  assertFitted(w);
  const standardized = Array.from(best, (v, i) => (v - w.mean[i]) / w.std[i]);
  const long = best[LONG_PARAGRAPHS_FEATURE];
  return [
    ...standardized,
    ...standardized.map((z) => z * long),
    ...TYPE_FEATURES.map((f, i) => (found[i] - w.mean[f]) / w.std[f]),
    bestScore,
    runnerUpScore === undefined ? 1 : Math.min(3, bestScore - runnerUpScore),
  ];
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Probability that the best candidate answers the question. */
export function answerProbability(features: number[], w: ScorerWeights = WEIGHTS): number {
  let z = w.abstain.bias;
  for (let i = 0; i < features.length; i++) z += w.abstain.weights[i] * features[i];
  return sigmoid(z);
}

export const DEFAULT_THRESHOLD: number = WEIGHTS.threshold;
