import type { RootDeviceHints } from './types.js';

/** A whole disk on the node, as `lsblk -J -b -O` lists it. */
export interface BlockDisk {
  name: string;
  path: string;
  type: string;
  sizeBytes: number;
  model: string | null;
  vendor: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean;
  readOnly: boolean;
  removable: boolean;
  /** True when the disk or one of its partitions is mounted: the live system must never overwrite it. */
  inUse: boolean;
}

export type RootDiskChoice =
  | { ok: true; disk: BlockDisk }
  | { ok: false; reasons: { disk: string; reason: string }[] };

/** Ironic's default when no hint is given: the smallest disk of at least 4 GiB. */
const DEFAULT_MIN_BYTES = 4 * 1024 ** 3;
const GIB = 1024 ** 3;

/**
 * Chooses the disk to write the image to: every hint given must hold; among the disks that qualify,
 * the smallest wins (name breaks ties), so the choice does not depend on listing order.
 * Returns why each disk was passed over when none qualifies.
 * Example: `selectRootDisk(disks, { serial: 'S3Z9NB0K' })`.
 */
export function selectRootDisk(disks: readonly BlockDisk[], hints: RootDeviceHints = {}): RootDiskChoice {
  const reasons: { disk: string; reason: string }[] = [];
  const candidates: BlockDisk[] = [];
  for (const disk of disks) {
    const reason = explainMismatch(disk, hints);
    if (reason === undefined) candidates.push(disk);
    else reasons.push({ disk: disk.name, reason });
  }
  candidates.sort((a, b) => a.sizeBytes - b.sizeBytes || a.name.localeCompare(b.name));
  const chosen = candidates[0];
  return chosen === undefined ? { ok: false, reasons } : { ok: true, disk: chosen };
}

/** Why a disk cannot be the root disk under these hints, or undefined when it can. */
export function explainMismatch(disk: BlockDisk, hints: RootDeviceHints): string | undefined {
  if (disk.type !== 'disk' || /^(zram|ram|loop)\d/.test(disk.name)) return `type ${disk.type} is not a physical disk`;
  if (disk.readOnly) return 'read-only';
  if (disk.inUse) return 'mounted (in use by the running system)';
  const checks: [boolean, string][] = [
    [hints.name === undefined || matchesName(disk, hints.name), `name is not ${hints.name}`],
    [hints.model === undefined || sameText(disk.model, hints.model), `model ${disk.model ?? 'unknown'} is not ${hints.model}`],
    [hints.vendor === undefined || sameText(disk.vendor, hints.vendor), `vendor ${disk.vendor ?? 'unknown'} is not ${hints.vendor}`],
    [hints.serial === undefined || disk.serial?.trim() === hints.serial.trim(), `serial ${disk.serial ?? 'unknown'} is not ${hints.serial}`],
    [hints.wwn === undefined || normalizeWwn(disk.wwn) === normalizeWwn(hints.wwn), `wwn ${disk.wwn ?? 'unknown'} is not ${hints.wwn}`],
    [hints.sizeGiB === undefined || Math.floor(disk.sizeBytes / GIB) === hints.sizeGiB, `size ${Math.floor(disk.sizeBytes / GIB)} GiB is not ${hints.sizeGiB} GiB`],
    [hints.rotational === undefined || disk.rotational === hints.rotational, hints.rotational ? 'not rotational' : 'rotational'],
  ];
  const failed = checks.find(([holds]) => !holds);
  if (failed) return failed[1];
  const minBytes = hints.minSizeBytes ?? (hasIdentityHint(hints) ? 1 : DEFAULT_MIN_BYTES);
  if (disk.sizeBytes < minBytes) return `${describeSize(disk.sizeBytes)}, below ${describeSize(minBytes)}`;
  return undefined;
}

/** Sizes as an operator reads them: `512 MiB`, `1.2 GiB`. */
export function describeSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${units[unit]}`;
}

function hasIdentityHint(hints: RootDeviceHints): boolean {
  return hints.name !== undefined || hints.serial !== undefined || hints.wwn !== undefined || hints.sizeGiB !== undefined;
}

function matchesName(disk: BlockDisk, name: string): boolean {
  return name === disk.name || name === disk.path || name === `/dev/${disk.name}`;
}

function sameText(actual: string | null, wanted: string): boolean {
  // Vendors pad model strings with spaces, and tools differ in case.
  return actual !== null && actual.trim().toLowerCase() === wanted.trim().toLowerCase();
}

function normalizeWwn(wwn: string | null): string | null {
  return wwn === null ? null : wwn.trim().toLowerCase().replace(/^0x/, '');
}
