/**
 * Waiting in tests: on test doubles without sleeps, re-checking a condition whenever they record
 * something (waitForChange); or, for what announces nothing, by polling (pollUntil).
 */
import type { EventEmitter } from 'node:events';

/**
 * Resolves with the first defined result of `check`, re-evaluated now and on every 'change'
 * event of `events`. Rejects if `check` throws (a process exited, say), or with `timeoutError()`
 * after `timeoutMs`.
 */
export function waitForChange<T>(events: EventEmitter, check: () => T | undefined, timeoutMs: number, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const evaluate = (): void => {
      let value: T | undefined;
      try {
        value = check();
      } catch (err) {
        cleanup();
        reject(err);
        return;
      }
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(timeoutError());
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      events.off('change', evaluate);
    };
    events.on('change', evaluate);
    evaluate();
  });
}

/**
 * Polls for a condition no event announces (a database's state, another process): resolves with
 * the first result of `check` that is neither undefined nor false, re-evaluated every `everyMs`.
 * Rejects if `check` throws, or with "`what`: not within `ms` ms" once `ms` have passed.
 */
export async function pollUntil<T>(ms: number, check: () => Promise<T | undefined | false>, what: string, everyMs = 20): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
