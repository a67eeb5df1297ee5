import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffLines } from '../../reconciler/plan/diff.js';

const dir = mkdtempSync(join(tmpdir(), 'plinth-diff-'));

/** `diff -u` (GNU diffutils) of two texts, without its two file-name lines. */
function gnuDiffBody(before: string, after: string): string {
  writeFileSync(join(dir, 'before'), before);
  writeFileSync(join(dir, 'after'), after);
  try {
    execFileSync('diff', ['-u', join(dir, 'before'), join(dir, 'after')], { encoding: 'utf8' });
    return '';
  } catch (error) {
    return String((error as { stdout: string }).stdout).split('\n').slice(2).join('\n');
  }
}

/** Deterministic edits of a 30-line text: removals, insertions and changed lines scattered through it. */
function makeCase(seed: number): [string, string] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const before = Array.from({ length: 30 }, (_, index) => `line ${index} ${Math.floor(next() * 3)}`);
  const after = before.flatMap((line) => (next() < 0.1 ? [] : next() < 0.1 ? [line, `new ${Math.floor(next() * 100)}`] : next() < 0.08 ? [`changed ${line}`] : [line]));
  return [`${before.join('\n')}\n`, `${after.join('\n')}\n`];
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diffLines against GNU diff -u', () => {
  it('writes the same hunks as diff -u for scattered edits', () => {
    for (let seed = 1; seed <= 60; seed += 1) {
      const [before, after] = makeCase(seed);
      expect(diffLines(before, after).split('\n').slice(2).join('\n')).toBe(gnuDiffBody(before, after));
    }
  });
});
