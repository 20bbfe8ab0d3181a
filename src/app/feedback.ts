/**
 * 👍/👎 counts since start, for the metrics endpoint to read (feedbackCounts) or follow
 * (botEvents 'feedback'). One vote per person per answer message: a repeat press is not counted.
 * The structured log line per press is written by the button handler.
 */
import { emitBotEvent, type Vote } from './events.js';

const counts: Record<Vote, number> = { up: 0, down: 0 };
/** Recent voters as "messageId:userId", oldest first; bounded so it cannot grow forever. */
const voters = new Set<string>();
const MAX_REMEMBERED_VOTERS = 10_000;

/** Counts a vote; returns false (and counts nothing) when `voterKey` has voted already. */
export function recordFeedback(vote: Vote, voterKey?: string): boolean {
  if (voterKey) {
    if (voters.has(voterKey)) return false;
    voters.add(voterKey);
    if (voters.size > MAX_REMEMBERED_VOTERS) voters.delete(voters.values().next().value as string);
  }
  counts[vote] += 1;
  emitBotEvent('feedback', { vote });
  return true;
}

export function feedbackCounts(): Readonly<Record<Vote, number>> {
  return { ...counts };
}
