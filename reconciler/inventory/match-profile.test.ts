import { describe, expect, it } from '@jest/globals';
import { gpuModel, profile } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import type { GpuModel } from '../manifests/kinds/index.js';
import { matchProfile, matchProfiles } from './match-profile.js';
import type { Inventory, InventoryPciDevice } from './types.js';

const GIB = 1024 ** 3;
const A100 = gpuModel('a100', '10de', '20b5');
const GPU_MODELS = new Map<string, GpuModel>([['a100', A100]]);

function pci(address: string, vendorId: string, deviceId: string, cls: string, description: string): InventoryPciDevice {
  return { address, vendorId, deviceId, class: cls, description };
}

function evaluate(match: Parameters<typeof profile>[1]['match'], inventory: Inventory = sampleInventory('CZ1')) {
  return matchProfile(profile('p', { match }), inventory, GPU_MODELS);
}

function onlyCriterion(match: Parameters<typeof profile>[1]['match'], inventory?: Inventory) {
  const result = evaluate(match, inventory);
  expect(result.criteria).toHaveLength(1);
  return result.criteria[0];
}

describe('matchProfile', () => {
  it('matches product names case-insensitively against any of the listed names', () => {
    expect(onlyCriterion({ productName: ['PowerEdge R650', 'poweredge r640'] })).toMatchObject({ pass: true, observed: 'PowerEdge R640' });
    expect(onlyCriterion({ productName: ['PowerEdge R650'] })).toEqual({ criterion: 'productName', expected: 'any of: PowerEdge R650', observed: 'PowerEdge R640', pass: false });
  });

  it('compares memory in whole GiB from the DIMM sum and reports the DIMM count', () => {
    expect(onlyCriterion({ memoryGiB: { min: 256, max: 256 } })).toMatchObject({ pass: true, expected: 'exactly 256 GiB', observed: '256 GiB (16 DIMMs)' });
    expect(onlyCriterion({ memoryGiB: { min: 512 } })).toMatchObject({ pass: false, expected: '≥ 512 GiB', observed: '256 GiB (16 DIMMs)' });
  });

  it('rounds a MemTotal-only total to the nearest GiB and says where it came from', () => {
    const inventory = sampleInventory('CZ1', { memory: { totalBytes: 31.6 * GIB, dimms: [], emptySlots: 0 } });
    expect(onlyCriterion({ memoryGiB: { min: 32 } }, inventory)).toMatchObject({ pass: true, observed: '32 GiB (no DIMM listed, from MemTotal)' });
  });

  it('requires every populated socket to match the CPU model pattern', () => {
    expect(onlyCriterion({ cpuModel: '^Intel\\(R\\) Xeon\\(R\\) Silver 41' })).toMatchObject({ pass: true, observed: 'Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz ×2' });
    const mixed = sampleInventory('CZ1');
    mixed.cpus[1] = { socket: 'CPU2', manufacturer: 'Intel', model: 'Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz', cores: 8, threads: 16 };
    expect(onlyCriterion({ cpuModel: 'Silver' }, mixed)).toMatchObject({
      pass: false,
      observed: 'Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz; Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz',
    });
  });

  it('counts populated sockets and mentions empty ones', () => {
    const single = sampleInventory('CZ1', { emptyCpuSockets: 1 });
    single.cpus.pop();
    expect(onlyCriterion({ cpuCount: { min: 2 } }, single)).toEqual({ criterion: 'cpuCount', expected: '≥ 2 sockets', observed: '1 populated, 1 empty', pass: false });
    expect(onlyCriterion({ cpuCount: { max: 2 } })).toMatchObject({ pass: true, observed: '2 populated' });
  });

  it('counts only the disks of the given type and size', () => {
    expect(onlyCriterion({ disks: { count: { min: 2 }, type: 'ssd', minSizeGB: 400 } })).toMatchObject({
      pass: true,
      expected: '≥ 2 disks (ssd, ≥ 400 GB)',
      observed: '2 (sda 480 GB ssd, sdb 480 GB ssd)',
    });
    expect(onlyCriterion({ disks: { type: 'nvme' } })).toMatchObject({ pass: false, expected: '≥ 1 disks (nvme)', observed: '0 (none); 2 other: sda 480 GB ssd, sdb 480 GB ssd' });
    expect(onlyCriterion({ disks: { count: { min: 2 }, minSizeGB: 500 } })).toMatchObject({ pass: false });
  });

  it('counts the NICs at or above the speed, leaving out those of unknown speed', () => {
    expect(onlyCriterion({ nics: { count: { min: 2 }, minSpeedMbps: 10000 } })).toMatchObject({ pass: true, observed: '2 of 2 (eno1 10 Gb/s, eno2 10 Gb/s)' });
    const inventory = sampleInventory('CZ1');
    inventory.nics = [{ name: 'eno1', mac: '02:00:00:00:00:01', speedMbps: 25000 }, { name: 'eno2', mac: '02:00:00:00:00:02' }];
    expect(onlyCriterion({ nics: { count: { min: 2 }, minSpeedMbps: 25000 } }, inventory)).toEqual({
      criterion: 'nics',
      expected: '≥ 2 NICs at ≥ 25 Gb/s',
      observed: '1 of 2 (eno1 25 Gb/s, eno2 unknown speed)',
      pass: false,
    });
  });

  it('counts GPUs by the GpuModel PCI ids and names an undeclared model', () => {
    const gpus = [pci('0000:41:00.0', '10de', '20b5', '0302', 'NVIDIA GA100'), pci('0000:42:00.0', '10de', '20b5', '0302', 'NVIDIA GA100')];
    const inventory = sampleInventory('CZ1', { pciDevices: gpus, gpus });
    expect(onlyCriterion({ gpus: [{ model: 'a100', count: { min: 2, max: 2 } }] }, inventory)).toEqual({
      criterion: 'gpus[a100]',
      expected: 'exactly 2 × 10de:20b5',
      observed: '2 × 10de:20b5',
      pass: true,
    });
    expect(onlyCriterion({ gpus: [{ model: 'a100', count: { min: 4 } }] }, inventory)).toMatchObject({ pass: false, observed: '2 × 10de:20b5' });
    expect(onlyCriterion({ gpus: [{ model: 'a100' }] })).toMatchObject({ pass: false, observed: '0 × 10de:20b5 (GPUs present: none)' });
    expect(onlyCriterion({ gpus: [{ model: 'h100' }] }, inventory)).toMatchObject({ pass: false, observed: 'GpuModel h100 is not declared' });
  });

  it('matches the RAID controller pattern over RAID and SAS class devices only', () => {
    const perc = pci('0000:18:00.0', '1000', '005f', '0104', 'Broadcom / LSI MegaRAID SAS-3 3108 [Invader] (PERC H730P Mini)');
    const nic = pci('0000:19:00.0', '14e4', '16d7', '0200', 'Broadcom BCM57414 (PERC lookalike in a NIC name)');
    const inventory = sampleInventory('CZ1', { pciDevices: [perc, nic] });
    expect(onlyCriterion({ raidController: 'PERC H7[34]0' }, inventory)).toMatchObject({ pass: true, observed: perc.description });
    expect(onlyCriterion({ raidController: 'lookalike' }, inventory)).toMatchObject({ pass: false });
    expect(onlyCriterion({ raidController: 'PERC' })).toMatchObject({ pass: false, observed: 'no RAID or SAS controller listed' });
  });

  it('matches only when every criterion holds, and lists each one', () => {
    const result = evaluate({ productName: ['PowerEdge R640'], memoryGiB: { min: 512 }, cpuCount: { min: 2 } });
    expect(result.matched).toBe(false);
    expect(result.criteria.map((criterion) => [criterion.criterion, criterion.pass])).toEqual([
      ['productName', true],
      ['memoryGiB', false],
      ['cpuCount', true],
    ]);
  });
});

describe('matchProfiles', () => {
  it('lists every profile, highest priority first, then by name', () => {
    const profiles = new Map([
      ['b', profile('b', { priority: 10, match: {} })],
      ['a', profile('a', { priority: 10, match: {} })],
      ['c', profile('c', { priority: 30, match: { productName: ['other'] } })],
    ]);
    const evaluations = matchProfiles(profiles, sampleInventory('CZ1'), GPU_MODELS);
    expect(evaluations.map((evaluation) => [evaluation.profile, evaluation.matched])).toEqual([
      ['c', false],
      ['a', true],
      ['b', true],
    ]);
  });
});
