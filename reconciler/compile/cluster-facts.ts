import { createHash } from 'node:crypto';
import type { DesiredState } from '../manifests/desired-state.js';
import {
  findSwiftEndpoint, ruleCeph, ruleComputeApis, ruleDatabases, ruleMessaging, rulePciScheduling, ruleRouting, ruleStorageBackends,
  type RoleMembers, type RuleOutcome,
} from './composition-rules.js';
import type { CompileProblem, EncValue } from './types.js';

/**
 * Roles whose machines serve the others (endpoints to reach, clusters to join): their member lists go into
 * every ENC's topology. Pools of interchangeable machines (computes, OSDs, stores, network nodes) stay out,
 * or every ENC would grow with the size of the cluster.
 */
const SERVICE_ROLES = new Set(['cephmon', 'controller', 'debmirror', 'dns', 'messaging', 'sql', 'swiftproxy']);

export interface ClusterFacts {
  /** Fact name → value, for `from:` parameters of every node. */
  facts: Record<string, EncValue>;
  /** The `plinth_topology` top-scope parameter: VIP and the members of each service role. */
  topology: Record<string, EncValue>;
  problems: CompileProblem[];
  /** sha256 of facts and topology: a node's ENC needs re-rendering only when it changes. */
  digest: string;
}

/** The API virtual IP: the `api_vip` cluster setting, else the first reserved address of the management network. */
function findVipAddress(desired: DesiredState): string {
  const setting = desired.cluster.spec.settings?.api_vip;
  if (typeof setting === 'string') return setting;
  const management = [...desired.networks.values()].filter((network) => network.spec.purpose === 'management').sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return management[0]?.spec.reserved?.[0] ?? '';
}

/** A UUID derived from the cluster name: stable across compiles without being stored. */
function deriveCephFsid(cluster: string): string {
  const hex = createHash('sha256').update(`plinth ceph fsid ${cluster}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Everything a node's ENC needs to know about the rest of the cluster, computed once per compile from the
 * role members (role → hostnames, sorted) and the GPU aliases found on computes.
 */
export function computeClusterFacts(desired: DesiredState, members: RoleMembers, gpuAliases: readonly string[]): ClusterFacts {
  const cluster = desired.cluster;
  const vipHostname = cluster.spec.tls?.publicEndpoint ?? `api.${cluster.spec.domain}`;
  const vipAddress = findVipAddress(desired);
  const swiftEndpoint = findSwiftEndpoint(cluster, members, vipHostname);
  const outcomes: RuleOutcome[] = [
    ruleComputeApis(members), ruleRouting(members), ruleCeph(members), ruleMessaging(members), ruleDatabases(members),
    ruleStorageBackends(cluster, members, swiftEndpoint), rulePciScheduling(gpuAliases),
  ];
  const facts: Record<string, EncValue> = {
    cluster_name: cluster.metadata.name,
    domain: cluster.spec.domain,
    vip_address: vipAddress,
    vip_hostname: vipHostname,
    ceph_fsid: deriveCephFsid(cluster.metadata.name),
    swift_public_url: swiftEndpoint,
    controller_hosts: [...(members.get('controller') ?? [])],
    ...Object.assign({}, ...outcomes.map((outcome) => outcome.facts)),
  };
  const topology: Record<string, EncValue> = { vip: { address: vipAddress, hostname: vipHostname } };
  for (const [role, hosts] of members) if (SERVICE_ROLES.has(role)) topology[role] = [...hosts];
  const digest = createHash('sha256').update(JSON.stringify([facts, topology])).digest('hex');
  return { facts, topology, problems: outcomes.flatMap((outcome) => outcome.problems), digest };
}
