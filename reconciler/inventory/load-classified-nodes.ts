import type { DesiredState } from '../manifests/desired-state.js';
import { validateRepository } from '../manifests/validate-repository.js';
import { PlinthError, UsageError } from '../lib/errors.js';
import { formatText } from '../report/problem-formats/text.js';
import type { Classification } from './classification.js';
import { classifyNodes } from './classify-nodes.js';
import { readSnapshot } from './read-snapshot.js';
import type { InventorySnapshot, SnapshotNode } from './snapshot.js';

/** One row of `plinth nodes`: what an operator scans a fleet for. */
export interface NodeView {
  id: string;
  hostname: string;
  state: Classification['state'];
  profile: string;
  role: string;
  availabilityZone: string;
  flags: string[];
}

export interface ClassifiedNode {
  view: NodeView;
  classification: Classification;
  node: SnapshotNode;
}

export interface ClassifiedInventory {
  desired: DesiredState;
  snapshot: InventorySnapshot;
  nodes: ClassifiedNode[];
}

/** A hostname already handed out wins; otherwise the one a Node manifest fixes; `-` until compile gives one. */
function findHostname(desired: DesiredState, snapshot: InventorySnapshot, classification: Classification): string {
  const assigned = snapshot.hostnames.find((entry) => entry.nodeId === classification.nodeId);
  if (assigned) return assigned.hostname;
  const pinned = classification.pinnedBy === undefined ? undefined : desired.nodes.get(classification.pinnedBy)?.spec.hostname;
  return pinned ?? '-';
}

/** Pure: joins classifications with the snapshot's machines and hostnames, in identity order. */
export function viewClassifiedNodes(desired: DesiredState, snapshot: InventorySnapshot): ClassifiedNode[] {
  const byId = new Map(snapshot.nodes.map((node) => [node.id, node]));
  return classifyNodes(desired, snapshot.nodes).flatMap((classification) => {
    const node = byId.get(classification.nodeId);
    if (!node) return [];
    const view: NodeView = {
      id: classification.nodeId,
      hostname: findHostname(desired, snapshot, classification),
      state: classification.state,
      profile: classification.profile ?? '-',
      role: classification.role ?? '-',
      availabilityZone: classification.placement?.availabilityZone ?? '-',
      flags: classification.flags.map((flag) => flag.flag),
    };
    return [{ view, classification, node }];
  });
}

/**
 * Reads the desired state from a repository and the machines from a snapshot file, and classifies them.
 * An invalid repository fails with its located problems (exit 1), and nothing is classified.
 */
export async function loadClassifiedNodes(repo: string, inventoryFile: string): Promise<ClassifiedInventory> {
  const result = await validateRepository(repo);
  if (!result.desired) {
    const problems = formatText(result.problems, { files: result.files, manifestCount: result.manifestCount });
    throw new PlinthError('REPOSITORY_INVALID', `the repository ${repo} is invalid:\n${problems.trimEnd()}`, { details: { exitCode: 1 } });
  }
  const snapshot = await readSnapshot(inventoryFile);
  return { desired: result.desired, snapshot, nodes: viewClassifiedNodes(result.desired, snapshot) };
}

/**
 * Finds a machine by identity, by the name of the Node manifest that pins it, by hostname (full or short)
 * or by one of its MACs. Unknown names fail with the identities that exist, so a typo is easy to see.
 */
export function findClassifiedNode(nodes: readonly ClassifiedNode[], query: string): ClassifiedNode {
  const wanted = query.trim().toLowerCase();
  const found =
    nodes.find((entry) => entry.view.id.toLowerCase() === wanted) ??
    nodes.find((entry) => entry.classification.pinnedBy === query) ??
    nodes.find((entry) => entry.view.hostname !== '-' && [entry.view.hostname, entry.view.hostname.split('.')[0]].includes(wanted)) ??
    nodes.find((entry) => entry.node.inventory.nics.some((nic) => nic.mac === wanted));
  if (found) return found;
  const known = nodes.slice(0, 10).map((entry) => entry.view.id);
  const more = nodes.length > known.length ? `, … (${nodes.length} in all)` : '';
  throw new UsageError(`no machine ${JSON.stringify(query)} in the inventory; give an identity, Node name, hostname or MAC (known: ${known.join(', ') || 'none'}${more})`);
}
