import type { IntegerRange } from '../manifests/kinds/common.js';
import type { Inventory, InventoryDisk } from './types.js';

/**
 * Small descriptions of hardware facts and ranges, shared by profile matching, peer comparison and
 * `plinth explain`, so that one fact reads the same everywhere.
 */

export const GIB = 1024 ** 3;

/** Whether `value` lies in the inclusive range; an absent bound is open. */
export function isInRange(value: number, range: IntegerRange): boolean {
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

/** `≥ 2`, `≤ 4`, `2–4`, `exactly 2`, or `any` for a range with no bound. */
export function describeRange(range: IntegerRange, unit = ''): string {
  const suffix = unit === '' ? '' : ` ${unit}`;
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${suffix}` : `${min}–${max}${suffix}`;
  if (min !== undefined) return `≥ ${min}${suffix}`;
  if (max !== undefined) return `≤ ${max}${suffix}`;
  return 'any';
}

/**
 * Installed memory in whole GiB. Module sizes are exact powers of two, so a sum of DIMMs is an exact
 * number of GiB; without DIMMs the total is the kernel's MemTotal, which lacks the firmware's and kernel's
 * reservations, so it is rounded to the nearest GiB rather than truncated.
 */
export function readMemoryGiB(inventory: Inventory): number {
  return Math.round(inventory.memory.totalBytes / GIB);
}

export function describeMemory(inventory: Inventory): string {
  const count = inventory.memory.dimms.length;
  const source = count > 0 ? `${count} DIMM${count === 1 ? '' : 's'}` : 'no DIMM listed, from MemTotal';
  return `${readMemoryGiB(inventory)} GiB (${source})`;
}

/** The distinct CPU models of the populated sockets, e.g. `Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz ×2`. */
export function describeCpuModels(inventory: Inventory): string {
  if (inventory.cpus.length === 0) return 'no CPU listed';
  const counts = new Map<string, number>();
  for (const cpu of inventory.cpus) counts.set(cpu.model, (counts.get(cpu.model) ?? 0) + 1);
  return [...counts].map(([model, count]) => (count > 1 ? `${model} ×${count}` : model)).join('; ');
}

/** Decimal gigabytes, as disk vendors and `minSizeGB` count them. */
export function readSizeGB(disk: InventoryDisk): number {
  return Math.round(disk.sizeBytes / 1e9);
}

export function describeDisk(disk: InventoryDisk): string {
  return `${disk.name} ${readSizeGB(disk)} GB ${disk.type}`;
}

export function describeSpeed(speedMbps: number | undefined): string {
  if (speedMbps === undefined) return 'unknown speed';
  return speedMbps >= 1000 && speedMbps % 1000 === 0 ? `${speedMbps / 1000} Gb/s` : `${speedMbps} Mb/s`;
}

/** A list for a one-line message: at most `limit` items, then how many more. */
export function describeList(items: readonly string[], limit = 4, empty = 'none'): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
