/**
 * The engine's memory policy, in one place.
 *
 * A full garbage collection on demand. Building a large knowledge base makes a lot of short-lived
 * token objects that V8 promotes and then collects late, so peak memory would be several times
 * the size of what is kept. Collecting every few megabytes of text keeps the peak near the live
 * size (a ~1M-word build: ~290 MB -> ~200 MB RSS) for a few tens of milliseconds per collection.
 *
 * A bounded heap growth for the process (limitHeapGrowth): see HEAP_GROWING_PERCENT.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = (globalThis.gc as (() => void) | undefined) ?? (runInNewContext('gc') as () => void);
    } catch {
      gc = null; // not available: memory peaks higher, nothing else changes
    }
  }
  gc?.();
}

/**
 * How far (percent) V8 lets the old generation grow past what its last full collection kept before
 * it collects again. V8's own factor grows it up to 2-4x, which suits a process of short-lived
 * data; a bot's heap is mostly one long-lived index, and the garbage its questions leave then sits
 * uncollected on top of it. At a million words (bench, seed + Brown) this bound takes peak RSS from
 * ~285-310 MB to ~230-240 MB; query times and build time stay within the runs' noise (a full
 * collection every ~30 MB of garbage, mostly incremental).
 */
const HEAP_GROWING_PERCENT = 35;

/**
 * Applies HEAP_GROWING_PERCENT to this process (V8 reads it at each full collection, so it takes
 * effect when set at start). The bot's and the command line's entry points call it; a library
 * user's process keeps its own settings unless it calls it too.
 */
export function limitHeapGrowth(): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // flags frozen by the host: V8's default growth, more memory, nothing else changes
  }
}
