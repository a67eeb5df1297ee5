import { describe, expect, it } from '@jest/globals';
import type { NodeTarget } from '../compile/types.js';
import { parseApprovalTrailers } from './approvals.js';
import { planRevision, type PlanInput } from './plan-revision.js';
import { describeAppliedTargets, type NodeProvisioning } from './provisioning.js';
import type { AppliedNodeState } from './types.js';

const IMAGE = { name: 'debian-12', sha256: 'a'.repeat(64) };

function makeTarget(name: string, overrides: Partial<NodeTarget> = {}): NodeTarget {
  const encYaml = overrides.encYaml ?? `environment: production\nparameters:\n  plinth_hostname: ${name}.example.net\n  plinth_role: ${overrides.role ?? 'compute'}\n`;
  return {
    nodeId: `SN-${name}`, hostname: `${name}.example.net`, role: 'compute', profile: 'compute', installWave: 60,
    addresses: { provisioning: `10.0.0.${name.length}` }, availabilityZone: 'az-1', enc: { environment: 'production', classes: {}, parameters: {} },
    encYaml, encDigest: `digest-of-${encYaml.length}-${encYaml}`, secretNames: [], rebootRequired: false, bootMac: '52:54:00:00:00:01',
    maintenance: false, decommission: false, ...overrides,
  };
}

function factsOf(targets: readonly NodeTarget[], raid?: string): Map<string, NodeProvisioning> {
  return new Map(targets.map((target) => [target.nodeId, { dhcp: { mac: target.bootMac, ip: target.addresses['provisioning'] ?? '', hostname: target.hostname }, image: IMAGE, ...(raid === undefined ? {} : { raid }) }]));
}

function appliedOf(targets: readonly NodeTarget[], raid?: string): AppliedNodeState[] {
  return describeAppliedTargets(targets, factsOf(targets, raid), 'main@sha1:' + '1'.repeat(40));
}

function plan(targets: NodeTarget[], applied: AppliedNodeState[], extra: Partial<PlanInput> = {}) {
  return planRevision({ cluster: 'c1', targets, provisioning: factsOf(targets), applied, classifications: [], approvals: { byKind: {} }, budget: {}, revision: 'main@sha1:' + '2'.repeat(40), ...extra });
}

