import type { Command } from 'commander';
import { validateRepository } from '../../manifests/validate-repository.js';
import { summarizeDesiredState } from '../../manifests/summarize-desired-state.js';
import { formatText } from '../../report/problem-formats/text.js';

/**
 * `plinth summary [PATH]`: what the repository declares — the cluster, counts per kind, networks, locations,
 * profiles and their roles, pinned nodes. An invalid repository prints its problems instead and exits 1.
 */
export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('print a summary of the desired state that a cluster repository declares')
    .argument('[path]', 'root of the cluster repository', '.')
    .action(async (path: string) => {
      const result = await validateRepository(path);
      if (!result.desired) {
        process.stderr.write(formatText(result.problems, { files: result.files, manifestCount: result.manifestCount }));
        process.exitCode = 1;
        return;
      }
      for (const problem of result.problems) process.stderr.write(`${problem.file}:${problem.line}:${problem.col}: warning: ${problem.message}\n`);
      process.stdout.write(summarizeDesiredState(result.desired));
      process.exitCode = 0;
    });
}
