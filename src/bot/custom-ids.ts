/**
 * Button custom_ids (at most 100 characters). They carry everything a press needs that is not
 * on the message itself, so presses work on any shard and after a restart:
 *
 *   ask:more:<version>:<shown>:<key>           next passages after the first <shown>
 *   ask:more:<version>:<shown>                 the same, as messages from before <key> carry it
 *   ask:vote:<up|down>:<version>:<start>:<end> feedback on the passage at [start, end)
 *   quote:page:<version>:<speaker>:<page>      page <page> (0-based) of speaker <speaker>'s quotes
 *
 * <version> is the knowledge version the message was rendered from; indexes and offsets are only
 * meaningful within it. <key> finds the whole question "More" continues in the core
 * (src/app/follow-ups.ts); without it (or once it has expired) the answer's embed title is the
 * only copy, and only when Discord did not have to cut it.
 */
import type { Vote } from '../app/events.js';
import { FOLLOW_UP_KEY_PATTERN } from '../app/follow-ups.js';

export type ButtonAction =
  | { kind: 'more'; version: string; shown: number; key?: string }
  | { kind: 'vote'; vote: Vote; version: string; start: number; end: number }
  | { kind: 'quote-page'; version: string; speaker: number; page: number };

export function encodeButton(action: ButtonAction): string {
  switch (action.kind) {
    case 'more':
      return `ask:more:${action.version}:${action.shown}${action.key ? `:${action.key}` : ''}`;
    case 'vote':
      return `ask:vote:${action.vote}:${action.version}:${action.start}:${action.end}`;
    case 'quote-page':
      return `quote:page:${action.version}:${action.speaker}:${action.page}`;
  }
}

const VERSION = '([0-9a-z]{1,40})';
const NUM = '(\\d{1,9})';
const MORE = new RegExp(`^ask:more:${VERSION}:${NUM}(?::(${FOLLOW_UP_KEY_PATTERN}))?$`);
const VOTE = new RegExp(`^ask:vote:(up|down):${VERSION}:${NUM}:${NUM}$`);
const QUOTE_PAGE = new RegExp(`^quote:page:${VERSION}:${NUM}:${NUM}$`);

/** The action a custom_id stands for, or null for anything else (old formats, forgeries). */
export function parseButton(customId: string): ButtonAction | null {
  let m = MORE.exec(customId);
  if (m) return { kind: 'more', version: m[1], shown: Number(m[2]), ...(m[3] ? { key: m[3] } : {}) };
  m = VOTE.exec(customId);
  if (m) return { kind: 'vote', vote: m[1] as Vote, version: m[2], start: Number(m[3]), end: Number(m[4]) };
  m = QUOTE_PAGE.exec(customId);
  if (m) return { kind: 'quote-page', version: m[1], speaker: Number(m[2]), page: Number(m[3]) };
  return null;
}