describe('planRevision', () => {
  it('enrols a machine that was never applied, with the full install steps', () => {
    const result = plan([makeTarget('c1')], []);
    expect(result.actions.map((action) => [action.kind, action.destructive])).toEqual([['enrol', false]]);
    expect(result.actions[0]?.steps.map((step) => step.op)).toEqual(['dhcp-ensure', 'boot-device', 'power', 'wait-state', 'image-deploy', 'boot-device', 'power', 'wait-state', 'enc-publish', 'puppet-run']);
    expect(result.summary).toMatchObject({ enrol: 1, change: 0, destructive: 0 });
  });

  it('plans nothing when the targets are what was applied', () => {
    const targets = [makeTarget('c1')];
    expect(plan(targets, appliedOf(targets)).actions).toEqual([]);
  });

  it('reconfigures on an ENC change, with a diff, and reboots only when a reboot becomes required', () => {
    const before = makeTarget('c1');
    const after = makeTarget('c1', { encYaml: `${before.encYaml}  gpu: true\n`, rebootRequired: true });
    const [action] = plan([after], appliedOf([before])).actions;
    expect(action?.kind).toBe('reconfigure');
    expect(action?.steps.map((step) => step.op)).toEqual(['enc-publish', 'puppet-run', 'power']);
    expect(action?.encDiff).toContain('+  gpu: true');
    expect(action?.reason).toContain('a reboot is now required');
  });

  it('adds a DHCP step when the boot address changes', () => {
    const before = makeTarget('c1');
    const after = makeTarget('c1', { addresses: { provisioning: '10.0.0.99' } });
    const [action] = plan([after], appliedOf([before])).actions;
    expect(action?.steps).toEqual([{ op: 'dhcp-ensure', mac: before.bootMac, ip: '10.0.0.99', hostname: before.hostname }]);
    expect(action?.reason).toContain('10.0.0.2 → 10.0.0.99');
  });

  it('reprovisions on a role change, as a destructive action blocked until approved', () => {
    const before = makeTarget('c1');
    const after = makeTarget('c1', { role: 'network', installWave: 50 });
    const blocked = plan([after], appliedOf([before]));
    expect(blocked.actions).toEqual([]);
    expect(blocked.blocked.map((entry) => [entry.action.kind, entry.code, entry.action.reason])).toEqual([['reprovision', 'approval-required', 'role changed from compute to network']]);
    expect(blocked.blocked[0]?.message).toContain('Plinth-Approve: reprovision c1');
    const approved = plan([after], appliedOf([before]), { approvals: parseApprovalTrailers('Plinth-Approve: reprovision c1') });
    expect(approved.actions.map((action) => action.kind)).toEqual(['reprovision']);
    expect(approved.summary).toMatchObject({ reprovision: 1, destructive: 1, blocked: 0 });
  });

  it('reprovisions when the image or the RAID layout changes', () => {
    const target = makeTarget('c1');
    const provisioning = new Map([...factsOf([target])].map(([id, facts]) => [id, { ...facts, image: { name: 'debian-13', sha256: 'b'.repeat(64) } }]));
    const newImage = plan([target], appliedOf([target]), { provisioning, approvals: { byKind: { reprovision: ['*'] } } });
    expect(newImage.actions[0]?.reason).toBe('image changed from debian-12 to debian-13');
    const raid = plan([target], appliedOf([target], '{"kind":"software","level":1}'), { approvals: { byKind: { reprovision: ['*'] } } });
    expect(raid.actions[0]?.kind).toBe('reprovision');
    expect(raid.actions[0]?.reason).toContain('RAID layout changed');
  });

  it('decommissions an applied machine whose Node asks for it: wipe, power off, DHCP entry removed', () => {
    const before = makeTarget('c1');
    const result = plan([makeTarget('c1', { decommission: true })], appliedOf([before]), { approvals: parseApprovalTrailers('Plinth-Approve: wipe c1') });
    expect(result.actions.map((action) => [action.kind, action.destructive])).toEqual([['decommission', true]]);
    expect(result.actions[0]?.steps.map((step) => step.op)).toEqual(['boot-device', 'power', 'wait-state', 'disk-wipe', 'power', 'dhcp-remove']);
    expect(result.summary.wipe).toBe(1);
  });

  it('powers on a machine left off, and sets the boot device back to disk', () => {
    const targets = [makeTarget('c1'), makeTarget('c2')];
    const applied = appliedOf(targets).map((state, index) => (index === 0 ? { ...state, power: 'off' as const } : { ...state, bootDevice: 'pxe' as const }));
    expect(plan(targets, applied).actions.map((action) => [action.hostname, action.kind])).toEqual([['c1.example.net', 'power'], ['c2.example.net', 'boot']]);
  });

  it('orders by install wave, then hostname', () => {
    const targets = [makeTarget('b-compute'), makeTarget('mon', { role: 'cephmon', installWave: 10 }), makeTarget('a-compute'), makeTarget('ctl', { role: 'controller', installWave: 40 })];
    expect(plan(targets, []).actions.map((action) => `${action.wave}:${action.hostname.split('.')[0]}`)).toEqual(['10:mon', '40:ctl', '60:a-compute', '60:b-compute']);
  });

  it('blocks approved destructive actions beyond the disruption budget, per commit and per zone', () => {
    const names = ['c1', 'c2', 'c3', 'c4'];
    const before = names.map((name, index) => makeTarget(name, { availabilityZone: index < 3 ? 'az-1' : 'az-2' }));
    const after = before.map((target) => ({ ...target, role: 'network' }));
    const approvals = parseApprovalTrailers('Plinth-Approve: reprovision *');
    const perZone = plan(after, appliedOf(before), { approvals, budget: { maxPerAvailabilityZone: 2 } });
    expect(perZone.actions.map((action) => action.hostname.split('.')[0])).toEqual(['c1', 'c2', 'c4']);
    expect(perZone.blocked.map((entry) => [entry.action.hostname.split('.')[0], entry.code])).toEqual([['c3', 'disruption-budget']]);
    const perCommit = plan(after, appliedOf(before), { approvals, budget: { maxPerCommit: 1 } });
    expect(perCommit.actions).toHaveLength(1);
    expect(perCommit.blocked).toHaveLength(3);
  });

  it('holds back anything on a machine in maintenance', () => {
    const result = plan([makeTarget('c1', { maintenance: true })], []);
    expect(result.blocked.map((entry) => entry.code)).toEqual(['maintenance']);
    expect(result.summary).toMatchObject({ enrol: 1, blocked: 1 });
  });

  it('makes a composition reconfigure depend on the enrolment that caused it', () => {
    const controller = makeTarget('ctl', { role: 'controller', installWave: 40 });
    const changed = { ...controller, encYaml: `${controller.encYaml}  messaging_hosts: [msg1.example.net]\n`, encDigest: 'changed' };
    const messaging = makeTarget('msg1', { role: 'messaging', installWave: 30 });
    const result = plan([changed, messaging], appliedOf([controller]));
    expect(result.actions.map((action) => [action.id, action.dependsOn])).toEqual([['SN-msg1/enrol', []], ['SN-ctl/reconfigure', ['SN-msg1/enrol']]]);
  });

  it('holds back a reconfigure that waits for a blocked enrolment', () => {
    const controller = makeTarget('ctl', { role: 'controller', installWave: 40 });
    const changed = { ...controller, encYaml: `${controller.encYaml}  messaging_hosts: [msg1.example.net]\n`, encDigest: 'changed' };
    const messaging = makeTarget('msg1', { role: 'messaging', installWave: 30, maintenance: true });
    const result = plan([changed, messaging], appliedOf([controller]));
    expect(result.actions).toEqual([]);
    expect(result.blocked.map((entry) => [entry.action.id, entry.code, entry.message])).toEqual([
      ['SN-msg1/enrol', 'maintenance', expect.stringContaining('maintenance')],
      ['SN-ctl/reconfigure', 'maintenance', 'waits for enrol of msg1.example.net, which is blocked (maintenance)'],
    ]);
  });

  it('shows machines compile could not target as blocked by their problem', () => {
    const result = plan([], [], { problems: [{ nodeId: 'SN-x', code: 'ipam-exhausted', message: 'no address left on provisioning', severity: 'error' }] });
    expect(result.blocked.map((entry) => [entry.action.kind, entry.code, entry.message])).toEqual([['enrol', 'compile-problem', 'no address left on provisioning']]);
    expect(result.problems).toHaveLength(1);
  });
});
