import type { Problem } from '../../lib/problems.js';
import type { FormatContext } from './types.js';

/** One JSON object: whether the repository is valid, the counts, and every problem with its place. */
export function formatJson(problems: readonly Problem[], context: FormatContext = {}): string {
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const body = {
    valid: errors === 0,
    errors,
    warnings: problems.length - errors,
    ...(context.manifestCount === undefined ? {} : { manifests: context.manifestCount }),
    problems,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
