/**
 * The answer engine's public surface: build a knowledge base, ask it questions, list quotes.
 * Code outside src/engine imports the engine only from here.
 */
export type { Answer, Document, Quote, QuoteView, SourceDoc, Speaker } from './types.js';
export { buildKnowledge, contentHash, ENGINE_VERSION, type Knowledge } from './build.js';
export { KnowledgeFileError, parseKnowledgeText } from './parse.js';
export { answerQuestion, rankAnswers, quotesOf, suggestSpeakers, cleanQuestion, defaultWordNeighbours, DEFAULT_THRESHOLD, MAX_QUESTION_CHARS } from './answer.js';
export { findSpeakerIndex } from './speakers.js';
export { DEFAULT_VECTORS_PATH } from './vectors.js';
