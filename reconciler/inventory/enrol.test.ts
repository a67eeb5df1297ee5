import { describe, expect, it } from '@jest/globals';
import type { EnrolledNode } from '../store/types.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import { claimFromInventory, decideEnrolment } from './enrol.js';
import { diffHardware } from './hardware-changes.js';

function enrolled(serial: string, overrides: Partial<EnrolledNode> = {}): EnrolledNode {
  const claim = claimFromInventory(sampleInventory(serial));
  return { ...claim, state: 'discovered', errorCount: 0, stepTimestamps: {}, firstSeen: 't0', lastSeen: 't0', ...overrides };
}

describe('claimFromInventory', () => {
  it('takes identity, serial, sorted lower-case MACs and the BMC from the inventory', () => {
    const inventory = sampleInventory('SN1');
    inventory.nics = [{ name: 'b', mac: 'AA:00:00:00:00:02' }, { name: 'a', mac: 'aa:00:00:00:00:01' }];
    expect(claimFromInventory(inventory)).toMatchObject({
      id: 'SN1',
      identitySource: 'chassis-serial',
      serial: 'SN1',
      macs: ['aa:00:00:00:00:01', 'aa:00:00:00:00:02'],
      bmcMac: 'f8:bc:12:ff:00:01',
    });
  });

  it('writes MACs in the canonical colon form whatever spelling the report used', () => {
    const inventory = sampleInventory('SN1');
    inventory.nics = [{ name: 'a', mac: '52-54-00-AA-00-01' }];
    inventory.bmc.mac = 'F8BC12FF0001';
    expect(claimFromInventory(inventory)).toMatchObject({ macs: ['52:54:00:aa:00:01'], bmcMac: 'f8:bc:12:ff:00:01' });
  });

  it('leaves the serial out when every serial is a vendor placeholder', () => {
    const inventory = sampleInventory('SN1');
    inventory.chassis.serialNumber = 'To Be Filled By O.E.M.';
    inventory.system.serialNumber = '--';
    inventory.baseboard.serialNumber = '';
    expect(claimFromInventory(inventory).serial).toBeUndefined();
  });
});

describe('decideEnrolment', () => {
  const inventory = sampleInventory('SN1');
  const claim = claimFromInventory(inventory);

  it('enrols an identity nobody holds', () => {
    expect(decideEnrolment(claim, { macOwners: [], bmcOwners: [] }, inventory)).toEqual({ kind: 'enrol' });
  });

  it('refreshes the same machine and reports its hardware changes', () => {
    const smaller = { ...inventory, memory: { ...inventory.memory, totalBytes: inventory.memory.totalBytes / 2, dimms: inventory.memory.dimms.slice(0, 8) } };
    const decision = decideEnrolment(claim, { claimed: enrolled('SN1'), macOwners: [], bmcOwners: [], previousInventory: inventory }, smaller);
    expect(decision).toMatchObject({ kind: 'refresh', changes: [{ kind: 'memory', summary: 'memory 256 GiB (16 DIMMs) -> 128 GiB (8 DIMMs)' }] });
  });

  it('never compares an installed system\'s report (os section) with the live system\'s hardware', () => {
    const fromDisk = { ...inventory, os: { bootedFrom: 'disk' as const, image: 'golden' }, pciDevices: [], memory: { ...inventory.memory, dimms: [] } };
    const decision = decideEnrolment(claim, { claimed: enrolled('SN1'), macOwners: [], bmcOwners: [], previousInventory: inventory }, fromDisk);
    expect(decision).toEqual({ kind: 'refresh', changes: [] });
  });

  it('refuses the same serial with a different MAC set', () => {
    const decision = decideEnrolment(claim, { claimed: enrolled('SN1', { macs: ['00:11:22:33:44:55'] }), macOwners: [], bmcOwners: [] }, inventory);
    expect(decision).toMatchObject({ kind: 'conflict', reason: 'mac-mismatch', nodeIds: ['SN1'] });
  });

  it('refuses the same serial with a different BMC MAC', () => {
    const decision = decideEnrolment(claim, { claimed: enrolled('SN1', { bmcMac: '00:11:22:33:44:55' }), macOwners: [], bmcOwners: [] }, inventory);
    expect(decision).toMatchObject({ kind: 'conflict', reason: 'bmc-mismatch' });
  });

  it('accepts a report without a BMC section for a node enrolled with one', () => {
    const withoutBmc = claimFromInventory({ ...inventory, bmc: {} });
    expect(decideEnrolment(withoutBmc, { claimed: enrolled('SN1'), macOwners: [], bmcOwners: [] }, inventory).kind).toBe('refresh');
  });

  it('refuses a MAC enrolled under another serial, naming both', () => {
    const decision = decideEnrolment(claim, { macOwners: [enrolled('SN2', { macs: [claim.macs[0] ?? ''] })], bmcOwners: [] }, inventory);
    expect(decision).toMatchObject({ kind: 'conflict', reason: 'mac-enrolled-elsewhere', nodeIds: ['SN2'] });
    expect(decision.kind === 'conflict' && decision.message).toMatch(/SN1 claims MAC f8:bc:12:00:00:01 already enrolled under node SN2/);
  });

  it('refuses a BMC MAC enrolled under another serial', () => {
    const decision = decideEnrolment(claim, { macOwners: [], bmcOwners: [enrolled('SN2')] }, inventory);
    expect(decision).toMatchObject({ kind: 'conflict', reason: 'bmc-enrolled-elsewhere' });
  });
});

describe('diffHardware', () => {
  const before = sampleInventory('SN1');

  it('finds nothing between identical reports, link state aside', () => {
    const after = { ...before, nics: before.nics.map((nic) => ({ ...nic, link: false })) };
    expect(diffHardware(before, after)).toEqual([]);
  });

  it('reports a replaced CPU model', () => {
    const after = { ...before, cpus: before.cpus.map((cpu) => ({ ...cpu, model: 'Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz', cores: 8, threads: 16 })) };
    expect(diffHardware(before, after)).toMatchObject([{ kind: 'cpus' }]);
  });

  it('reports a NIC that slowed down', () => {
    const after = { ...before, nics: before.nics.map((nic, index) => (index === 0 ? { ...nic, speedMbps: 1000 } : nic)) };
    expect(diffHardware(before, after)).toMatchObject([{ kind: 'nics', summary: 'NICs changed: f8:bc:12:00:00:01' }]);
  });

  it('reports an added disk', () => {
    const extra = { ...before.disks[0]!, name: 'sdc', serial: 'NEW' };
    expect(diffHardware(before, { ...before, disks: [...before.disks, extra] })).toMatchObject([{ kind: 'disks', summary: expect.stringMatching(/added: sdc/) }]);
  });
});
