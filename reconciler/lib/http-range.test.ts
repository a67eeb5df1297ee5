import { describe, expect, it } from '@jest/globals';
import { parseRangeHeader } from './http-range.js';

describe('parseRangeHeader', () => {
  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=990-5000', { start: 990, end: 999 }],
  ])('reads %s on a 1000-byte file', (header, expected) => {
    expect(parseRangeHeader(header, 1000)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])('finds %s unsatisfiable', (header) => {
    expect(parseRangeHeader(header, 1000)).toBe('unsatisfiable');
  });

  it.each([undefined, 'items=0-1', 'bytes=5-1', 'bytes=0-1,5-6', 'bytes=-', 'bytes=a-b'])('ignores %p', (header) => {
    expect(parseRangeHeader(header, 1000)).toBeUndefined();
  });

  it('finds any range of an empty file unsatisfiable', () => {
    expect(parseRangeHeader('bytes=0-', 0)).toBe('unsatisfiable');
  });
});
