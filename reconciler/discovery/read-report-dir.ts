import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, PlinthError, UsageError } from '../lib/errors.js';
import { ETHTOOL_FILE, REPORT_FILES } from './report-files.js';
import type { HardwareReport } from './report-schema.js';
import { validateReport, type ReportProblem } from './validate-report.js';

export interface ReadReportOptions {
  agentVersion: string;
  collectedAt: string;
}

/**
 * Builds a hardware report from a directory of raw section files (any subset; see `report-files.ts`).
 * A file that is not valid JSON, or a report that breaks the schema, fails with every problem located
 * by file, and nothing is returned.
 */
export async function readReportDirectory(directory: string, options: ReadReportOptions): Promise<HardwareReport> {
  const names = await listDirectory(directory);
  const sections: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [section, spec] of Object.entries(REPORT_FILES)) {
    if (!names.includes(spec.file)) continue;
    const text = await readFile(path.join(directory, spec.file), 'utf8');
    if (spec.format === 'text') sections[section] = text;
    else if (spec.format === 'lines') sections[section] = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    else {
      try {
        sections[section] = JSON.parse(text) as unknown;
      } catch (error) {
        problems.push(`${path.join(directory, spec.file)}: not valid JSON (${describeError(error)})`);
      }
    }
  }
  const ethtool = await readEthtoolFiles(directory, names);
  if (Object.keys(ethtool).length > 0) sections.ethtool = ethtool;
  const report = { version: 1, agent: { version: options.agentVersion }, collectedAt: options.collectedAt, sections };
  problems.push(...validateReport(report).map((problem) => locateProblem(directory, problem)));
  if (problems.length > 0) {
    throw new PlinthError('REPORT_INVALID', `the report in ${directory} is invalid:\n  ${problems.join('\n  ')}`, {
      details: { exitCode: 1, problems },
    });
  }
  return report as HardwareReport;
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    throw new UsageError(`cannot read the report directory ${directory}: ${describeError(error)}`, { cause: error });
  }
}

async function readEthtoolFiles(directory: string, names: readonly string[]): Promise<Record<string, string>> {
  const ethtool: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const match = ETHTOOL_FILE.exec(name);
    if (match) ethtool[match[1] ?? ''] = await readFile(path.join(directory, name), 'utf8');
  }
  return ethtool;
}

/** Names the file a schema problem comes from: `/sections/efi/uefi` is `uefi` in efi.json. */
function locateProblem(directory: string, problem: ReportProblem): string {
  const [, , section = '', ...rest] = problem.pointer.split('/');
  const spec = (REPORT_FILES as Record<string, { file: string }>)[section];
  if (section === 'ethtool' && rest[0] !== undefined) {
    return `${path.join(directory, `ethtool-${rest[0]}.txt`)}: ${problem.message}`;
  }
  if (spec === undefined) return `${directory}: ${problem.pointer || '/'} ${problem.message}`;
  const inner = rest.length > 0 ? ` at /${rest.join('/')}` : '';
  return `${path.join(directory, spec.file)}${inner}: ${problem.message}`;
}
