import type { Command } from 'commander';
import { compile } from '../../compile/compile.js';
import type { CompileResult, NodeTarget } from '../../compile/types.js';
import { UsageError } from '../../lib/errors.js';
import { loadClassifiedNodes } from '../../inventory/load-classified-nodes.js';

interface EncFlags {
  repo: string;
  inventory?: string;
}

/** The target Puppet asks for: by certname (the FQDN), short hostname or machine identity. */
export function findEncTarget(result: CompileResult, name: string): NodeTarget | undefined {
  const wanted = name.trim().toLowerCase();
  return (
    result.targets.find((target) => target.hostname === wanted) ??
    result.targets.find((target) => target.hostname.split('.')[0] === wanted) ??
    result.targets.find((target) => target.nodeId.toLowerCase() === wanted)
  );
}

/** Why a machine has no ENC, from compile's problems, so Puppet's log says more than "not found". */
function explainMissing(result: CompileResult, name: string): string {
  const related = result.problems.filter((problem) => problem.nodeId !== undefined && problem.nodeId.toLowerCase() === name.trim().toLowerCase());
  const reasons = related.map((problem) => `\n  ${problem.message}`).join('');
  return `plinth: no ENC for ${JSON.stringify(name)}: no machine compiles to that hostname${reasons}\n`;
}

/**
 * `plinth enc HOSTNAME --repo PATH --inventory FILE`: prints one machine's ENC as Puppet's exec node
 * terminus reads it (secrets as placeholders: offline, there is no secret store). Unknown machines exit 1
 * with the reason on stderr, which Puppet reports as "Failed to find HOSTNAME via exec".
 * Example: `external_nodes = /usr/local/bin/plinth-enc` with `exec plinth enc "$1" --repo /srv/repo --inventory /srv/inventory.json`.
 */
export async function runEnc(name: string, flags: EncFlags, write: (text: string) => void, warn: (text: string) => void): Promise<number> {
  if (flags.inventory === undefined) throw new UsageError('plinth enc needs --inventory FILE (a snapshot from `plinth inventory export`)');
  const loaded = await loadClassifiedNodes(flags.repo, flags.inventory);
  const result = compile({ desired: loaded.desired, classifications: loaded.nodes.map((node) => node.classification), snapshot: loaded.snapshot });
  const target = findEncTarget(result, name);
  if (!target) {
    warn(explainMissing(result, name));
    return 1;
  }
  write(target.encYaml);
  return 0;
}

export function registerEnc(program: Command): void {
  program
    .command('enc')
    .description("print a machine's Puppet ENC (for Puppet's exec node terminus), compiled from a repository and an inventory snapshot")
    .argument('<hostname>', 'certname (FQDN), short hostname or machine identity')
    .option('--repo <path>', 'root of the cluster repository', '.')
    .option('--inventory <file>', 'inventory snapshot (JSON) as `plinth inventory export` writes it')
    .action(async (name: string, flags: EncFlags) => {
      process.exitCode = await runEnc(name, flags, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    });
}
