import { toMacKey } from '../lib/mac-address.js';
import type { HardwareChange } from '../store/types.js';
import type { Inventory, InventoryDisk } from './types.js';

/**
 * Hardware changes between two reports of one machine (pure). Only what matters to an operator between
 * boots is compared: memory, disks, NICs and CPUs; volatile facts (link state, firmware clock) are not.
 */

const GIB = 1024 ** 3;

function formatBytes(bytes: number): string {
  return bytes >= GIB ? `${+(bytes / GIB).toFixed(1)} GiB` : `${bytes} B`;
}

function diffMemory(before: Inventory, after: Inventory): HardwareChange[] {
  const was = { totalBytes: before.memory.totalBytes, dimms: before.memory.dimms.length };
  const now = { totalBytes: after.memory.totalBytes, dimms: after.memory.dimms.length };
  if (was.totalBytes === now.totalBytes && was.dimms === now.dimms) return [];
  const summary = `memory ${formatBytes(was.totalBytes)} (${was.dimms} DIMMs) -> ${formatBytes(now.totalBytes)} (${now.dimms} DIMMs)`;
  return [{ kind: 'memory', summary, before: was, after: now }];
}

/** A disk is the same disk across boots by serial, then WWN, then its kernel name. */
function diskKey(disk: InventoryDisk): string {
  return disk.serial || disk.wwn || disk.name;
}

function describeDisk(disk: InventoryDisk): string {
  return `${disk.name} (${[disk.model, formatBytes(disk.sizeBytes), disk.serial].filter(Boolean).join(', ')})`;
}

function diffDisks(before: Inventory, after: Inventory): HardwareChange[] {
  const was = new Map(before.disks.map((disk) => [diskKey(disk), disk]));
  const now = new Map(after.disks.map((disk) => [diskKey(disk), disk]));
  const gone = [...was].filter(([key]) => !now.has(key)).map(([, disk]) => describeDisk(disk));
  const added = [...now].filter(([key]) => !was.has(key)).map(([, disk]) => describeDisk(disk));
  const resized = [...now].filter(([key, disk]) => was.has(key) && was.get(key)?.sizeBytes !== disk.sizeBytes).map(([, disk]) => describeDisk(disk));
  if (gone.length + added.length + resized.length === 0) return [];
  const parts = [
    gone.length ? `gone: ${gone.join('; ')}` : '',
    added.length ? `added: ${added.join('; ')}` : '',
    resized.length ? `resized: ${resized.join('; ')}` : '',
  ];
  return [{ kind: 'disks', summary: `disks ${parts.filter(Boolean).join(', ')}`, before: before.disks.map(describeDisk), after: after.disks.map(describeDisk) }];
}

function describeNics(inventory: Inventory): string[] {
  return inventory.nics.map((nic) => `${toMacKey(nic.mac)}${nic.speedMbps === undefined ? '' : ` ${nic.speedMbps} Mb/s`}`).sort();
}

/** Speed is compared only where both reports know it: an unplugged cable is not a hardware change. */
function diffNics(before: Inventory, after: Inventory): HardwareChange[] {
  const was = new Map(before.nics.map((nic) => [toMacKey(nic.mac), nic.speedMbps]));
  const now = new Map(after.nics.map((nic) => [toMacKey(nic.mac), nic.speedMbps]));
  const changed = [...new Set([...was.keys(), ...now.keys()])].filter((mac) => {
    if (!was.has(mac) || !now.has(mac)) return true;
    const [speedBefore, speedAfter] = [was.get(mac), now.get(mac)];
    return speedBefore !== undefined && speedAfter !== undefined && speedBefore !== speedAfter;
  });
  if (changed.length === 0) return [];
  return [{ kind: 'nics', summary: `NICs changed: ${changed.sort().join(', ')}`, before: describeNics(before), after: describeNics(after) }];
}

function describeCpus(inventory: Inventory): string[] {
  return inventory.cpus.map((cpu) => `${cpu.model} (${cpu.cores}c/${cpu.threads}t)`).sort();
}

function diffCpus(before: Inventory, after: Inventory): HardwareChange[] {
  const was = describeCpus(before);
  const now = describeCpus(after);
  if (was.join('\n') === now.join('\n')) return [];
  return [{ kind: 'cpus', summary: `CPUs ${was.length} x [${[...new Set(was)].join(', ')}] -> ${now.length} x [${[...new Set(now)].join(', ')}]`, before: was, after: now }];
}

/** @example diffHardware(lastBoot, thisBoot) // [{ kind: 'memory', summary: 'memory 256 GiB (16 DIMMs) -> 128 GiB (8 DIMMs)', ... }] */
export function diffHardware(before: Inventory, after: Inventory): HardwareChange[] {
  return [...diffMemory(before, after), ...diffDisks(before, after), ...diffNics(before, after), ...diffCpus(before, after)];
}
