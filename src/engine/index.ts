/**
 * The answer engine's public surface: build a knowledge base, ask it questions, list quotes.
 * Code outside src/engine imports the engine only from here.
 */
export type { Answer, Document, Quote, QuoteView, SourceDoc, Speaker } from './types.js';
export { buildKnowledge, contentHash, ENGINE_FINGERPRINT, ENGINE_VERSION, type Knowledge } from './build.js';
export { KnowledgeFileError, parseKnowledgeText } from './parse.js';
export { answerQuestion, rankAnswers, warmUpQuestions, WARM_UP_QUESTIONS, scoreCandidates, questionCandidates, passageOf, shownCandidate, type AnswerOptions } from './answer.js';
export { defaultAntonyms, defaultPersonNouns, defaultSynonyms, defaultWordNeighbours, defaultWordVectors } from './word-data.js';
export { cleanQuestion, MAX_QUESTION_CHARS } from './question.js';
export { NO_ABSTAIN_RULES } from './abstain.js';
export { answerFeatures, answerProbability, DEFAULT_THRESHOLD, rankScore, typesFound, type ScorerWeights } from './scorer.js';
export { WEIGHTS } from './weights.js';
export { quotesOf, suggestSpeakers } from './quotes.js';
export { FEATURE_NAMES } from './features.js';
export { findSpeakerIndex, matchSpeaker, type SpeakerMatch } from './speakers.js';
export { limitHeapGrowth } from './memory.js';
export { DEFAULT_VECTORS_PATH } from './vectors.js';
export { WORD_VECTORS_PATH } from './word-vectors.js';
export { ANTONYMS_PATH } from './antonyms.js';
export { SYNONYMS_PATH } from './synonyms.js';
export { PERSON_NOUNS_PATH } from './person-nouns.js';
