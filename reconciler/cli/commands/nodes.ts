import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { describePlacement } from '../../inventory/place-node.js';
import { findClassifiedNode, loadClassifiedNodes, type ClassifiedNode, type NodeView } from '../../inventory/load-classified-nodes.js';

type Output = 'table' | 'json' | 'yaml';

export interface NodesFlags {
  repo: string;
  inventory: string;
  output: Output;
}

const COLUMNS: [string, (view: NodeView) => string][] = [
  ['SERIAL/ID', (view) => view.id],
  ['HOSTNAME', (view) => view.hostname],
  ['STATE', (view) => view.state],
  ['PROFILE', (view) => view.profile],
  ['ROLE', (view) => view.role],
  ['AZ', (view) => view.availabilityZone],
  ['FLAGS', (view) => (view.flags.length > 0 ? view.flags.join(',') : '-')],
];

/** A plain aligned table: two spaces between columns, the last one unpadded. */
export function renderNodeTable(views: readonly NodeView[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...views.map((view) => COLUMNS.map(([, read]) => read(view)))];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  '));
  return `${lines.join('\n')}\n`;
}

function renderStructured(value: unknown, output: Output): string {
  return output === 'yaml' ? stringify(value) : `${JSON.stringify(value, null, 2)}\n`;
}

/** `plinth nodes show NODE` as text: the row's facts, the reason, the placement and each flag. */
export function renderNodeDetails({ view, classification, node }: ClassifiedNode): string {
  const { system } = node.inventory;
  const lines = [
    `id:         ${view.id} (${node.inventory.identity.source})`,
    `product:    ${`${system.manufacturer} ${system.productName}`.trim() || '-'}`,
    `hostname:   ${view.hostname}`,
    `state:      ${view.state}`,
    `reason:     ${classification.reason}`,
    `profile:    ${view.profile}`,
    `role:       ${view.role}`,
    `pinned by:  ${classification.pinnedBy ?? '-'}`,
    `placement:  ${classification.placementStatus}: ${classification.placement ? describePlacement(classification.placement) : classification.placementReason}`,
    `first seen: ${node.firstSeen}`,
    `last seen:  ${node.lastSeen}`,
    `flags:      ${classification.flags.length === 0 ? '-' : ''}`,
    ...classification.flags.map((flag) => `  ${flag.flag}: ${flag.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `plinth nodes`: every known machine with its identity, hostname-to-be, state, profile, role, AZ and peer
 * flags. Example: `plinth nodes --repo cluster-repo-example --inventory inventory.json --output yaml`.
 */
export async function runNodes(flags: NodesFlags, write: (text: string) => void): Promise<void> {
  const { nodes } = await loadClassifiedNodes(flags.repo, flags.inventory);
  const views = nodes.map((entry) => entry.view);
  write(flags.output === 'table' ? renderNodeTable(views) : renderStructured(views, flags.output));
}

/** `plinth nodes show NODE`: one machine in detail; JSON and YAML carry the whole classification. */
export async function runNodesShow(query: string, flags: NodesFlags, write: (text: string) => void): Promise<void> {
  const { nodes } = await loadClassifiedNodes(flags.repo, flags.inventory);
  const found = findClassifiedNode(nodes, query);
  if (flags.output === 'table') write(renderNodeDetails(found));
  else write(renderStructured({ ...found.view, classification: found.classification, inventory: found.node.inventory }, flags.output));
}

export function registerNodes(program: Command): void {
  const nodes = program
    .command('nodes')
    .description('list the machines of an inventory snapshot with their state, profile, role, AZ and peer flags')
    .option('--repo <path>', 'root of the cluster repository', '.')
    .requiredOption('--inventory <file>', 'inventory snapshot (JSON) to classify')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .action(async (flags: NodesFlags) => runNodes(flags, (text) => process.stdout.write(text)));
  nodes
    .command('show')
    .description('show one machine: identity, state and reason, profile, role, placement and flags')
    .argument('<node>', 'identity, Node name, hostname or MAC of the machine')
    .addHelpText('after', '\nTakes the options of `plinth nodes`: --repo, --inventory (required) and --output (table prints text).')
    .action(async (query: string, _options: unknown, command: Command) => {
      await runNodesShow(query, command.optsWithGlobals<NodesFlags>(), (text) => process.stdout.write(text));
    });
}
