/**
 * The fitted scorer. Two linear models over the candidate features (features.ts), both fitted
 * by `npm run fit` (scripts/fit.ts) on the SQuAD tuning articles of the fit part and shipped as
 * the one weights object in weights.ts:
 *  - the ranker orders a question's candidates (a listwise softmax model: its score is only
 *    meaningful relative to the same question's other candidates);
 *  - the answer model turns the best candidate into a probability that it answers the question
 *    (logistic regression on its features, its rank score and its margin over the runner-up).
 *    Below WEIGHTS.threshold, chosen on the fit data, the engine says it has no answer.
 */
import { FEATURE_NAMES, type Candidate } from './features.js';
import { WEIGHTS } from './weights.js';

const FITTED = WEIGHTS.features.join() === FEATURE_NAMES.join();

/** The ranker's score of a candidate (higher is better; compare within one question only). */
export function rankScore(x: Float64Array): number {
  if (!FITTED) throw new Error('src/engine/weights.ts does not match the features in features.ts: run `npm run fit`');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += WEIGHTS.rank[i] * ((x[i] - WEIGHTS.mean[i]) / WEIGHTS.std[i]);
  return s;
}

/** Inputs of the answer model for the best candidate, given its and the runner-up's rank scores. */
export function answerFeatures(best: Candidate, bestScore: number, runnerUpScore: number | undefined): number[] {
  const standardized = Array.from(best.x, (v, i) => (v - WEIGHTS.mean[i]) / WEIGHTS.std[i]);
  return [...standardized, bestScore, runnerUpScore === undefined ? 1 : Math.min(3, bestScore - runnerUpScore)];
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Probability that the best candidate answers the question. */
export function answerProbability(features: number[]): number {
  let z = WEIGHTS.abstain.bias;
  for (let i = 0; i < features.length; i++) z += WEIGHTS.abstain.weights[i] * features[i];
  return sigmoid(z);
}

export const DEFAULT_THRESHOLD: number = WEIGHTS.threshold;
