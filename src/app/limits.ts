/**
 * Limits every surface shares (Discord, console, CLI, HTTP), defined once here. Discord's own
 * size limits (embeds, custom_ids) are in src/bot/limits.ts.
 */

import { MAX_QUESTION_CHARS } from '../engine/index.js';

/**
 * Longest question /ask accepts: the engine reads no further (it cuts longer ones), so Discord's
 * option refuses longer input up front rather than answering a question cut short.
 */
export const MAX_QUESTION_LENGTH = MAX_QUESTION_CHARS;

/** Everything must be down within 10 s of SIGTERM (what Docker and systemd wait by default). */
export const SHUTDOWN_DEADLINE_MS = 9_500;

/** Grace for replies in flight at shutdown: inside the deadline, with room to disconnect. */
export const STOP_GRACE_MS = 8_000;
