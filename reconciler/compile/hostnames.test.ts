import { describe, expect, it } from '@jest/globals';
import { assignHostnames, type HostnameContext, type HostnameRequest } from './hostnames.js';

const context = (extra: Partial<HostnameContext> = {}): HostnameContext => ({ cluster: 'c1', domain: 'c1.example.net', prior: [], highWater: {}, ...extra });
const compute = (nodeId: string, extra: Partial<HostnameRequest> = {}): HostnameRequest => ({ nodeId, role: 'compute', place: {}, ...extra });

describe('assignHostnames', () => {
  it('numbers new machines per role from the pattern, in identity order', () => {
    const result = assignHostnames([compute('b'), compute('a'), { nodeId: 'm', role: 'controller', place: {} }], context());

    expect(Object.fromEntries(result.byNode)).toEqual({ a: 'c1-compute-1.c1.example.net', b: 'c1-compute-2.c1.example.net', m: 'c1-controller-1.c1.example.net' });
    expect(result.highWater).toEqual({ compute: 2, controller: 1 });
  });

  it('never reuses an index: a new machine after a retired one gets the next number', () => {
    const prior = [{ nodeId: 'old', role: 'compute', index: 4, hostname: 'c1-compute-4.c1.example.net' }];

    const result = assignHostnames([compute('new')], context({ prior: [], highWater: { compute: 4 } }));
    const kept = assignHostnames([compute('old'), compute('new')], context({ prior, highWater: { compute: 4 } }));

    expect(result.byNode.get('new')).toBe('c1-compute-5.c1.example.net');
    expect(kept.byNode.get('old')).toBe('c1-compute-4.c1.example.net');
    expect(kept.byNode.get('new')).toBe('c1-compute-5.c1.example.net');
  });

  it('respects pins, and keeps generated names clear of the indices they use', () => {
    const result = assignHostnames([compute('a'), compute('p', { pinned: 'c1-compute-1' }), compute('q', { pinned: 'special.c1.example.net' })], context());

    expect(result.byNode.get('p')).toBe('c1-compute-1.c1.example.net');
    expect(result.byNode.get('q')).toBe('special.c1.example.net');
    expect(result.byNode.get('a')).toBe('c1-compute-2.c1.example.net');
  });

  it('gives a declared replacement the hostname of the machine it replaces', () => {
    const prior = [{ nodeId: 'old', role: 'compute', index: 3, hostname: 'c1-compute-3.c1.example.net' }];

    const result = assignHostnames([compute('new', { replaces: 'old' })], context({ prior, highWater: { compute: 3 } }));

    expect(result.byNode.get('new')).toBe('c1-compute-3.c1.example.net');
    expect(result.assignments).toEqual([{ nodeId: 'new', role: 'compute', index: 3, hostname: 'c1-compute-3.c1.example.net' }]);
  });

  it('reports a pin that another machine already holds, and names the holder', () => {
    const prior = [{ nodeId: 'a', role: 'compute', index: 1, hostname: 'c1-compute-1.c1.example.net' }];

    const result = assignHostnames([compute('a'), compute('b', { pinned: 'c1-compute-1.c1.example.net' })], context({ prior }));

    expect(result.problems).toEqual([expect.objectContaining({ code: 'hostname-conflict', message: 'hostname c1-compute-1.c1.example.net is already held by machine a' })]);
  });

  it('fills placement placeholders of a custom pattern', () => {
    const result = assignHostnames([compute('a', { place: { rack: 'b07', az: 'az-2' } })], context({ pattern: '{rack}-{role}{n}.{az}.{domain}' }));

    expect(result.byNode.get('a')).toBe('b07-compute1.az-2.c1.example.net');
  });
});
