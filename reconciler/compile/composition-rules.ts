import type { Cluster } from '../manifests/kinds/index.js';
import type { CompileProblem, EncValue } from './types.js';

/**
 * OCI's rules: what the presence or absence of some roles in the cluster changes for the others. Each rule
 * turns role membership into named facts; Role files route facts into class parameters (`from:`), so a
 * custom role receives a rule's outcome by naming the fact, without any change here.
 */
export type RoleMembers = ReadonlyMap<string, readonly string[]>;

export interface RuleOutcome {
  facts: Record<string, EncValue>;
  problems: CompileProblem[];
}

const hostsOf = (members: RoleMembers, role: string): string[] => [...(members.get(role) ?? [])];
const has = (members: RoleMembers, role: string): boolean => (members.get(role)?.length ?? 0) > 0;

/** Computes present → the controllers also run the compute-side APIs (Nova, Neutron, Glance, Placement). */
export function ruleComputeApis(members: RoleMembers): RuleOutcome {
  return { facts: { computes_present: has(members, 'compute') }, problems: [] };
}

/** No network nodes → the controllers route (L3, SNAT) and the computes serve DHCP and metadata. */
export function ruleRouting(members: RoleMembers): RuleOutcome {
  const none = !has(members, 'network');
  return { facts: { routing_on_controllers: none, dhcp_on_computes: none }, problems: [] };
}

/** Ceph OSDs → Ceph backs Nova, Glance and Cinder, cinder-volume runs on computes; without mon nodes the controllers are the mons. */
export function ruleCeph(members: RoleMembers): RuleOutcome {
  const ceph = has(members, 'cephosd');
  const separateMons = has(members, 'cephmon');
  const mons = !ceph && !separateMons ? [] : separateMons ? hostsOf(members, 'cephmon') : hostsOf(members, 'controller');
  return {
    facts: { ceph_backend: ceph, cinder_volume_on_computes: ceph, controllers_are_ceph_mons: ceph && !separateMons, ceph_mon_hosts: mons },
    problems: [],
  };
}

/** Messaging nodes → notifications and telemetry processing move off the controllers. */
export function ruleMessaging(members: RoleMembers): RuleOutcome {
  const separate = has(members, 'messaging');
  return { facts: { telemetry_on_controllers: !separate, messaging_hosts: hostsOf(members, separate ? 'messaging' : 'controller') }, problems: [] };
}

/** SQL nodes → the databases move off the controllers. */
export function ruleDatabases(members: RoleMembers): RuleOutcome {
  const separate = has(members, 'sql');
  return { facts: { databases_on_controllers: !separate, database_hosts: hostsOf(members, separate ? 'sql' : 'controller') }, problems: [] };
}

/** Where Swift is: this cluster's proxies, else a linked Swift cluster's endpoint, else nowhere. */
export function findSwiftEndpoint(cluster: Cluster, members: RoleMembers, vipHostname: string): string {
  if (has(members, 'swiftproxy')) return `https://${vipHostname}:8080/v1`;
  return cluster.spec.linkedClusters?.find((link) => link.purpose === 'swift')?.endpoint ?? '';
}

/**
 * Swift here or in a linked cluster → Glance and Cinder backup follow the Cluster's `backends` preference;
 * `auto` picks Ceph, then Swift, then local files (Glance) or no backup (Cinder). A preference the
 * composition cannot serve falls back the same way and is reported.
 */
export function ruleStorageBackends(cluster: Cluster, members: RoleMembers, swiftEndpoint: string): RuleOutcome {
  const available = { ceph: has(members, 'cephosd'), swift: swiftEndpoint !== '', file: true, none: true };
  const problems: CompileProblem[] = [];
  const choose = (service: string, preference: string, order: readonly (keyof typeof available)[]): string => {
    const automatic = order.find((backend) => available[backend]) ?? order[order.length - 1] ?? 'none';
    if (preference === 'auto') return automatic;
    if (available[preference as keyof typeof available]) return preference;
    problems.push({ code: 'backend-unavailable', severity: 'warning', message: `${service} prefers ${preference}, which this cluster does not have; using ${automatic}` });
    return automatic;
  };
  const glance = choose('glance', cluster.spec.backends?.glance ?? 'auto', ['ceph', 'swift', 'file']);
  const backup = choose('cinder backup', cluster.spec.backends?.cinderBackup ?? 'auto', ['swift', 'ceph', 'none']);
  return { facts: { glance_backend: glance, cinder_backup_backend: backup, swift_endpoint: swiftEndpoint }, problems };
}

const BASE_SCHEDULER_FILTERS = ['AvailabilityZoneFilter', 'ComputeFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter'];

/** GPU models on computes → the controllers know every alias and schedule with the PCI passthrough filter. */
export function rulePciScheduling(aliases: readonly string[]): RuleOutcome {
  return {
    facts: { pci_aliases: [...aliases], scheduler_filters: aliases.length > 0 ? [...BASE_SCHEDULER_FILTERS, 'PciPassthroughFilter'] : [...BASE_SCHEDULER_FILTERS] },
    problems: [],
  };
}
