import { describe, expect, it } from '@jest/globals';
import { positionOf, problemsOf, validateFiles } from './fixture-repo.js';

export type Overrides = Record<string, string | null>;

/** One rule, shown failing on a small mistake (with the exact place reported) and passing on a near miss. */
export interface RuleCase {
  title: string;
  rule: string;
  failing: Overrides;
  /** Where the problem must be reported: `needle` in `file` (searched from `after` when given). */
  at: { file: string; needle: string; after?: string };
  message: RegExp;
  /** A close variant that is valid: the whole repository then validates clean. */
  passing: Overrides;
}

export function runRuleCases(name: string, cases: readonly RuleCase[]): void {
  describe(name, () => {
    it.each(cases)('$rule: $title — reported at its line and column', ({ rule, failing, at, message }) => {
      const result = validateFiles(failing);
      const text = failing[at.file];
      if (typeof text !== 'string') throw new Error(`the failing case must override ${at.file}`);
      expect(problemsOf(result, rule)).toContainEqual(
        expect.objectContaining({ file: at.file, ...positionOf(text, at.needle, at.after), severity: 'error', message: expect.stringMatching(message) }),
      );
      expect(result.desired).toBeUndefined();
    });

    it.each(cases)('$rule: $title — the near miss validates clean', ({ passing }) => {
      const result = validateFiles(passing);
      expect(result.problems).toEqual([]);
      expect(result.desired).toBeDefined();
    });
  });
}
