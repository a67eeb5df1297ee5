import type { Problem } from '../../lib/problems.js';
import { describePlace, type FormatContext } from './types.js';

/** XML 1.0 forbids most control characters even when escaped; they are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderCase(file: string, problems: readonly Problem[]): string {
  const name = escapeXml(file === '' ? '(repository)' : file);
  const errors = problems.filter((problem) => problem.severity === 'error');
  const warnings = problems.filter((problem) => problem.severity === 'warning');
  const failures = errors.map((problem) => {
    const text = `${describePlace(problem)}: ${problem.message}${problem.path ? ` [${problem.path}]` : ''}`;
    return `      <failure type="${escapeXml(problem.rule)}" message="${escapeXml(problem.message)}">${escapeXml(text)}</failure>`;
  });
  const out = warnings.map((problem) => `${describePlace(problem)}: warning: ${problem.message}`).join('\n');
  const body = [...failures, ...(out ? [`      <system-out>${escapeXml(out)}</system-out>`] : [])];
  return body.length === 0
    ? `    <testcase classname="plinth.validate" name="${name}"/>`
    : `    <testcase classname="plinth.validate" name="${name}">\n${body.join('\n')}\n    </testcase>`;
}

/** JUnit XML: one test case per file, failing with one `<failure>` per error; clean files pass. */
export function formatJunit(problems: readonly Problem[], context: FormatContext = {}): string {
  const byFile = new Map<string, Problem[]>();
  for (const file of context.files ?? []) byFile.set(file, []);
  for (const problem of problems) {
    const list = byFile.get(problem.file);
    if (list) list.push(problem);
    else byFile.set(problem.file, [problem]);
  }
  const files = [...byFile.keys()].sort();
  const failing = files.filter((file) => (byFile.get(file) ?? []).some((problem) => problem.severity === 'error')).length;
  const cases = files.map((file) => renderCase(file, byFile.get(file) ?? []));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plinth validate" tests="${files.length}" failures="${failing}" errors="0">`,
    `  <testsuite name="manifests" tests="${files.length}" failures="${failing}" errors="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
