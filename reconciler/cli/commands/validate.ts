import { Option, type Command } from 'commander';
import { addProgressOptions, startProgress, writersAround, type ProgressFlags } from '../../lib/progress-flags.js';
import type { ReportProgress } from '../../lib/progress.js';
import { hasErrors } from '../../lib/problems.js';
import { validateRepository } from '../../manifests/validate-repository.js';
import { problemFormatters, type ProblemFormat } from '../../report/problem-formats/index.js';

interface ValidateFlags extends ProgressFlags {
  format: ProblemFormat;
  include?: string[];
  exclude?: string[];
}

/**
 * `plinth validate [PATH]`: checks every manifest under PATH (default: the current folder) and prints each
 * problem with its place. Exit code 0 when valid (warnings allowed), 1 when invalid, 2 when PATH is unreadable.
 * Example: `plinth validate cluster-repo-example --format github`.
 */
export async function runValidate(path: string, flags: ValidateFlags, write: (text: string) => void, onProgress?: ReportProgress): Promise<number> {
  const result = await validateRepository(path, {
    ...(flags.include ? { include: flags.include } : {}),
    ...(flags.exclude ? { exclude: flags.exclude } : {}),
    onProgress,
  });
  onProgress?.({ phase: 'report', total: result.problems.length, unit: 'problems' });
  write(problemFormatters[flags.format](result.problems, { files: result.files, manifestCount: result.manifestCount }));
  return hasErrors(result.problems) ? 1 : 0;
}

export function registerValidate(program: Command): void {
  const command = program
    .command('validate')
    .description('check every manifest of a cluster repository against the schemas and the cross-file rules')
    .argument('[path]', 'root of the cluster repository', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(problemFormatters)).default('text'))
    .option('--include <glob...>', 'only read files matching these globs (relative to PATH)')
    .option('--exclude <glob...>', 'skip files matching these globs');
  addProgressOptions(command).action(async (path: string, flags: ValidateFlags) => {
    const progress = startProgress(flags, process.stderr, 'validate');
    try {
      process.exitCode = await runValidate(path, flags, writersAround(progress).write, progress?.report);
    } finally {
      progress?.finish(process.exitCode === undefined ? 'failed' : 'done');
    }
  });
}
