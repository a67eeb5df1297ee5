import type { Problem } from '../../lib/problems.js';

/** Workflow-command escaping of a message (GitHub's toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command escaping of a property value (`escapeProperty`): `:` and `,` separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions annotations: `::error file=F,line=L,col=C,title=T::message`, shown on the pull request's diff. */
export function formatGithub(problems: readonly Problem[]): string {
  const lines = problems.map((problem) => {
    const properties = problem.file === '' ? [] : [`file=${escapeProperty(problem.file)}`];
    if (problem.file !== '' && problem.line > 0) properties.push(`line=${problem.line}`, `col=${problem.col}`);
    properties.push(`title=${escapeProperty(`plinth ${problem.rule}`)}`);
    const message = problem.path ? `${problem.message} [${problem.path}]` : problem.message;
    return `::${problem.severity} ${properties.join(',')}::${escapeData(message)}`;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
