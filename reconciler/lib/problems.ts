/**
 * A located problem found while reading input (a manifest, a report): what, where, and how to fix.
 * Validation collects every problem at once instead of stopping at the first.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable rule identifier, e.g. `schema`, `yaml-syntax`, `dangling-reference`. */
  rule: string;
  message: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based; 0 when the problem has no position in a file. */
  line: number;
  col: number;
  /** JSON path inside the document, e.g. `$.spec.match.memoryGiB.min`. */
  path?: string;
}

export function compareProblems(a: Problem, b: Problem): number {
  return (
    a.file.localeCompare(b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
