import { describe, expect, it } from '@jest/globals';
import { desiredState, node, profile } from '../../tests/inventory/desired-fixture.js';
import { sampleInventory } from '../../tests/support/sample-inventory.js';
import { buildSnapshot } from './build-snapshot.js';
import { findClassifiedNode, viewClassifiedNodes } from './load-classified-nodes.js';

const desired = desiredState([
  profile('r640', { role: 'network', match: { productName: ['PowerEdge R640'] } }),
  node('edge-1', { serial: 'SN2', hostname: 'lab-edge-1.lab.example.net' }),
]);
const snapshot = {
  ...buildSnapshot(['SN1', 'SN2', 'SN3'].map((serial) => ({ inventory: sampleInventory(serial) })), '2026-01-01T00:00:00Z'),
  hostnames: [{ nodeId: 'SN1', role: 'network', index: 1, hostname: 'lab-network-1.lab.example.net' }],
};

describe('viewClassifiedNodes', () => {
  it('takes a given hostname first, then a pinned one, else a dash', () => {
    const views = viewClassifiedNodes(desired, snapshot).map((entry) => [entry.view.id, entry.view.hostname, entry.view.profile, entry.view.role]);
    expect(views).toEqual([
      ['SN1', 'lab-network-1.lab.example.net', 'r640', 'network'],
      ['SN2', 'lab-edge-1.lab.example.net', 'r640', 'network'],
      ['SN3', '-', 'r640', 'network'],
    ]);
  });
});

describe('findClassifiedNode', () => {
  const nodes = viewClassifiedNodes(desired, snapshot);

  it('finds a machine by identity in any case, Node name, hostname, short hostname or MAC', () => {
    expect(findClassifiedNode(nodes, 'sn3').view.id).toBe('SN3');
    expect(findClassifiedNode(nodes, 'edge-1').view.id).toBe('SN2');
    expect(findClassifiedNode(nodes, 'lab-network-1.lab.example.net').view.id).toBe('SN1');
    expect(findClassifiedNode(nodes, 'lab-network-1').view.id).toBe('SN1');
    const mac = sampleInventory('SN3').nics[0]?.mac ?? '';
    expect(findClassifiedNode(nodes, mac.toUpperCase()).view.id).toBe('SN3');
  });

  it('refuses an unknown name and lists the identities it knows', () => {
    expect(() => findClassifiedNode(nodes, 'SN9')).toThrow('no machine "SN9" in the inventory; give an identity, Node name, hostname or MAC (known: SN1, SN2, SN3)');
  });
});
