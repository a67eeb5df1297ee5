import { describe, expect, it } from '@jest/globals';
import type { Network } from '../manifests/kinds/index.js';
import { allocateAddresses, type AddressRequest } from './ipam.js';

function network(name: string, spec: Partial<Network['spec']> = {}): Network {
  return { apiVersion: 'plinth/v1', kind: 'Network', metadata: { name }, spec: { purpose: 'management', cidr: '10.0.0.0/29', ...spec } } as Network;
}

const request = (nodeId: string, extra: Partial<AddressRequest> = {}): AddressRequest => ({ nodeId, networks: ['mgmt'], pinned: {}, ...extra });

describe('allocateAddresses', () => {
  it('skips the network, gateway, reserved and broadcast addresses, in identity order', () => {
    const networks = new Map([['mgmt', network('mgmt', { gateway: '10.0.0.1', reserved: ['10.0.0.3'] })]]);

    const result = allocateAddresses([request('b'), request('a'), request('c')], networks, [], []);

    expect([...result.byNode].sort()).toEqual([['a', { mgmt: '10.0.0.2' }], ['b', { mgmt: '10.0.0.4' }], ['c', { mgmt: '10.0.0.5' }]]);
    expect(result.problems).toEqual([]);
  });

  it('reports exhaustion as a problem of the machine that got nothing, and keeps the others', () => {
    const networks = new Map([['mgmt', network('mgmt', { ranges: [{ start: '10.0.0.2', end: '10.0.0.3' }] })]]);

    const result = allocateAddresses([request('a'), request('b'), request('c')], networks, [], []);

    expect(result.byNode.get('a')).toEqual({ mgmt: '10.0.0.2' });
    expect(result.byNode.get('b')).toEqual({ mgmt: '10.0.0.3' });
    expect(result.byNode.has('c')).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ nodeId: 'c', code: 'ipam-exhausted', severity: 'error' })]);
  });

  it('keeps prior allocations and never hands a held or released address to another machine', () => {
    const networks = new Map([['mgmt', network('mgmt')]]);
    const prior = [
      { network: 'mgmt', address: '10.0.0.1', nodeId: 'z' },
      { network: 'mgmt', address: '10.0.0.2', nodeId: 'gone', releasedAt: '2026-01-01T00:00:00Z' },
    ];

    const result = allocateAddresses([request('a'), request('z')], networks, prior, []);

    expect(result.byNode.get('z')).toEqual({ mgmt: '10.0.0.1' });
    expect(result.byNode.get('a')).toEqual({ mgmt: '10.0.0.3' });
    expect(result.allocations.map((entry) => `${entry.address}=${entry.nodeId}`)).toEqual(['10.0.0.1=z', '10.0.0.2=gone', '10.0.0.3=a']);
  });

  it('honours a pin, and keeps every pinned address away from other machines even before they report', () => {
    const networks = new Map([['mgmt', network('mgmt')]]);
    const pins = [{ network: 'mgmt', address: '10.0.0.1' }, { network: 'mgmt', address: '10.0.0.5' }];

    const result = allocateAddresses([request('a'), request('b', { pinned: { mgmt: '10.0.0.5' } })], networks, [], pins);

    expect(result.byNode.get('a')).toEqual({ mgmt: '10.0.0.2' });
    expect(result.byNode.get('b')).toEqual({ mgmt: '10.0.0.5' });
  });

  it('refuses a pin that another machine already holds', () => {
    const networks = new Map([['mgmt', network('mgmt')]]);

    const result = allocateAddresses([request('b', { pinned: { mgmt: '10.0.0.1' } })], networks, [{ network: 'mgmt', address: '10.0.0.1', nodeId: 'a' }], []);

    expect(result.problems).toEqual([expect.objectContaining({ nodeId: 'b', code: 'ipam-conflict', message: 'pinned address 10.0.0.1 on network mgmt is held by machine a' })]);
    expect(result.allocations).toEqual([{ network: 'mgmt', address: '10.0.0.1', nodeId: 'a' }]);
  });

  it('gives a declared replacement the addresses of the machine it replaces', () => {
    const networks = new Map([['mgmt', network('mgmt')]]);

    const result = allocateAddresses([request('new', { replaces: 'old' })], networks, [{ network: 'mgmt', address: '10.0.0.4', nodeId: 'old' }], []);

    expect(result.byNode.get('new')).toEqual({ mgmt: '10.0.0.4' });
    expect(result.allocations).toEqual([{ network: 'mgmt', address: '10.0.0.4', nodeId: 'new' }]);
  });

  it("allocates from the subnet of the machine's location when the network has one there", () => {
    const networks = new Map([['mgmt', network('mgmt', { cidr: '10.0.0.0/23', perLocation: [{ location: 'b', cidr: '10.0.1.0/24', gateway: '10.0.1.1' }] })]]);

    const result = allocateAddresses([request('x', { location: 'b' }), request('y', { location: 'a' })], networks, [], []);

    expect(result.byNode.get('x')).toEqual({ mgmt: '10.0.1.2' });
    expect(result.byNode.get('y')).toEqual({ mgmt: '10.0.0.1' });
  });
});
