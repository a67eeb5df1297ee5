import type { Problem } from '../../lib/problems.js';

export interface FormatContext {
  /** Files that were checked, for formats that list clean files too (JUnit). */
  files?: readonly string[];
  /** How many manifests were read, for the closing line of the text format. */
  manifestCount?: number;
}

/** Renders sorted problems as text for a terminal, a program, or a CI system. */
export type ProblemFormatter = (problems: readonly Problem[], context?: FormatContext) => string;

/** The place of a problem as `file:line:col`, or the repository as a whole when it has no file. */
export function describePlace(problem: Problem): string {
  if (problem.file === '') return '(repository)';
  return problem.line > 0 ? `${problem.file}:${problem.line}:${problem.col}` : problem.file;
}
