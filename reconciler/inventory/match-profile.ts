import type { GpuModel, HardwareProfile } from '../manifests/kinds/index.js';
import type { CriterionResult, ProfileEvaluation } from './classification.js';
import { compilePattern } from './compile-pattern.js';
import {
  describeCpuModels,
  describeDisk,
  describeList,
  describeMemory,
  describeRange,
  describeSpeed,
  isInRange,
  readMemoryGiB,
  readSizeGB,
} from './describe-hardware.js';
import type { Inventory, InventoryPciDevice } from './types.js';

type Match = HardwareProfile['spec']['match'];

/** PCI classes of storage controllers that front a RAID or an HBA: 0104 RAID bus, 0107 Serial Attached SCSI. */
const RAID_CLASSES = new Set(['0104', '0107']);

function checkProductName(names: readonly string[], inventory: Inventory): CriterionResult {
  const observed = inventory.system.productName.trim();
  // Firmware pads and cases product names inconsistently across BIOS releases of one model.
  const pass = names.some((name) => name.trim().toLowerCase() === observed.toLowerCase());
  return { criterion: 'productName', expected: `any of: ${names.join(', ')}`, observed: observed || '(none)', pass };
}

function checkMemory(range: NonNullable<Match['memoryGiB']>, inventory: Inventory): CriterionResult {
  return { criterion: 'memoryGiB', expected: describeRange(range, 'GiB'), observed: describeMemory(inventory), pass: isInRange(readMemoryGiB(inventory), range) };
}

/** Every populated socket must carry a matching model: one odd CPU makes a different machine. */
function checkCpuModel(source: string, inventory: Inventory): CriterionResult {
  const pattern = compilePattern(source);
  const observed = describeCpuModels(inventory);
  if (!pattern) return { criterion: 'cpuModel', expected: `/${source}/`, observed: `${observed} (the pattern is not a valid regular expression)`, pass: false };
  const pass = inventory.cpus.length > 0 && inventory.cpus.every((cpu) => pattern.test(cpu.model));
  return { criterion: 'cpuModel', expected: `/${source}/`, observed, pass };
}

function checkCpuCount(range: NonNullable<Match['cpuCount']>, inventory: Inventory): CriterionResult {
  const count = inventory.cpus.length;
  const empty = inventory.emptyCpuSockets > 0 ? `, ${inventory.emptyCpuSockets} empty` : '';
  return { criterion: 'cpuCount', expected: describeRange(range, 'sockets'), observed: `${count} populated${empty}`, pass: isInRange(count, range) };
}

function checkDisks(criteria: NonNullable<Match['disks']>, inventory: Inventory): CriterionResult {
  const range = criteria.count ?? { min: 1 };
  const counted = inventory.disks.filter(
    (disk) => (criteria.type === undefined || disk.type === criteria.type) && (criteria.minSizeGB === undefined || readSizeGB(disk) >= criteria.minSizeGB),
  );
  const qualifier = [criteria.type, criteria.minSizeGB === undefined ? undefined : `≥ ${criteria.minSizeGB} GB`].filter((part) => part !== undefined);
  const expected = `${describeRange(range)} disks${qualifier.length > 0 ? ` (${qualifier.join(', ')})` : ''}`;
  const others = inventory.disks.length - counted.length;
  const observed = `${counted.length} (${describeList(counted.map(describeDisk))})${others > 0 ? `; ${others} other: ${describeList(inventory.disks.filter((disk) => !counted.includes(disk)).map(describeDisk))}` : ''}`;
  return { criterion: 'disks', expected, observed, pass: isInRange(counted.length, range) };
}

/** A NIC of unknown speed (no link, no ethtool) is not counted when a speed is required. */
function checkNics(criteria: NonNullable<Match['nics']>, inventory: Inventory): CriterionResult {
  const range = criteria.count ?? { min: 1 };
  const minimum = criteria.minSpeedMbps;
  const counted = inventory.nics.filter((nic) => minimum === undefined || (nic.speedMbps !== undefined && nic.speedMbps >= minimum));
  const expected = `${describeRange(range)} NICs${minimum === undefined ? '' : ` at ≥ ${describeSpeed(minimum)}`}`;
  const speeds = inventory.nics.map((nic) => `${nic.name} ${describeSpeed(nic.speedMbps)}`);
  return { criterion: 'nics', expected, observed: `${counted.length} of ${inventory.nics.length} (${describeList(speeds, 6)})`, pass: isInRange(counted.length, range) };
}

