import { describe, expect, it } from '@jest/globals';
import type { NodeTarget } from '../compile/types.js';
import type { AppliedNodeState } from '../plan/types.js';
import { openDatabase } from '../store/sqlite/open-database.js';
import { SqliteControllerStore } from '../store/sqlite/sqlite-controller-store.js';
import { readAppliedStates } from './read-applied-states.js';

const REVISION = `main@sha1:${'b'.repeat(40)}`;

function createStore(ids: readonly string[]): SqliteControllerStore {
  const db = openDatabase(':memory:');
  const insert = db.prepare(`INSERT INTO nodes (id, identity_source, state, first_seen, last_seen) VALUES (?, 'serial', 'active', 'T0', 'T0')`);
  for (const id of ids) insert.run(id);
  return new SqliteControllerStore(db);
}

function target(nodeId: string, encYaml: string, encDigest: string): NodeTarget {
  return {
    nodeId, hostname: `${nodeId}.example.net`, role: 'compute', installWave: 1, addresses: {}, availabilityZone: 'az-1',
    enc: { environment: 'production', classes: {}, parameters: {} }, encYaml, encDigest, secretNames: [],
    rebootRequired: false, bootMac: '02:00:00:00:00:01', maintenance: false, decommission: false,
  };
}

function applied(nodeId: string, encDigest: string, encYaml?: string): AppliedNodeState {
  return { nodeId, hostname: `${nodeId}.example.net`, role: 'compute', lifecycle: 'active', revision: REVISION, encDigest, ...(encYaml === undefined ? {} : { encYaml }) };
}

describe('readAppliedStates', () => {
  it('gives each node the text it was applied with: the target text when digests match, the stored text otherwise', async () => {
    const store = createStore(['same', 'changed', 'untexted', 'gone']);
    await store.saveAppliedState(applied('same', 'd1', 'a: 1\n'), 'T1');
    await store.saveAppliedState(applied('changed', 'd2', 'b: 1\n'), 'T1');
    await store.saveAppliedState(applied('untexted', 'd3'), 'T1');
    await store.saveAppliedState(applied('gone', 'd4', 'd: 1\n'), 'T1');
    const targets = [target('same', 'a: 1\n', 'd1'), target('changed', 'b: 2\n', 'd2-new'), target('untexted', 'c: 2\n', 'd3-new')];

    const states = await readAppliedStates(store, targets);

    expect(states).toEqual(await store.listAppliedStates());
    expect(states.find((state) => state.nodeId === 'same')?.encYaml).toBe(targets[0]?.encYaml);
    expect(states.find((state) => state.nodeId === 'untexted')).not.toHaveProperty('encYaml');
    await store.close();
  });

  it('reads only the asked nodes, and elides stored ENC text as an empty string', async () => {
    const store = createStore(['n1', 'n2']);
    await store.saveAppliedState(applied('n1', 'd1', 'a: 1\n'), 'T1');
    await store.saveAppliedState(applied('n2', 'd2'), 'T1');

    expect((await store.listAppliedStates({ nodeIds: ['n2', 'missing'] })).map((state) => state.nodeId)).toEqual(['n2']);
    expect(await store.listAppliedStates({ elideEncYaml: true })).toEqual([applied('n1', 'd1', ''), applied('n2', 'd2')]);
    expect(await store.listAppliedStates({ nodeIds: ['n1'], elideEncYaml: true })).toEqual([applied('n1', 'd1', '')]);
    expect(await store.readAppliedEncs(['n1', 'n2', 'missing'])).toEqual(new Map([['n1', 'a: 1\n']]));
    await store.close();
  });
});
