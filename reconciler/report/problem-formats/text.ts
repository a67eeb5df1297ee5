import type { Problem } from '../../lib/problems.js';
import { describePlace, type FormatContext } from './types.js';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `file:line:col: error: message [json-path]`, one per line, then a closing count. */
export function formatText(problems: readonly Problem[], context: FormatContext = {}): string {
  const lines = problems.map((problem) => `${describePlace(problem)}: ${problem.severity}: ${problem.message}${problem.path ? ` [${problem.path}]` : ''}`);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const read = context.manifestCount === undefined ? '' : ` (${plural(context.manifestCount, 'manifest')} in ${plural(context.files?.length ?? 0, 'file')})`;
  lines.push(errors > 0 ? `invalid: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${read}` : `valid${warnings > 0 ? ` with ${plural(warnings, 'warning')}` : ''}${read}`);
  return `${lines.join('\n')}\n`;
}
