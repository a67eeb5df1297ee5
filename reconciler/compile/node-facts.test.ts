import { beforeAll, describe, expect, it } from '@jest/globals';
import type { DesiredState } from '../manifests/desired-state.js';
import type { Node } from '../manifests/kinds/index.js';
import { loadExampleDesired } from '../../tests/support/example-inventory.js';
import { decideCpuFacts } from './node-facts.js';

describe('decideCpuFacts', () => {
  let desired: DesiredState;

  beforeAll(async () => {
    desired = await loadExampleDesired();
  });

  it('uses the cluster default when the profile names no CPU model', () => {
    expect(decideCpuFacts(desired, 'compute', undefined)).toEqual({ cpu_mode: 'custom', cpu_model: 'EPYC-Rome', cpu_model_extra_flags: ['+ibpb', '+virt-ssbd'] });
  });

  it("uses the profile's CPU model over the cluster's", () => {
    expect(decideCpuFacts(desired, 'compute-gpu-t4', undefined)).toEqual({ cpu_mode: 'custom', cpu_model: 'Cascadelake-Server', cpu_model_extra_flags: ['-hle', '-rtm'] });
    expect(decideCpuFacts(desired, 'compute-gpu-a100', undefined)).toEqual({ cpu_mode: 'host-passthrough', cpu_model: '', cpu_model_extra_flags: [] });
  });

  it("uses the Node's CPU model over the profile's", () => {
    const node = { apiVersion: 'plinth/v1', kind: 'Node', metadata: { name: 'n' }, spec: { serial: 'S', cpu: { model: 'passthrough' } } } as Node;

    expect(decideCpuFacts(desired, 'compute-gpu-t4', node)).toMatchObject({ cpu_mode: 'host-passthrough', cpu_model: '' });
  });
});
