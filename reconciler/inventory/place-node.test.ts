import { describe, expect, it } from '@jest/globals';
import { location } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import type { Location } from '../manifests/kinds/index.js';
import { placeNode } from './place-node.js';
import type { Inventory } from './types.js';

const ROOM_A = location('room-a', [
  { name: 'par1-a01-tor1', datacenter: 'par1', row: 'a', rack: 'a01', availabilityZone: 'az-1', aggregates: ['general'], ports: { 'Ethernet1/3': 3 } },
  // Would also match par1-a01-tor1: the exact entry above must win.
  { pattern: '^par1-a(?<rack>\\d{2})-tor\\d$', rack: 'pattern-{rack}', availabilityZone: 'az-9' },
]);
const ROOM_B = location('room-b', [
  { pattern: '^(?<datacenter>par\\d)-(?<row>[a-z])(?<rack>\\d{2})-tor\\d$', datacenter: '{datacenter}', row: '{row}', rack: '{row}{rack}', availabilityZone: 'az-{row}' },
]);
const ROOM_C = location('room-c', [
  { name: 'par1-c01-tor1', datacenter: 'par1', row: 'c', rack: 'c01', availabilityZone: 'az-3' },
  { name: 'par1-c02-tor1', datacenter: 'par1', row: 'c', rack: 'c02', availabilityZone: 'az-3' },
]);
const LOCATIONS = new Map<string, Location>([
  ['room-a', ROOM_A],
  ['room-b', ROOM_B],
  ['room-c', ROOM_C],
]);

function cabled(...neighbours: [string, string][]): Inventory {
  const inventory = sampleInventory('CZ1');
  inventory.nics = neighbours.map(([switchName, portId], index) => ({
    name: `eno${index + 1}`,
    mac: `02:00:00:00:00:0${index + 1}`,
    lldp: { switchName, portId },
  }));
  return inventory;
}

describe('placeNode', () => {
  it('places by exact switch name before any pattern, with the rack unit of the port', () => {
    const result = placeNode(cabled(['par1-a01-tor1', 'Ethernet1/3']), LOCATIONS);
    expect(result.status).toBe('placed');
    expect(result.placement).toEqual({
      datacenter: 'par1',
      row: 'a',
      rack: 'a01',
      availabilityZone: 'az-1',
      aggregates: ['general'],
      rackUnit: 3,
      location: 'room-a',
      switchName: 'par1-a01-tor1',
    });
    expect(result.reason).toContain('switch par1-a01-tor1 port Ethernet1/3 (on eno1) is in Location room-a');
  });

  it('fills placeholders from the named groups of a pattern', () => {
    const result = placeNode(cabled(['par2-c07-tor2', 'swp4']), LOCATIONS);
    expect(result.status).toBe('placed');
    expect(result.placement).toEqual({ datacenter: 'par2', row: 'c', rack: 'c07', availabilityZone: 'az-c', aggregates: [], location: 'room-b', switchName: 'par2-c07-tor2' });
  });

  it('accepts NICs on two switches of one rack', () => {
    const result = placeNode(cabled(['par1-b03-tor1', 'swp1'], ['par1-b03-tor2', 'swp1']), LOCATIONS);
    expect(result.status).toBe('placed');
    expect(result.placement?.rack).toBe('b03');
  });

  it('refuses to place a machine cabled to switches in two racks, naming both', () => {
    const result = placeNode(cabled(['par1-a01-tor1', 'Ethernet1/3'], ['par1-b02-tor1', 'swp9']), LOCATIONS);
    expect(result.status).toBe('conflicting-racks');
    expect(result.placement).toBeUndefined();
    expect(result.reason).toBe('NICs are cabled to switches in different racks: par1/a/a01 via par1-a01-tor1 on eno1; par1/b/b02 via par1-b02-tor1 on eno2');
  });

  it('says no-lldp when no NIC saw a neighbour', () => {
    const result = placeNode(sampleInventory('CZ1'), LOCATIONS);
    expect(result.status).toBe('no-lldp');
    expect(result.reason).toContain('no NIC reported an LLDP neighbour');
  });

  it('says unknown-switch and names the switch when no Location lists it', () => {
    const result = placeNode(cabled(['lab-core-1', 'ge-0/0/1']), LOCATIONS);
    expect(result).toEqual({ status: 'unknown-switch', reason: 'no Location lists switch lab-core-1 (on eno1)' });
  });

  it('places by a known switch and mentions an unknown one on another NIC', () => {
    const result = placeNode(cabled(['par1-a01-tor1', 'Ethernet1/3'], ['lab-core-1', 'ge-0/0/1']), LOCATIONS);
    expect(result.status).toBe('placed');
    expect(result.reason).toContain('switch lab-core-1 (on eno2) is in no Location');
  });

  it('lets a pinned Location win, keeping what its switches agree on', () => {
    const result = placeNode(cabled(['par1-b02-tor1', 'swp9']), LOCATIONS, 'room-c');
    expect(result.status).toBe('pinned');
    expect(result.placement).toEqual({ datacenter: 'par1', row: 'c', availabilityZone: 'az-3', aggregates: [], location: 'room-c', switchName: '' });
    expect(result.reason).toContain('LLDP would place it in room-b (switch par1-b02-tor1) but the pin wins');
  });

  it('keeps the LLDP detail when LLDP agrees with the pinned Location', () => {
    const result = placeNode(cabled(['par1-a01-tor1', 'Ethernet1/3']), LOCATIONS, 'room-a');
    expect(result.status).toBe('pinned');
    expect(result.placement).toMatchObject({ rack: 'a01', rackUnit: 3 });
  });

  it('gives no zone for a pinned Location whose switches disagree on it', () => {
    const result = placeNode(sampleInventory('CZ1'), LOCATIONS, 'room-a');
    expect(result.status).toBe('pinned');
    expect(result.placement).toBeUndefined();
    expect(result.reason).toContain('do not share one availability zone');
  });
});
