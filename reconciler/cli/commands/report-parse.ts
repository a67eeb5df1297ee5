import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { normaliseReport } from '../../discovery/normalise.js';
import { readReportDirectory } from '../../discovery/read-report-dir.js';

const AGENT_VERSION = 'report-parse';

export interface ReportParseOptions {
  output: 'json' | 'yaml';
}

/**
 * `plinth report parse DIR`: reads raw section files as the agent collects them (`--dump DIR` writes the
 * same layout), normalises them and prints the inventory, so an operator can see what the controller will
 * make of a machine. Warnings about unreadable sections go to stderr.
 * Example: `plinth report parse ./r640-dump --output yaml`.
 */
export async function runReportParse(directory: string, options: ReportParseOptions): Promise<void> {
  const report = await readReportDirectory(directory, { agentVersion: AGENT_VERSION, collectedAt: new Date().toISOString() });
  const { inventory, warnings } = normaliseReport(report);
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(options.output === 'yaml' ? stringify(inventory) : `${JSON.stringify(inventory, null, 2)}\n`);
}

export function registerReportParse(program: Command): void {
  const report = program.commands.find((command) => command.name() === 'report') ?? program.command('report').description('Work with hardware reports');
  report
    .command('parse')
    .description('Normalise a directory of raw hardware-report sections and print the inventory')
    .argument('<dir>', 'directory holding dmidecode.txt, lspci.txt, lsblk.json, ... (any subset)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .action(async (directory: string, options: ReportParseOptions) => runReportParse(directory, options));
}
