/**
 * What each command answers, as plain data: the one place the command logic lives. Presenters
 * render the same reply as a Discord message (src/bot/render.ts), console text
 * (src/console/render.ts) or JSON (src/cli.ts), so the surfaces cannot drift apart.
 *
 * Transport-neutral on purpose: no discord.js here (the console and the CLI do not load it).
 */
import type { FollowUps } from './follow-ups.js';
import { cleanQuestion, quotesOf, rankAnswers, suggestSpeakers, type Answer, type Knowledge, type QuoteView, type Speaker } from '../engine/index.js';
import type { KnowledgeStatus, RefreshResult } from '../knowledge/store.js';

/** Passages shown per press of "More". */
export const MORE_PAGE_SIZE = 3;
/** Quotes per page of /quote. */
export const QUOTES_PAGE_SIZE = 5;
/** A page size for surfaces that show every quote at once (a terminal scrolls; a script reads all). */
export const ALL_QUOTES = Number.POSITIVE_INFINITY;
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
  /** The key under which the core keeps the whole question for "More" (src/app/follow-ups.ts). */
  followUp?: string;
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
  /** Whose knowledge this is: the server's own, or the bundled default. */
  scope?: string;
}

export interface RefreshReply {
  kind: 'knowledge-refresh';
  result: RefreshResult;
  /** Where every shard stands after the refresh (this process first). */
  shards: ShardKnowledge[];
  /** Whose knowledge changed: the server's own, or the bundled default. */
  scope?: string;
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

function speakerSummary(s: Speaker): SpeakerSummary {
  return { name: s.name, role: s.role, aliases: s.aliases, quotes: s.quotes.length };
}

/** Everyone quoted in the knowledge, in the knowledge's order. */
export function speakerSummaries(k: Knowledge): SpeakerSummary[] {
  return k.speakers.map(speakerSummary);
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

/**
 * /ask: the best passage, or a no-answer reply. With `followUps`, an answer that has more to
 * show keeps its whole question there, under the key its "More" button will carry.
 */
export function askReply(k: Knowledge, question: string, followUps?: FollowUps): AnswerReply | NoAnswerReply | NoticeReply {
  const q = cleanQuestion(question);
  if (!q) return EMPTY_QUESTION;
  // One extra answer tells whether "More" has anything to show.
  const ranked = distinctAnswers(k, q, 2);
  if (!ranked.length) return noAnswerReply(k, q);
  const hasMore = ranked.length > 1;
  return { kind: 'answer', question: q, version: k.version, answers: ranked.slice(0, 1), firstRank: 1, hasMore, ...(hasMore && followUps ? { followUp: followUps.remember(q) } : {}) };
}

/**
 * "More": the passages after the first `shown`, MORE_PAGE_SIZE at a time. `followUp` is the key
 * the question is kept under, carried on to the next "More".
 */
export function moreReply(k: Knowledge, question: string, shown: number, followUp?: string): AnswerReply | NoticeReply {
  const q = cleanQuestion(question);
  if (!q) return EMPTY_QUESTION;
  const ranked = distinctAnswers(k, q, shown + MORE_PAGE_SIZE + 1);
  const page = ranked.slice(shown, shown + MORE_PAGE_SIZE);
  if (!page.length) return notice('info', 'No other passage answers that with confidence.');
  const hasMore = ranked.length > shown + MORE_PAGE_SIZE;
  return { kind: 'answer', question: q, version: k.version, answers: page, firstRank: shown + 1, hasMore, ...(hasMore && followUp ? { followUp } : {}) };
}

/** /quote: the first page of the speaker's quotes, or suggestions for a name nobody has. */
export function quoteReply(k: Knowledge, query: string, pageSize = QUOTES_PAGE_SIZE): QuotesReply | UnknownSpeakerReply {
  const { speaker, others } = quotesOf(k, query);
  if (speaker < 0) {
    // A name several speakers share ("Hill") offers them first, then the near misses.
    const near = query.trim() ? suggestSpeakers(k, query, SPEAKER_SUGGESTIONS) : [];
    const suggestions = [...new Set([...others, ...near])].slice(0, SPEAKER_SUGGESTIONS).map((i) => k.speakers[i].name);
    return { kind: 'unknown-speaker', query: query.trim(), suggestions, speakers: k.speakers.map((s) => s.name) };
  }
  return quotePageReply(k, speaker, 0, pageSize);
}

/** One page of speaker `speakerIndex`'s quotes (page clamped into range). */
export function quotePageReply(k: Knowledge, speakerIndex: number, page: number, pageSize = QUOTES_PAGE_SIZE): QuotesReply {
  const s = k.speakers[speakerIndex];
  // Looked up among this one speaker so a name shared with someone else cannot be ambiguous.
  const { quotes } = quotesOf({ ...k, speakers: [s] }, s.name);
  const pageCount = Math.max(1, Math.ceil(quotes.length / pageSize));
  const p = Math.min(Math.max(0, page), pageCount - 1);
  // One page starts at 0 (also for ALL_QUOTES, where 0 × Infinity would be NaN).
  const from = pageCount === 1 ? 0 : p * pageSize;
  return {
    kind: 'quotes',
    version: k.version,
    speakerIndex,
    speaker: speakerSummary(s),
    quotes: quotes.slice(from, from + pageSize),
    page: p,
    pageCount,
    firstNumber: from + 1,
    total: quotes.length,
  };
}
