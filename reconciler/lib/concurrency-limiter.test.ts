import { describe, expect, it } from '@jest/globals';
import { createConcurrencyLimiter } from './concurrency-limiter.js';

interface Gate {
  promise: Promise<void>;
  open: () => void;
}

function createGate(): Gate {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('createConcurrencyLimiter', () => {
  it('starts no more than max tasks and starts the next one when a task finishes', async () => {
    const limiter = createConcurrencyLimiter(2);
    const gates = [createGate(), createGate(), createGate()];
    const started: number[] = [];
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        started.push(index);
        await gate.promise;
        return index;
      }),
    );
    await Promise.resolve();

    expect(started).toEqual([0, 1]);
    expect({ active: limiter.active, waiting: limiter.waiting }).toEqual({ active: 2, waiting: 1 });

    gates[1]?.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);

    gates[0]?.open();
    gates[2]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limiter.active).toBe(0);
  });

  it('never runs more than max at once and starts waiting tasks in arrival order', async () => {
    const limiter = createConcurrencyLimiter(2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;

    await Promise.all(
      [0, 1, 2, 3, 4].map((index) =>
        limiter.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(index);
          running -= 1;
        }),
      ),
    );

    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createConcurrencyLimiter(1);

    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');

    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a limit below one', () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
