import { describe, expect, it } from '@jest/globals';
import { cluster, desiredState, location, node, profile, snapshotNodes } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import type { Classification } from './classification.js';
import { classifyNodes } from './classify-nodes.js';
import type { Inventory } from './types.js';

const R640 = profile('r640', { priority: 20, role: 'network', match: { productName: ['PowerEdge R640'] } });
const BIG_MEMORY = profile('big-memory', { priority: 10, role: 'compute', match: { memoryGiB: { min: 128 } } });

function byId(classifications: readonly Classification[]): Map<string, Classification> {
  return new Map(classifications.map((classification) => [classification.nodeId, classification]));
}

function serials(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `SN${String(index + 1).padStart(3, '0')}`);
}

/** A fixed permutation per seed, so a failing order can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let index = copy.length - 1; index > 0; index--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const other = state % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

describe('classifyNodes', () => {
  it('takes the highest-priority matching profile and its role, saying why it won', () => {
    const [result] = classifyNodes(desiredState([R640, BIG_MEMORY]), snapshotNodes([sampleInventory('SN1')]));
    expect(result).toMatchObject({ nodeId: 'SN1', state: 'matched', profile: 'r640', role: 'network' });
    expect(result?.reason).toBe('matches profile r640 (priority 20), the highest priority among the matching profiles; big-memory (priority 10) also match but rank lower');
    expect(result?.evaluations.map((evaluation) => evaluation.profile)).toEqual(['r640', 'big-memory']);
  });

  it('makes a machine ambiguous when two profiles match at the same top priority', () => {
    const twin = profile('r640-twin', { priority: 20, match: { cpuCount: { min: 2 } } });
    const [result] = classifyNodes(desiredState([R640, twin, BIG_MEMORY]), snapshotNodes([sampleInventory('SN1')]));
    expect(result).toMatchObject({ state: 'ambiguous', reason: 'profiles r640, r640-twin all match at priority 20; give one a higher priority or narrow its criteria' });
    expect(result?.profile).toBeUndefined();
  });

  it('leaves a machine unmatched and names the nearest profile with its failed criteria', () => {
    const [result] = classifyNodes(desiredState([profile('huge', { match: { memoryGiB: { min: 1024 }, productName: ['PowerEdge R640'] } })]), snapshotNodes([sampleInventory('SN1')]));
    expect(result).toMatchObject({ state: 'unmatched', reason: 'no profile matches; nearest is huge, which fails memoryGiB (256 GiB (16 DIMMs))' });
  });

  it('fills a quota in identity order, the same whatever order the machines come in', () => {
    const capped = profile('r640', { priority: 20, role: 'network', quota: { max: 3 }, match: { productName: ['PowerEdge R640'] } });
    const desired = desiredState([capped]);
    const nodes = snapshotNodes(serials(7).map((serial) => sampleInventory(serial)));
    const expected = classifyNodes(desired, nodes).map((classification) => [classification.nodeId, classification.state]);
    expect(expected).toEqual([
      ['SN001', 'matched'],
      ['SN002', 'matched'],
      ['SN003', 'matched'],
      ['SN004', 'unmatched'],
      ['SN005', 'unmatched'],
      ['SN006', 'unmatched'],
      ['SN007', 'unmatched'],
    ]);
    expect(byId(classifyNodes(desired, nodes)).get('SN004')?.reason).toContain('quota of 3 reached');
    for (const seed of [1, 2, 3, 42, 1234]) {
      expect(classifyNodes(desired, shuffle(nodes, seed)).map((classification) => [classification.nodeId, classification.state])).toEqual(expected);
    }
  });

  it('keeps quota places for machines already in service, even when a new machine sorts first', () => {
    const capped = profile('r640', { priority: 20, quota: { max: 2 }, match: { productName: ['PowerEdge R640'] } });
    const snapshot = snapshotNodes(['SN001', 'SN002', 'SN003'].map((serial) => sampleInventory(serial)));
    const nodes = snapshot.map((entry) => (entry.id === 'SN001' ? entry : { ...entry, state: 'active' }));
    expect(classifyNodes(desiredState([capped]), nodes).map((classification) => [classification.nodeId, classification.state])).toEqual([
      ['SN001', 'unmatched'],
      ['SN002', 'matched'],
      ['SN003', 'matched'],
    ]);
  });

  it('counts pinned machines in the quota before machines that merely match', () => {
    const capped = profile('r640', { priority: 20, quota: { max: 1 }, match: { productName: ['PowerEdge R640'] } });
    const pin = node('edge-1', { serial: 'SN009', profile: 'r640' });
    const results = byId(classifyNodes(desiredState([capped, pin]), snapshotNodes([sampleInventory('SN001'), sampleInventory('SN009')])));
    expect(results.get('SN009')).toMatchObject({ state: 'matched', profile: 'r640', pinnedBy: 'edge-1' });
    expect(results.get('SN001')).toMatchObject({ state: 'unmatched' });
  });

  it('lets a Node manifest pin a profile by serial, even one whose criteria fail, and override its role', () => {
    const pin = node('special', { serial: 'sn1', profile: 'big-memory', role: 'storage' });
    const small = sampleInventory('SN1', { memory: { totalBytes: 64 * 1024 ** 3, dimms: [], emptySlots: 0 } });
    const [result] = classifyNodes(desiredState([R640, BIG_MEMORY, pin]), snapshotNodes([small]));
    expect(result).toMatchObject({ state: 'matched', profile: 'big-memory', role: 'storage', pinnedBy: 'special' });
    expect(result?.reason).toBe('Node special pins profile big-memory, although it fails memoryGiB (64 GiB (no DIMM listed, from MemTotal))');
  });

  it('finds a pinned machine by one of its MACs and gives it the pinned role when nothing matches', () => {
    const inventory = sampleInventory('SN1', { system: { manufacturer: 'Acme', productName: 'Box', serialNumber: 'SN1', uuid: '' } });
    const mac = inventory.nics[1]?.mac ?? '';
    const pin = node('by-mac', { mac: mac.toUpperCase(), role: 'compute' });
    const [result] = classifyNodes(desiredState([R640, pin]), snapshotNodes([inventory]));
    expect(result).toMatchObject({ state: 'matched', role: 'compute', pinnedBy: 'by-mac' });
    expect(result?.profile).toBeUndefined();
    expect(result?.reason).toMatch(/^Node by-mac pins role compute \(no profile matches/);
  });

  it('places each machine and pins its Location when a Node says so', () => {
    const room = location('room-a', [{ name: 'tor-a1', rack: 'a1', availabilityZone: 'az-1' }]);
    const cabled = sampleInventory('SN1');
    cabled.nics = [{ name: 'eno1', mac: '02:00:00:00:00:01', lldp: { switchName: 'tor-a1', portId: 'swp1' } }];
    const pin = node('pinned', { serial: 'SN2', location: 'room-a' });
    const results = byId(classifyNodes(desiredState([R640, room, pin]), snapshotNodes([cabled, sampleInventory('SN2'), sampleInventory('SN3')])));
    expect(results.get('SN1')).toMatchObject({ placementStatus: 'placed', placement: { availabilityZone: 'az-1', rack: 'a1' } });
    expect(results.get('SN2')).toMatchObject({ placementStatus: 'pinned', placement: { availabilityZone: 'az-1' } });
    expect(results.get('SN3')).toMatchObject({ placementStatus: 'no-lldp' });
  });

  it('flags the odd machine of a profile, and quarantines it only for categories the Cluster lists', () => {
    const odd = (inventory: Inventory) => ({ ...inventory, bios: { ...inventory.bios, version: '1.0.0' }, memory: { ...inventory.memory, dimms: inventory.memory.dimms.slice(0, 8) } });
    const nodes = snapshotNodes([odd(sampleInventory('SN1')), sampleInventory('SN2'), sampleInventory('SN3')]);
    const warned = byId(classifyNodes(desiredState([R640], cluster(['cpu-outlier'])), nodes)).get('SN1');
    expect(warned).toMatchObject({ state: 'matched', profile: 'r640' });
    expect(warned?.flags.map((flag) => flag.flag)).toEqual(['fewer-dimms', 'bios-version']);
    const quarantined = byId(classifyNodes(desiredState([R640], cluster(['memory-outlier'])), nodes));
    expect(quarantined.get('SN1')).toMatchObject({ state: 'quarantined', profile: 'r640' });
    expect(quarantined.get('SN1')?.reason).toContain('quarantined because it differs from its peers: fewer-dimms (memory-outlier: has 8 DIMMs where its peers have 16 DIMMs)');
    expect(quarantined.get('SN2')).toMatchObject({ state: 'matched', flags: [] });
  });

  it('compares machines only with peers of the same profile', () => {
    const small = profile('small', { priority: 30, match: { memoryGiB: { max: 64 } } });
    const smallInventory = sampleInventory('SN9', { memory: { totalBytes: 64 * 1024 ** 3, dimms: [], emptySlots: 0 } });
    const results = classifyNodes(desiredState([R640, small]), snapshotNodes([sampleInventory('SN1'), sampleInventory('SN2'), sampleInventory('SN3'), smallInventory]));
    expect(byId(results).get('SN9')).toMatchObject({ state: 'matched', profile: 'small' });
    expect(results.every((classification) => classification.flags.length === 0)).toBe(true);
  });
});
