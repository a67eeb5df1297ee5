import type { Cluster } from '../manifests/kinds/index.js';
import type { PeerFlag } from './classification.js';
import { describeCpuModels, describeSpeed, GIB } from './describe-hardware.js';
import type { Inventory } from './types.js';

/** One machine of a peer group: machines matched to the same profile. */
export interface PeerMember {
  nodeId: string;
  inventory: Inventory;
}

export interface PeerFlagOptions {
  /** Smallest group compared; with two machines there is no majority to tell which one is odd. Default 3. */
  minGroupSize?: number;
}

export const DEFAULT_MIN_PEER_GROUP_SIZE = 3;

export type QuarantineCategory = NonNullable<Cluster['spec']['blackSheep']>['quarantine'][number];

/** Which Cluster `blackSheep.quarantine` category each flag belongs to. */
export const FLAG_CATEGORIES: Readonly<Record<PeerFlag['flag'], QuarantineCategory>> = {
  'fewer-dimms': 'memory-outlier',
  'less-memory': 'memory-outlier',
  'missing-disk': 'disk-outlier',
  'slower-nic': 'nic-speed-outlier',
  'bios-version': 'firmware-outlier',
  'cpu-model': 'cpu-outlier',
};

/**
 * One compared fact. `read` gives undefined when the machine does not report it, and the machine is then
 * left out of that comparison rather than flagged for a missing report section.
 */
interface Metric<T extends number | string> {
  flag: PeerFlag['flag'];
  read: (inventory: Inventory) => T | undefined;
  describe: (value: T) => string;
  /** Numbers flag only the lower side (more memory than peers harms nothing); text flags any difference. */
  isOutlier: (value: T, majority: T) => boolean;
  message: (value: string, majority: string) => string;
}

const lower = (value: number, majority: number): boolean => value < majority;

const METRICS: Metric<number | string>[] = [
  {
    flag: 'fewer-dimms',
    read: (inventory) => (inventory.memory.dimms.length > 0 ? inventory.memory.dimms.length : undefined),
    describe: (value) => `${value} DIMM${value === 1 ? '' : 's'}`,
    isOutlier: (value, majority) => lower(Number(value), Number(majority)),
    message: (value, majority) => `has ${value} where its peers have ${majority}`,
  },
  {
    flag: 'less-memory',
    read: (inventory) => (inventory.memory.totalBytes > 0 ? Math.round(inventory.memory.totalBytes / GIB) : undefined),
    describe: (value) => `${value} GiB`,
    isOutlier: (value, majority) => lower(Number(value), Number(majority)),
    message: (value, majority) => `has ${value} of memory where its peers have ${majority}`,
  },
  {
    flag: 'missing-disk',
    read: (inventory) => inventory.disks.length,
    describe: (value) => `${value} disk${value === 1 ? '' : 's'}`,
    isOutlier: (value, majority) => lower(Number(value), Number(majority)),
    message: (value, majority) => `has ${value} where its peers have ${majority}`,
  },
  {
    flag: 'slower-nic',
    read: (inventory) => {
      const speeds = inventory.nics.flatMap((nic) => (nic.speedMbps === undefined ? [] : [nic.speedMbps]));
      return speeds.length > 0 ? Math.min(...speeds) : undefined;
    },
    describe: (value) => describeSpeed(Number(value)),
    isOutlier: (value, majority) => lower(Number(value), Number(majority)),
    message: (value, majority) => `its slowest NIC runs at ${value} where its peers' slowest run at ${majority}`,
  },
  {
    flag: 'bios-version',
    read: (inventory) => inventory.bios.version.trim() || undefined,
    describe: (value) => String(value),
    isOutlier: (value, majority) => value !== majority,
    message: (value, majority) => `runs BIOS ${value} where its peers run ${majority}`,
  },
  {
    flag: 'cpu-model',
    read: (inventory) => (inventory.cpus.length > 0 ? describeCpuModels(inventory) : undefined),
    describe: (value) => String(value),
    isOutlier: (value, majority) => value !== majority,
    message: (value, majority) => `has ${value} where its peers have ${majority}`,
  },
];

/** The value most machines share, or undefined when no value is held by more machines than any other. */
function findMajority<T>(values: readonly T[]): { value: T; count: number } | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [top, second] = ranked;
  if (!top || (second && second[1] === top[1])) return undefined;
  return { value: top[0], count: top[1] };
}

function flagMetric(metric: Metric<number | string>, members: readonly PeerMember[], flags: Map<string, PeerFlag[]>): void {
  const known = members.flatMap((member) => {
    const value = metric.read(member.inventory);
    return value === undefined ? [] : [{ nodeId: member.nodeId, value }];
  });
  const majority = findMajority(known.map((entry) => entry.value));
  if (!majority) return;
  const peers = `${metric.describe(majority.value)} on ${majority.count} of ${known.length} machines`;
  for (const { nodeId, value } of known) {
    if (!metric.isOutlier(value, majority.value)) continue;
    const observed = metric.describe(value);
    flags.get(nodeId)?.push({ flag: metric.flag, message: metric.message(observed, metric.describe(majority.value)), observed, peers });
  }
}

/**
 * Finds eDeploy's "black sheep" among machines of one profile: each is compared with the majority of the
 * group on DIMM count, memory, disk count, slowest NIC, BIOS version and CPU model. Pure; every member gets
 * an entry (empty when it looks like its peers). Groups smaller than `minGroupSize` get no flags.
 */
export function findPeerFlags(members: readonly PeerMember[], options: PeerFlagOptions = {}): Map<string, PeerFlag[]> {
  const flags = new Map<string, PeerFlag[]>(members.map((member) => [member.nodeId, []]));
  if (members.length < (options.minGroupSize ?? DEFAULT_MIN_PEER_GROUP_SIZE)) return flags;
  for (const metric of METRICS) flagMetric(metric, members, flags);
  return flags;
}

/** The flags that the Cluster's `blackSheep.quarantine` setting turns into quarantine. */
export function selectQuarantineFlags(flags: readonly PeerFlag[], cluster: Cluster): PeerFlag[] {
  const categories = new Set(cluster.spec.blackSheep?.quarantine ?? []);
  return flags.filter((flag) => categories.has(FLAG_CATEGORIES[flag.flag]));
}
