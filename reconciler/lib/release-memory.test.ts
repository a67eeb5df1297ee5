import { describe, expect, it } from '@jest/globals';
import { getHeapSpaceStatistics } from 'node:v8';
import { createMemoryReleaser } from './release-memory.js';

function oldSpace(): { committed: number; used: number } {
  const space = getHeapSpaceStatistics().find((entry) => entry.space_name === 'old_space');
  return { committed: space?.space_size ?? 0, used: space?.space_used_size ?? 0 };
}

describe('createMemoryReleaser', () => {
  it('gives back the old-space pages that garbage grew, keeping the live objects', () => {
    const release = createMemoryReleaser();
    const kept: { index: number; text: string }[] = [];
    // Long-lived garbage interleaved with kept objects, as a reconcile leaves it: half-empty pages.
    for (let round = 0; round < 20; round += 1) {
      const batch = Array.from({ length: 50_000 }, (_, index) => ({ index, text: `machine-${round}-${index}` }));
      kept.push(...batch.filter((item) => item.index % 10 === 0));
    }
    const before = oldSpace();

    release?.();

    const after = oldSpace();
    expect(release).toBeDefined();
    expect(after.committed).toBeLessThan(before.committed);
    expect(after.committed - after.used).toBeLessThan(before.committed - before.used);
    expect(kept).toHaveLength(100_000);
  });
});
