import { describe, expect, it } from '@jest/globals';
import { replaceNoteBlock, splitNoteBlocks } from './note-blocks.js';

describe('note blocks', () => {
  const par1 = 'plinth: par1 main@sha1:aa success (applied)\nactions:\n  enrol: 1 succeeded\n';
  const lon1 = 'plinth: lon1 main@sha1:aa pending (applying)\n';

  it('splits a note into one block per cluster summary', () => {
    expect(splitNoteBlocks(par1 + lon1)).toEqual([par1, lon1]);
  });

  it('replaces the cluster\'s block and keeps the others, sorted by cluster', () => {
    const newer = 'plinth: par1 main@sha1:aa failure (applied)\n';
    expect(replaceNoteBlock(par1 + lon1, newer)).toBe(lon1 + newer);
  });

  it('collapses duplicate blocks left by a union merge', () => {
    expect(replaceNoteBlock(lon1 + lon1, par1)).toBe(lon1 + par1);
  });
});
