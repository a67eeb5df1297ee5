/**
 * What matching, placement and peer comparison conclude about one machine (pure results; see
 * `classifyNodes`). Compile turns a classification into targets; `plinth explain` prints its reasons.
 */
export type MatchState = 'matched' | 'unmatched' | 'ambiguous' | 'quarantined';

export interface CriterionResult {
  /** e.g. `memoryGiB`, `cpuModel`, `gpus[a100-pcie-80g]`. */
  criterion: string;
  expected: string;
  observed: string;
  pass: boolean;
}

export interface ProfileEvaluation {
  profile: string;
  priority: number;
  matched: boolean;
  criteria: CriterionResult[];
}

export interface Placement {
  datacenter?: string;
  row?: string;
  rack?: string;
  availabilityZone: string;
  aggregates: string[];
  rackUnit?: number;
  /** The Location manifest and switch entry that placed the machine. */
  location: string;
  switchName: string;
}

export type PlacementStatus = 'placed' | 'no-lldp' | 'unknown-switch' | 'conflicting-racks' | 'pinned';

/** A way a machine differs from its peers of the same profile (eDeploy's black sheep). */
export interface PeerFlag {
  flag: 'fewer-dimms' | 'less-memory' | 'missing-disk' | 'slower-nic' | 'bios-version' | 'cpu-model';
  message: string;
  observed: string;
  peers: string;
}

export interface Classification {
  nodeId: string;
  state: MatchState;
  /** Why the state is what it is, in one sentence (always set). */
  reason: string;
  profile?: string;
  role?: string;
  /** Name of the Node manifest that pins this machine, if any. */
  pinnedBy?: string;
  evaluations: ProfileEvaluation[];
  placement?: Placement;
  placementStatus: PlacementStatus;
  placementReason: string;
  flags: PeerFlag[];
}