function checkGpu(entry: NonNullable<Match['gpus']>[number], inventory: Inventory, gpuModels: ReadonlyMap<string, GpuModel>): CriterionResult {
  const range = entry.count ?? { min: 1 };
  const criterion = `gpus[${entry.model}]`;
  const model = gpuModels.get(entry.model);
  if (!model) return { criterion, expected: describeRange(range), observed: `GpuModel ${entry.model} is not declared`, pass: false };
  const ids = `${model.spec.vendorId.toLowerCase()}:${model.spec.productId.toLowerCase()}`;
  // Counted over every PCI function, not only display-class ones: an accelerator may use another class.
  const count = inventory.pciDevices.filter((device) => `${device.vendorId}:${device.deviceId}` === ids).length;
  const present = inventory.gpus.map((gpu) => `${gpu.vendorId}:${gpu.deviceId}`);
  const observed = `${count} × ${ids}${count === 0 ? ` (GPUs present: ${describeList([...new Set(present)])})` : ''}`;
  return { criterion, expected: `${describeRange(range)} × ${ids}`, observed, pass: isInRange(count, range) };
}

function describeController(device: InventoryPciDevice): string {
  return device.description || `${device.vendorName ?? ''} ${device.deviceName ?? ''}`.trim() || `${device.vendorId}:${device.deviceId}`;
}

function checkRaidController(source: string, inventory: Inventory): CriterionResult {
  const pattern = compilePattern(source);
  const controllers = inventory.pciDevices.filter((device) => RAID_CLASSES.has(device.class)).map(describeController);
  const observed = describeList(controllers, 4, 'no RAID or SAS controller listed');
  if (!pattern) return { criterion: 'raidController', expected: `/${source}/`, observed: `${observed} (the pattern is not a valid regular expression)`, pass: false };
  return { criterion: 'raidController', expected: `/${source}/`, observed, pass: controllers.some((text) => pattern.test(text)) };
}

/** Each criterion the profile gives, in a fixed order, with what was expected and what the machine has. */
export function checkCriteria(match: Match, inventory: Inventory, gpuModels: ReadonlyMap<string, GpuModel>): CriterionResult[] {
  const results: CriterionResult[] = [];
  if (match.productName) results.push(checkProductName(match.productName, inventory));
  if (match.memoryGiB) results.push(checkMemory(match.memoryGiB, inventory));
  if (match.cpuModel !== undefined) results.push(checkCpuModel(match.cpuModel, inventory));
  if (match.cpuCount) results.push(checkCpuCount(match.cpuCount, inventory));
  if (match.disks) results.push(checkDisks(match.disks, inventory));
  if (match.nics) results.push(checkNics(match.nics, inventory));
  for (const gpu of match.gpus ?? []) results.push(checkGpu(gpu, inventory, gpuModels));
  if (match.raidController !== undefined) results.push(checkRaidController(match.raidController, inventory));
  return results;
}

/**
 * Evaluates one profile against one machine: it matches when every criterion it gives holds.
 * Example: `matchProfile(profile, inventory, desired.gpuModels).matched`.
 */
export function matchProfile(profile: HardwareProfile, inventory: Inventory, gpuModels: ReadonlyMap<string, GpuModel>): ProfileEvaluation {
  const criteria = checkCriteria(profile.spec.match, inventory, gpuModels);
  return { profile: profile.metadata.name, priority: profile.spec.priority, matched: criteria.every((result) => result.pass), criteria };
}

/** Every profile, highest priority first, then by name, so that reports and `explain` read the same each run. */
export function matchProfiles(
  profiles: ReadonlyMap<string, HardwareProfile>,
  inventory: Inventory,
  gpuModels: ReadonlyMap<string, GpuModel>,
): ProfileEvaluation[] {
  return [...profiles.values()]
    .map((profile) => matchProfile(profile, inventory, gpuModels))
    .sort((a, b) => b.priority - a.priority || compareText(a.profile, b.profile));
}

/** Code-unit order: unlike `localeCompare` it does not depend on the controller's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
