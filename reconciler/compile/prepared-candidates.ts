import type { Classification } from '../inventory/classification.js';
import type { SnapshotNode } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { GpuModel, Node, Role } from '../manifests/kinds/index.js';
import { addressRequest, createRoleNetworks, hostnameRequest, type Candidate } from './candidates.js';
import { isDeepEqual, type ContentKey } from './compile-memo.js';
import type { HostnameRequest, HostnameResult } from './hostnames.js';
import type { AddressRequest, IpamResult } from './ipam.js';
import { detectGpuModels } from './node-facts.js';
import type { NodePlan } from './node-target.js';
import type { CompileInput, CompileProblem } from './types.js';

/**
 * A candidate machine with what compile derives from it before hostnames and addresses are known. The
 * same object comes back while the machine's inputs are unchanged, so that later steps can tell "nothing
 * changed here" by reference instead of by value.
 */
export interface PreparedCandidate {
  readonly candidate: Candidate;
  readonly nameRequest: HostnameRequest;
  readonly addressRequest: AddressRequest;
  readonly gpuModels: GpuModel[];
  /** The plan last built from this candidate; compile reuses it while hostname and addresses stay the same. */
  plan?: NodePlan;
  /** The hostname and address results `plan` was built from. */
  plannedFrom?: { names: HostnameResult; ipam: IpamResult };
  /** Number of the last preparation that returned this candidate. */
  stamp: number;
}

/** Reuses a machine's prepared candidate across compiles while its inputs are the same. */
export type CandidatePreparer = (input: CompileInput, problems: CompileProblem[]) => PreparedCandidate[];

/** The parts of a classification that compile reads; the rest (reasons, evaluations, flags) never reaches a target. */
function isSameClassification(a: Classification, b: Classification): boolean {
  if (a === b) return true;
  const placementSame = a.placement === b.placement || isDeepEqual(a.placement, b.placement);
  return a.nodeId === b.nodeId && a.state === b.state && a.role === b.role && a.profile === b.profile && a.pinnedBy === b.pinnedBy && placementSame;
}

function prepareCandidate(candidate: Candidate, desired: DesiredState, roleNetworks: (role: Role) => string[], stamp: number): PreparedCandidate {
  const inventory = candidate.snapshotNode.inventory;
  const gpuModels = candidate.role.metadata.name === 'compute' && inventory.gpus.length > 0 ? detectGpuModels(inventory, desired.gpuModels) : [];
  return {
    candidate,
    nameRequest: hostnameRequest(candidate),
    addressRequest: addressRequest(roleNetworks, candidate),
    gpuModels,
    stamp,
  };
}

function compareNodeIds(a: PreparedCandidate, b: PreparedCandidate): number {
  const [left, right] = [a.candidate.classification.nodeId, b.candidate.classification.nodeId];
  return left < right ? -1 : left > right ? 1 : 0;
}

function isSortedByNodeId(prepared: readonly PreparedCandidate[]): boolean {
  for (let index = 1; index < prepared.length; index += 1) if (compareNodeIds(prepared[index - 1] as PreparedCandidate, prepared[index] as PreparedCandidate) > 0) return false;
  return true;
}

/**
 * Creates a preparer: matched machines with a known role, sorted by identity, without those another machine
 * declares it replaces (they are gone and get nothing). A machine's requests and GPU models are derived again
 * only when its classification (the parts compile reads), its inventory, Node or Role object changed, or the
 * networks or GPU models of the cluster changed by content.
 */
export function createCandidatePreparer(contentKey: ContentKey): CandidatePreparer {
  let entries = new Map<string, PreparedCandidate>();
  let sharedKey = '';
  let stamp = 0;
  let indexed: { nodes: readonly SnapshotNode[]; byId: Map<string, SnapshotNode> } | undefined;

  function indexInventory(nodes: readonly SnapshotNode[]): Map<string, SnapshotNode> {
    if (indexed?.nodes !== nodes) indexed = { nodes, byId: new Map(nodes.map((node) => [node.id, node])) };
    return indexed.byId;
  }

  function reuse(entry: PreparedCandidate | undefined, classification: Classification, snapshotNode: SnapshotNode, role: Role, node: Node | undefined): boolean {
    if (!entry) return false;
    const previous = entry.candidate;
    return previous.snapshotNode === snapshotNode && previous.role === role && previous.node === node && isSameClassification(previous.classification, classification);
  }

  return (input, problems) => {
    const { desired } = input;
    const key = [desired.networks, desired.gpuModels].map((map) => [...map.values()].map((value) => contentKey(value)).join(',')).join('\u0000');
    if (key !== sharedKey) [entries, sharedKey] = [new Map(), key];
    stamp += 1;
    const inventory = indexInventory(input.snapshot.nodes);
    const roleNetworks = createRoleNetworks(desired);
    const prepared: PreparedCandidate[] = [];
    let replacing = false;
    for (const classification of input.classifications) {
      const snapshotNode = inventory.get(classification.nodeId);
      if (classification.state !== 'matched' || classification.role === undefined || !snapshotNode) continue;
      const role = desired.roles.get(classification.role);
      if (!role) {
        problems.push({ nodeId: classification.nodeId, code: 'role-unknown', severity: 'error', message: `role ${classification.role} is neither built in nor declared` });
        continue;
      }
      const node = classification.pinnedBy === undefined ? undefined : desired.nodes.get(classification.pinnedBy);
      let entry = entries.get(classification.nodeId);
      if (!entry || !reuse(entry, classification, snapshotNode, role, node)) {
        entry = prepareCandidate({ classification, snapshotNode, role, ...(node ? { node } : {}) }, desired, roleNetworks, stamp);
        entries.set(classification.nodeId, entry);
      }
      entry.stamp = stamp;
      replacing ||= node?.spec.replaces !== undefined;
      prepared.push(entry);
    }
    if (entries.size > prepared.length) for (const [nodeId, entry] of entries) if (entry.stamp !== stamp) entries.delete(nodeId);
    const kept = replacing ? dropReplaced(prepared) : prepared;
    return isSortedByNodeId(kept) ? kept : kept.sort(compareNodeIds);
  };
}

function dropReplaced(prepared: PreparedCandidate[]): PreparedCandidate[] {
  const replaced = new Set(prepared.flatMap(({ candidate }) => (candidate.node?.spec.replaces === undefined ? [] : [candidate.node.spec.replaces])));
  return prepared.filter(({ candidate }) => !replaced.has(candidate.classification.nodeId));
}
