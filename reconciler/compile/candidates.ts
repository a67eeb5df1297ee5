import type { Classification } from '../inventory/classification.js';
import type { SnapshotNode } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { Node, Role } from '../manifests/kinds/index.js';
import type { HostnameRequest } from './hostnames.js';
import type { AddressRequest } from './ipam.js';
import type { CompileInput, CompileProblem } from './types.js';

const DEFAULT_ROLE_NETWORKS = ['management', 'provisioning'];

function byNodeId<T extends { nodeId: string }>(a: T, b: T): number {
  return a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0;
}

export interface Candidate {
  classification: Classification;
  snapshotNode: SnapshotNode;
  node?: Node;
  role: Role;
}

/** Matched machines with a known role; a machine another one declares it replaces is gone and gets nothing. */
export function selectCandidates(input: CompileInput, problems: CompileProblem[]): Candidate[] {
  const { desired, snapshot } = input;
  const inventory = new Map(snapshot.nodes.map((node) => [node.id, node]));
  const candidates: Candidate[] = [];
  for (const classification of input.classifications) {
    const snapshotNode = inventory.get(classification.nodeId);
    if (classification.state !== 'matched' || classification.role === undefined || !snapshotNode) continue;
    const role = desired.roles.get(classification.role);
    if (!role) {
      problems.push({ nodeId: classification.nodeId, code: 'role-unknown', severity: 'error', message: `role ${classification.role} is neither built in nor declared` });
      continue;
    }
    const node = classification.pinnedBy === undefined ? undefined : desired.nodes.get(classification.pinnedBy);
    candidates.push({ classification, snapshotNode, role, ...(node ? { node } : {}) });
  }
  const replaced = new Set(candidates.flatMap((candidate) => (candidate.node?.spec.replaces === undefined ? [] : [candidate.node.spec.replaces])));
  return candidates.filter((candidate) => !replaced.has(candidate.classification.nodeId)).sort((a, b) => byNodeId(a.classification, b.classification));
}

export function hostnameRequest(candidate: Candidate): HostnameRequest {
  const placement = candidate.classification.placement;
  const place: Record<string, string> = {};
  if (placement?.datacenter !== undefined) place.datacenter = placement.datacenter;
  if (placement?.row !== undefined) place.row = placement.row;
  if (placement?.rack !== undefined) place.rack = placement.rack;
  if (placement) place.az = placement.availabilityZone;
  const spec = candidate.node?.spec;
  return {
    nodeId: candidate.classification.nodeId,
    role: candidate.role.metadata.name,
    place,
    ...(spec?.hostname === undefined ? {} : { pinned: spec.hostname }),
    ...(spec?.replaces === undefined ? {} : { replaces: spec.replaces }),
  };
}

/** Names of the networks each role gets addresses on, from the purposes its Role lists. */
export function createRoleNetworks(desired: DesiredState): (role: Role) => string[] {
  const byRole = new Map<Role, string[]>();
  return (role) => {
    let names = byRole.get(role);
    if (!names) {
      const purposes = new Set<string>(role.spec.networks ?? DEFAULT_ROLE_NETWORKS);
      names = [...desired.networks.values()].filter((network) => purposes.has(network.spec.purpose)).map((network) => network.metadata.name);
      byRole.set(role, names);
    }
    return names;
  };
}

export function addressRequest(roleNetworks: (role: Role) => string[], candidate: Candidate): AddressRequest {
  const pinned = candidate.node?.spec.addresses ?? {};
  const networks = roleNetworks(candidate.role);
  const location = candidate.classification.placement?.location ?? candidate.node?.spec.location;
  return {
    nodeId: candidate.classification.nodeId,
    networks: [...new Set([...networks, ...Object.keys(pinned)])],
    pinned,
    ...(location === undefined ? {} : { location }),
    ...(candidate.node?.spec.replaces === undefined ? {} : { replaces: candidate.node.spec.replaces }),
  };
}

export function collectPins(desired: DesiredState): { network: string; address: string }[] {
  return [...desired.nodes.values()].flatMap((node) => Object.entries(node.spec.addresses ?? {}).map(([network, address]) => ({ network, address })));
}
