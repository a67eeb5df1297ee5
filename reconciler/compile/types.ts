import type { Classification } from '../inventory/classification.js';
import type { Allocation, HostnameAssignment, InventorySnapshot } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';

export interface CompileInput {
  desired: DesiredState;
  classifications: readonly Classification[];
  snapshot: InventorySnapshot;
}

/** A scalar, list or map that the ENC renderer writes; maps are written with their keys sorted. */
export type EncValue = string | number | boolean | readonly EncValue[] | { readonly [key: string]: EncValue };

/** What Puppet's exec node terminus reads: classes with their parameters, top-scope parameters, environment. */
export interface EncDocument {
  environment: string;
  classes: Record<string, Record<string, EncValue>>;
  parameters: Record<string, EncValue>;
}

/** What one machine must be, as compile decides it. */
export interface NodeTarget {
  nodeId: string;
  hostname: string;
  role: string;
  profile?: string;
  installWave: number;
  /** Network name → address. */
  addresses: Record<string, string>;
  availabilityZone: string;
  enc: EncDocument;
  /** The rendered ENC with secrets as placeholders: what plans compare and digests cover. */
  encYaml: string;
  /** sha256 (hex) of `encYaml`. */
  encDigest: string;
  /** Names of the secrets the ENC refers to, resolved only when it is delivered. */
  secretNames: string[];
  /** A reboot is needed for the configuration to take effect (e.g. nouveau blacklisted for GPU passthrough). */
  rebootRequired: boolean;
  /** MAC the machine PXE-boots from. */
  bootMac: string;
  maintenance: boolean;
  decommission: boolean;
}

/** A machine compile could not give a target to, or a cluster-wide concern (no nodeId). */
export interface CompileProblem {
  nodeId?: string;
  code: 'ipam-exhausted' | 'ipam-conflict' | 'hostname-conflict' | 'parameter-missing' | 'parameter-type' | 'setting-secret' | 'role-unknown' | 'backend-unavailable';
  message: string;
  severity: 'error' | 'warning';
}

export interface CompileResult {
  targets: NodeTarget[];
  /** The complete set of allocations after this compile: kept, adopted and new, sorted by network then address. */
  allocations: Allocation[];
  /** Every hostname held, sorted by role then index. */
  hostnames: HostnameAssignment[];
  hostnameHighWater: Record<string, number>;
  problems: CompileProblem[];
}
