import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Returns a function that makes V8 compact its heap and give the free pages back to the operating system, or
 * undefined when V8 refuses to expose a collection.
 *
 * Why: a long-lived process that does one large, bursty computation at a time (the controller validates,
 * compiles and plans a whole fleet per commit, then idles for minutes) keeps the heap pages that burst
 * needed. V8 grows the heap to fit the garbage and, once it is collected, keeps the half-empty pages: an idle
 * process may hold twice its live data for as long as it idles. A compacting full collection right after
 * the burst moves the live objects together and releases the rest. It pauses the event loop for the
 * collection (a few hundred milliseconds for a large fleet), so call it only after such a burst, never per
 * request.
 *
 * @example const release = createMemoryReleaser(); release?.();
 */
export function createMemoryReleaser(): (() => void) | undefined {
  const collect = exposeCollection();
  if (!collect) return undefined;
  return () => {
    // V8 reads this flag at each full collection: compaction is asked for these two only.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      collect();
      // The second collection finishes the first one's sweeping, so that the freed pages are unmapped now.
      collect();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
  };
}

function exposeCollection(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  // `--expose-gc` set at run time installs `gc` in contexts created afterwards, such as this one only.
  setFlagsFromString('--expose-gc');
  const collect: unknown = runInNewContext('gc');
  setFlagsFromString('--no-expose-gc');
  return typeof collect === 'function' ? (collect as () => void) : undefined;
}
