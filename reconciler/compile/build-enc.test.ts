import { describe, expect, it } from '@jest/globals';
import type { Role } from '../manifests/kinds/index.js';
import { buildEnc, type EncInputs } from './build-enc.js';

const role: Role = {
  apiVersion: 'plinth/v1',
  kind: 'Role',
  metadata: { name: 'compute' },
  spec: {
    description: 'test',
    installWave: 60,
    puppetClass: 'plinth::role::compute',
    parameters: {
      hostname: { type: 'string', description: 'h', from: 'hostname' },
      ratio: { type: 'string', description: 'r', default: '4.0' },
      memory: { type: 'integer', description: 'm', default: 8192 },
      dhcp_agent: { type: 'boolean', description: 'd', from: 'dhcp_on_computes', default: false },
      password: { type: 'secret', description: 'p' },
    },
  },
} as Role;

const inputs = (extra: Partial<EncInputs> = {}): EncInputs => ({
  nodeId: 'n1', role, environment: 'production', facts: { hostname: 'c-1.example.net', dhcp_on_computes: true }, settings: [], parameters: { plinth_role: 'compute' }, ...extra,
});

describe('buildEnc', () => {
  it('fills every declared parameter from facts, defaults and secret placeholders', () => {
    const { enc, problems } = buildEnc(inputs());

    expect(problems).toEqual([]);
    expect(enc.classes).toEqual({ 'plinth::role::compute': { hostname: 'c-1.example.net', ratio: '4.0', memory: 8192, dhcp_agent: true, password: 'ENC_SECRET(password)' } });
    expect(enc.parameters).toEqual({ plinth_role: 'compute' });
  });

  it('lets node settings override profile settings, which override cluster settings and facts', () => {
    const { enc } = buildEnc(inputs({ settings: [{ ratio: '2.0', dhcp_agent: false, extra_flag: 'x' }, { ratio: '8.0' }, undefined] }));

    expect(enc.classes['plinth::role::compute']).toMatchObject({ ratio: '8.0', dhcp_agent: false });
    // A setting no class parameter takes becomes a top-scope variable.
    expect(enc.parameters).toEqual({ extra_flag: 'x', plinth_role: 'compute' });
  });

  it('refuses a setting of the wrong type, a setting for a secret, and a smuggled secret placeholder', () => {
    const { problems } = buildEnc(inputs({ settings: [{ memory: 'lots', password: 'hunter2', note: 'ENC_SECRET(password)' }] }));

    expect(problems.map((problem) => problem.code).sort()).toEqual(['parameter-type', 'setting-secret', 'setting-secret']);
    expect(problems.map((problem) => problem.message).join('\n')).not.toContain('hunter2');
  });

  it('reports a parameter that nothing gives a value', () => {
    const { problems } = buildEnc(inputs({ facts: {} }));

    expect(problems).toEqual([expect.objectContaining({ nodeId: 'n1', code: 'parameter-missing', message: 'parameter hostname of role compute has no value: no setting, fact or default gives one' })]);
  });
});
