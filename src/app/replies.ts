/**
 * What each command answers, as plain data: the one place the command logic lives. The Discord
 * handlers (commands/) render these as embeds (src/bot/render.ts) and the console renders them
 * as text (src/console/render.ts), so the two cannot drift apart.
 *
 * Transport-neutral on purpose: no discord.js here (the console does not load it).
 */
import { cleanQuestion, quotesOf, rankAnswers, suggestSpeakers, type Answer, type Knowledge, type QuoteView } from '../engine/index.js';
import type { KnowledgeStatus, RefreshResult } from '../knowledge/store.js';

/** Passages shown per press of "More". */
export const MORE_PAGE_SIZE = 3;
/** Quotes per page of /quote. */
export const QUOTES_PAGE_SIZE = 5;
/** Suggestions offered for a speaker name nobody in the knowledge has. */
const SPEAKER_SUGGESTIONS = 5;

export interface SpeakerSummary {
  name: string;
  role: string | null;
  aliases: string[];
  quotes: number;
}

/** Where one shard (or this process, or the console) stands. */
export interface ShardKnowledge {
  /** Shard id(s) this process serves, e.g. "0" or "2,3"; "console" in console mode. */
  shard: string;
  status: KnowledgeStatus | null;
  /** Why the status is missing (shard restarting, did not answer in time). */
  error?: string;
}

/** One or more verbatim passages answering a question, best first. */
export interface AnswerReply {
  kind: 'answer';
  /** The question as the engine read it (control characters removed, trimmed). */
  question: string;
  version: string;
  answers: Answer[];
  /** Rank of answers[0] among all answers, 1 = the best. */
  firstRank: number;
  /** Whether further passages clear the confidence threshold ("More" can show them). */
  hasMore: boolean;
}

/** No confident answer: say what the knowledge covers and who can be quoted, never a passage. */
export interface NoAnswerReply {
  kind: 'no-answer';
  question: string;
  /** Titles of the documents in the knowledge. */
  documents: string[];
  speakers: SpeakerSummary[];
}

/** One page of a speaker's quotes. */
export interface QuotesReply {
  kind: 'quotes';
  version: string;
  speakerIndex: number;
  speaker: SpeakerSummary;
  quotes: QuoteView[];
  /** 0-based page number, and how many pages there are. */
  page: number;
  pageCount: number;
  /** 1-based number of quotes[0] among all the speaker's quotes. */
  firstNumber: number;
  total: number;
}

export interface UnknownSpeakerReply {
  kind: 'unknown-speaker';
  query: string;
  /** Close names (fuzzy), best first. */
  suggestions: string[];
  /** Everyone who can be quoted, for when nothing is close. */
  speakers: string[];
}

export interface KnowledgeStatusReply {
  kind: 'knowledge-status';
  shards: ShardKnowledge[];
}

export interface RefreshReply {
  kind: 'knowledge-refresh';
  result: RefreshResult;
  /** Where every shard stands after the refresh (this process first). */
  shards: ShardKnowledge[];
}

/** A short message: cooldowns, refusals, apologies. */
export interface NoticeReply {
  kind: 'notice';
  tone: 'info' | 'warning' | 'error';
  text: string;
}

export type Reply = AnswerReply | NoAnswerReply | QuotesReply | UnknownSpeakerReply | KnowledgeStatusReply | RefreshReply | NoticeReply;

export function notice(tone: NoticeReply['tone'], text: string): NoticeReply {
  return { kind: 'notice', tone, text };
}

export function speakerSummaries(k: Knowledge): SpeakerSummary[] {
  return k.speakers.map((s) => ({ name: s.name, role: s.role, aliases: s.aliases, quotes: s.quotes.length }));
}

export function noAnswerReply(k: Knowledge, question: string): NoAnswerReply {
  // Most-quoted first: with many documents the list is cut, and they are whom users ask about.
  const speakers = speakerSummaries(k).sort((a, b) => b.quotes - a.quotes);
  return { kind: 'no-answer', question: cleanQuestion(question), documents: k.documents.map((d) => d.title || d.name), speakers };
}

/**
 * The best `limit` answers with repeats removed: the engine may rank the same words twice (as a
 * sentence and inside a wider window), and "More" must show something new each time.
 */
function distinctAnswers(k: Knowledge, question: string, limit: number): Answer[] {
  const seen = new Set<string>();
  const out: Answer[] = [];
  for (const a of rankAnswers(k, question, limit * 2)) {
    const key = `${a.document}\0${a.passage}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
    if (out.length === limit) break;
  }
  return out;
}

const EMPTY_QUESTION = notice('warning', 'Ask a question about the article, for example: Will China attack Ukraine?');

/** /ask: the best passage, or a no-answer reply. */
export function askReply(k: Knowledge, question: string): AnswerReply | NoAnswerReply | NoticeReply {
  const q = cleanQuestion(question);
  if (!q) return EMPTY_QUESTION;
  // One extra answer tells whether "More" has anything to show.
  const ranked = distinctAnswers(k, q, 2);
  if (!ranked.length) return noAnswerReply(k, q);
  return { kind: 'answer', question: q, version: k.version, answers: ranked.slice(0, 1), firstRank: 1, hasMore: ranked.length > 1 };
}

/** "More": the passages after the first `shown`, MORE_PAGE_SIZE at a time. */
export function moreReply(k: Knowledge, question: string, shown: number): AnswerReply | NoticeReply {
  const q = cleanQuestion(question);
  if (!q) return EMPTY_QUESTION;
  const ranked = distinctAnswers(k, q, shown + MORE_PAGE_SIZE + 1);
  const page = ranked.slice(shown, shown + MORE_PAGE_SIZE);
  if (!page.length) return notice('info', 'No other passage answers that with confidence.');
  return { kind: 'answer', question: q, version: k.version, answers: page, firstRank: shown + 1, hasMore: ranked.length > shown + MORE_PAGE_SIZE };
}

/** /quote: the first page of the speaker's quotes, or suggestions for a name nobody has. */
export function quoteReply(k: Knowledge, query: string): QuotesReply | UnknownSpeakerReply {
  const { speaker } = quotesOf(k, query);
  if (speaker < 0) {
    const suggestions = query.trim() ? suggestSpeakers(k, query, SPEAKER_SUGGESTIONS).map((i) => k.speakers[i].name) : [];
    return { kind: 'unknown-speaker', query: query.trim(), suggestions, speakers: k.speakers.map((s) => s.name) };
  }
  return quotePageReply(k, speaker, 0);
}

/** One page of speaker `speakerIndex`'s quotes (page clamped into range). */
export function quotePageReply(k: Knowledge, speakerIndex: number, page: number): QuotesReply {
  const s = k.speakers[speakerIndex];
  // Looked up among this one speaker so a name shared with someone else cannot be ambiguous.
  const { quotes } = quotesOf({ ...k, speakers: [s] }, s.name);
  const pageCount = Math.max(1, Math.ceil(quotes.length / QUOTES_PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pageCount - 1);
  const from = p * QUOTES_PAGE_SIZE;
  return {
    kind: 'quotes',
    version: k.version,
    speakerIndex,
    speaker: { name: s.name, role: s.role, aliases: s.aliases, quotes: s.quotes.length },
    quotes: quotes.slice(from, from + QUOTES_PAGE_SIZE),
    page: p,
    pageCount,
    firstNumber: from + 1,
    total: quotes.length,
  };
}
