import { describe, expect, it } from '@jest/globals';
import { formatMacForFileName, normaliseMac, toMacKey } from './mac-address.js';

describe('normaliseMac', () => {
  it.each([
    ['52:54:00:AA:00:01', '52:54:00:aa:00:01'],
    ['52-54-00-aa-00-01', '52:54:00:aa:00:01'],
    ['525400AA0001', '52:54:00:aa:00:01'],
    [' 52:54:00:aa:00:01 ', '52:54:00:aa:00:01'],
  ])('reads %s as %s', (input, expected) => {
    expect(normaliseMac(input)).toBe(expected);
  });

  it.each(['52:54:00:aa:00', '52:54-00:aa:00:01', 'zz:54:00:aa:00:01', '52:54:00:aa:00:01:02', ''])('rejects %s', (input) => {
    expect(normaliseMac(input)).toBeUndefined();
  });
});

describe('formatMacForFileName', () => {
  it('joins the octets with hyphens', () => {
    expect(formatMacForFileName('52:54:00:aa:00:01')).toBe('52-54-00-aa-00-01');
  });
});

describe('toMacKey', () => {
  it('gives every spelling of one MAC the same key', () => {
    expect(new Set(['52:54:00:AA:00:01', '52-54-00-aa-00-01', '525400aa0001'].map(toMacKey))).toEqual(new Set(['52:54:00:aa:00:01']));
  });

  it('keeps text that is not a MAC comparable, trimmed and lower-cased', () => {
    expect(toMacKey(' N/A ')).toBe('n/a');
  });
});
