import type { Command } from 'commander';
import { findClassifiedNode, loadClassifiedNodes } from '../../inventory/load-classified-nodes.js';
import { renderExplanation } from '../../inventory/render-explanation.js';

export interface ExplainFlags {
  repo: string;
  inventory: string;
}

/**
 * `plinth explain NODE`: why a machine got its profile, role and place, or why it got none — each profile's
 * criteria with the observed value and pass/fail, the deciding reason, placement and peer flags.
 * Example: `plinth explain 1917FF5F0757 --repo cluster-repo-example --inventory inventory.json`.
 */
export async function runExplain(query: string, flags: ExplainFlags, write: (text: string) => void): Promise<void> {
  const { desired, nodes } = await loadClassifiedNodes(flags.repo, flags.inventory);
  const found = findClassifiedNode(nodes, query);
  const hostname = found.view.hostname === '-' ? undefined : found.view.hostname;
  write(renderExplanation({ classification: found.classification, node: found.node, cluster: desired.cluster, ...(hostname ? { hostname } : {}) }));
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain why a machine got its profile, role and availability zone, or why it got none')
    .argument('<node>', 'identity, Node name, hostname or MAC of the machine')
    .option('--repo <path>', 'root of the cluster repository', '.')
    .requiredOption('--inventory <file>', 'inventory snapshot (JSON) holding the machine')
    .action(async (query: string, flags: ExplainFlags) => runExplain(query, flags, (text) => process.stdout.write(text)));
}
