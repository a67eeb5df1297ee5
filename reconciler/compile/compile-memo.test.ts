import { describe, expect, it } from '@jest/globals';
import { createSequenceVersion, isDeepEqual, memoizeLast } from './compile-memo.js';

describe('isDeepEqual', () => {
  it('compares nested arrays and records by value', () => {
    expect(isDeepEqual({ a: [1, { b: 'x' }], c: true }, { c: true, a: [1, { b: 'x' }] })).toBe(true);
    expect(isDeepEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe(false);
    expect(isDeepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(isDeepEqual([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });
});

describe('memoizeLast', () => {
  it('computes again only when the key or the requests change', () => {
    const memo = memoizeLast<number>();
    let runs = 0;
    const compute = (): number => (runs += 1);

    memo('k', [{ id: 1 }], compute);
    memo('k', [{ id: 1 }], compute);
    memo('k', [{ id: 2 }], compute);
    memo('other', [{ id: 2 }], compute);

    expect(runs).toBe(3);
  });
});

describe('createSequenceVersion', () => {
  it('changes only when a value is not the same object at the same position', () => {
    const version = createSequenceVersion<{ pin?: object }>();
    const pin = {};
    const first = version([{ pin }, {}], (value) => value.pin);

    expect(version([{ pin }, {}], (value) => value.pin)).toBe(first);
    expect(version([{ pin: {} }, {}], (value) => value.pin)).not.toBe(first);
    expect(version([{ pin: {} }], (value) => value.pin)).not.toBe(first);
    expect(version([{}, { pin }], (value) => value.pin)).not.toBe(version([{ pin }, {}], (value) => value.pin));
  });
});
