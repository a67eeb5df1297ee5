import { beforeAll, describe, expect, it } from '@jest/globals';
import { createContentKey } from '../../reconciler/compile/compile-memo.js';
import { createCandidatePreparer } from '../../reconciler/compile/prepared-candidates.js';
import type { CompileInput, CompileProblem } from '../../reconciler/compile/types.js';
import { classifyNodes } from '../../reconciler/inventory/classify-nodes.js';
import { buildExampleSnapshot, loadExampleDesired } from '../support/example-inventory.js';

describe('createCandidatePreparer', () => {
  let base: CompileInput;

  beforeAll(async () => {
    const desired = await loadExampleDesired();
    const snapshot = buildExampleSnapshot();
    base = { desired, classifications: classifyNodes(desired, snapshot.nodes), snapshot };
  });

  it('gives matched machines sorted by identity, without the machine another one replaces', () => {
    const prepared = createCandidatePreparer(createContentKey())(base, []);

    const nodeIds = prepared.map((entry) => entry.candidate.classification.nodeId);
    expect(nodeIds).toEqual([...nodeIds].sort());
    expect(nodeIds).not.toContain('CN7016394F01C8');
    expect(prepared.every((entry) => entry.candidate.classification.state === 'matched')).toBe(true);
  });

  it('returns the same objects for machines whose inputs did not change, and new ones for the others', () => {
    const prepare = createCandidatePreparer(createContentKey());
    const before = prepare(base, []);
    const pinned = before.find((entry) => entry.candidate.node !== undefined);
    const name = pinned?.candidate.node?.metadata.name ?? '';
    const node = base.desired.nodes.get(name);
    if (!node) throw new Error('the example must pin a machine');
    const nodes = new Map(base.desired.nodes).set(name, { ...node, spec: { ...node.spec, settings: { extra: 'yes' } } });
    const desired = { ...base.desired, nodes };

    const after = prepare({ ...base, desired, classifications: classifyNodes(desired, base.snapshot.nodes) }, []);

    const changed = after.filter((entry, index) => entry !== before[index]).map((entry) => entry.candidate.node?.metadata.name);
    expect(changed).toEqual([name]);
  });

  it('reports a machine whose role is unknown and leaves it out', () => {
    const problems: CompileProblem[] = [];
    const [first, ...rest] = base.classifications;
    if (!first) throw new Error('the example must classify machines');
    const classifications = [{ ...first, state: 'matched' as const, role: 'no-such-role' }, ...rest];

    const prepared = createCandidatePreparer(createContentKey())({ ...base, classifications }, problems);

    expect(problems.map((problem) => [problem.nodeId, problem.code])).toEqual([[first.nodeId, 'role-unknown']]);
    expect(prepared.some((entry) => entry.candidate.classification.nodeId === first.nodeId)).toBe(false);
  });
});
