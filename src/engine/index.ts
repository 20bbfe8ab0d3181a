/** The answer engine's public surface: build a knowledge base, ask it questions, list quotes. */
export type { Answer, Document, Quote, QuoteView, SourceDoc, Speaker } from './types.js';
export { buildKnowledge, contentHash, type Knowledge } from './build.js';
export { KnowledgeFileError } from './parse.js';
export { answerQuestion, rankAnswers, quotesOf, suggestSpeakers, cleanQuestion, DEFAULT_THRESHOLD } from './answer.js';
export { findSpeakerIndex } from './speakers.js';
