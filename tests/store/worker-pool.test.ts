import { afterEach, describe, expect, it } from '@jest/globals';
import { WorkerPool } from '../../reconciler/lib/worker-pool.js';

const script = new URL('../support/pool-worker.mjs', import.meta.url);
let pool: WorkerPool<unknown, number> | undefined;

afterEach(async () => {
  await pool?.close();
});

describe('WorkerPool', () => {
  it('runs tasks on real worker threads and returns their results', async () => {
    pool = new WorkerPool<unknown, number>(script, 2);
    expect(await Promise.all([1, 2, 3, 4].map((n) => pool!.run(n)))).toEqual([2, 4, 6, 8]);
  });

  it('rejects a failed task without disturbing the others', async () => {
    pool = new WorkerPool<unknown, number>(script, 1);
    const results = await Promise.allSettled([pool.run(1), pool.run('fail'), pool.run(3)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('replaces a worker that dies, failing only the tasks it held', async () => {
    pool = new WorkerPool<unknown, number>(script, 1);
    await expect(pool.run('exit')).rejects.toThrow('worker exited with code 3');
    expect(await pool.run(5)).toBe(10);
  });
});
