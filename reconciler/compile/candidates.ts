import type { Classification } from '../inventory/classification.js';
import type { SnapshotNode } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { Node, Role } from '../manifests/kinds/index.js';
import type { HostnameRequest } from './hostnames.js';
import type { AddressRequest } from './ipam.js';

const DEFAULT_ROLE_NETWORKS = ['management', 'provisioning'];

export interface Candidate {
  classification: Classification;
  snapshotNode: SnapshotNode;
  node?: Node;
  role: Role;
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
