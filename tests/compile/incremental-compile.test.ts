import { beforeAll, describe, expect, it } from '@jest/globals';
import { compile, createCompiler } from '../../reconciler/compile/compile.js';
import type { CompileInput } from '../../reconciler/compile/types.js';
import { classifyNodes } from '../../reconciler/inventory/classify-nodes.js';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { buildExampleSnapshot, loadExampleDesired } from '../support/example-inventory.js';

/** The same desired state with settings added to one Node manifest (a new object for that Node only). */
function withNodeSettings(desired: DesiredState, name: string, settings: Record<string, string>): DesiredState {
  const node = desired.nodes.get(name);
  if (!node) throw new Error(`no Node ${name}`);
  const nodes = new Map(desired.nodes);
  nodes.set(name, { ...node, spec: { ...node.spec, settings } });
  return { ...desired, nodes };
}

describe('incremental compile', () => {
  let base: CompileInput;
  let changed: CompileInput;

  beforeAll(async () => {
    const desired = await loadExampleDesired();
    const snapshot = buildExampleSnapshot();
    base = { desired, classifications: classifyNodes(desired, snapshot.nodes), snapshot };
    const edited = withNodeSettings(desired, 'compute-a02-7', { cpu_allocation_ratio: '8.0' });
    changed = { desired: edited, classifications: classifyNodes(edited, snapshot.nodes), snapshot };
  });

  it('gives exactly what a cold compile gives after one machine changes', () => {
    const compiler = createCompiler();
    compiler.compile(base);

    const incremental = compiler.compile(changed);

    expect(incremental.targets.map((target) => target.encYaml)).toEqual(compile(changed).targets.map((target) => target.encYaml));
    expect(incremental.allocations).toEqual(compile(changed).allocations);
  });

  it('re-renders only the machine whose inputs changed and reuses every other target', () => {
    const compiler = createCompiler();
    const before = compiler.compile(base);

    const after = compiler.compile(changed);

    const rebuilt = after.targets.filter((target, index) => target !== before.targets[index]).map((target) => target.nodeId);
    expect(rebuilt).toEqual(['CN7016394F0B2A']);
    expect(after.targets.find((target) => target.nodeId === 'CN7016394F0B2A')?.enc.classes['plinth::role::compute']?.cpu_allocation_ratio).toBe('8.0');
  });

  it('re-renders every machine when a cluster-wide fact changes', () => {
    const compiler = createCompiler();
    const before = compiler.compile(base);
    const withoutMessaging = { ...base, classifications: base.classifications.filter((classification) => classification.role !== 'messaging') };

    const after = compiler.compile(withoutMessaging);

    expect(after.targets.every((target) => !before.targets.includes(target))).toBe(true);
    expect(after.targets.map((target) => target.encYaml)).toEqual(compile(withoutMessaging).targets.map((target) => target.encYaml));
  });

  it('reuses every target when the machines are classified again with the same results', () => {
    const compiler = createCompiler();
    const before = compiler.compile(base);

    const after = compiler.compile({ ...base, classifications: classifyNodes(base.desired, base.snapshot.nodes) });

    expect(after.targets.length).toBe(before.targets.length);
    expect(after.targets.every((target, index) => target === before.targets[index])).toBe(true);
  });

  it('follows a machine moving to another availability zone, and back, exactly as a cold compile', () => {
    const compiler = createCompiler();
    compiler.compile(base);
    const index = base.classifications.findIndex((classification) => classification.role === 'compute' && classification.placement !== undefined);
    const original = base.classifications[index];
    if (!original?.placement) throw new Error('the example must have a placed compute');
    const classifications = base.classifications.map((classification, position) => (position === index ? { ...original, placement: { ...original.placement!, availabilityZone: 'moved-az' } } : classification));
    const moved = { ...base, classifications };

    const afterMove = compiler.compile(moved);
    const afterReturn = compiler.compile(base);

    expect(afterMove.targets.find((target) => target.nodeId === original.nodeId)?.availabilityZone).toBe('moved-az');
    expect(afterMove.targets.map((target) => target.encYaml)).toEqual(compile(moved).targets.map((target) => target.encYaml));
    expect(afterReturn.targets.map((target) => target.encYaml)).toEqual(compile(base).targets.map((target) => target.encYaml));
  });

  it('follows a machine leaving and coming back exactly as a cold compile', () => {
    const compiler = createCompiler();
    compiler.compile(base);
    const leaving = base.classifications.find((classification) => classification.role === 'compute');
    const without = { ...base, classifications: base.classifications.filter((classification) => classification !== leaving) };

    const afterLeave = compiler.compile(without);
    const afterReturn = compiler.compile(base);

    expect(afterLeave.targets.some((target) => target.nodeId === leaving?.nodeId)).toBe(false);
    expect(afterLeave.targets.map((target) => target.encYaml)).toEqual(compile(without).targets.map((target) => target.encYaml));
    expect(afterReturn.targets.map((target) => target.encYaml)).toEqual(compile(base).targets.map((target) => target.encYaml));
  });
});
