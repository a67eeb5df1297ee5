import { describe, expect, it } from '@jest/globals';
import type { GpuModel } from '../manifests/kinds/index.js';
import type { NodePlan } from './node-target.js';
import { createMembership } from './role-members.js';

const A100 = { metadata: { name: 'a100' }, spec: { vendorId: '10de', productId: '20b5', alias: 'a100', deviceType: 'type-PCI' } } as unknown as GpuModel;

/** The parts of a plan membership reads; the rest does not matter here. */
function plan(role: string, hostname: string, gpuModels: GpuModel[] = []): NodePlan {
  return { role: { metadata: { name: role } }, hostname, gpuModels } as unknown as NodePlan;
}

describe('createMembership', () => {
  it('groups hostnames by role, both sorted, and lists the distinct GPU aliases', () => {
    const membership = createMembership();

    const { members, gpuAliases } = membership([plan('compute', 'c-2', [A100]), plan('controller', 'k-1'), plan('compute', 'c-1', [A100])]);

    expect([...members]).toEqual([['compute', ['c-1', 'c-2']], ['controller', ['k-1']]]);
    expect(gpuAliases).toEqual(['{"device_type":"type-PCI","name":"a100","product_id":"20b5","vendor_id":"10de"}']);
  });

  it('gives the same membership while no machine changes role, hostname or GPU models', () => {
    const membership = createMembership();
    const first = membership([plan('compute', 'c-1', [A100]), plan('controller', 'k-1')]);

    const again = membership([plan('compute', 'c-1', [A100]), plan('controller', 'k-1')]);
    const renamed = membership([plan('compute', 'c-9', [A100]), plan('controller', 'k-1')]);
    const withoutGpu = membership([plan('compute', 'c-9'), plan('controller', 'k-1')]);
    const fewer = membership([plan('compute', 'c-9')]);

    expect(again).toBe(first);
    expect(renamed.members.get('compute')).toEqual(['c-9']);
    expect(withoutGpu.gpuAliases).toEqual([]);
    expect([...fewer.members.keys()]).toEqual(['compute']);
  });
});
