/** Waiting on test doubles without sleeps: re-check a condition whenever they record something. */
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
