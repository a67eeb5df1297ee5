import { describe, expect, it } from '@jest/globals';
import { diffLines } from './diff.js';

describe('diffLines', () => {
  it('returns nothing for equal texts', () => {
    expect(diffLines('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('writes a unified diff with context and hunk ranges', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n') + '\n';
    const after = ['a', 'b', 'c', 'D', 'e', 'f', 'g', 'h'].join('\n') + '\n';
    expect(diffLines(before, after, { fromName: 'applied', toName: 'planned', context: 1 })).toBe(
      ['--- applied', '+++ planned', '@@ -3,3 +3,3 @@', ' c', '-d', '+D', ' e', '@@ -7 +7,2 @@', ' g', '+h', ''].join('\n'),
    );
  });

  it('keeps changes close together in one hunk', () => {
    const diff = diffLines('a\nb\nc\nd\n', 'A\nb\nc\nD\n');
    expect(diff.match(/^@@/gm)).toHaveLength(1);
    expect(diff).toContain('-a\n+A\n b\n c\n-d\n+D\n');
  });

  it('shows an insertion into an empty text', () => {
    expect(diffLines('', 'x\n')).toBe('--- before\n+++ after\n@@ -0,0 +1 @@\n+x\n');
  });

  it('is the same on every call (removals before additions)', () => {
    const before = 'x: 1\ny: 2\nz: 3\n';
    const after = 'x: 1\ny: 4\nw: 5\nz: 3\n';
    const first = diffLines(before, after);
    expect(diffLines(before, after)).toBe(first);
    expect(first).toContain('-y: 2\n+y: 4\n+w: 5\n');
  });
});
