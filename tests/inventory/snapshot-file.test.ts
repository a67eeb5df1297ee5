import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSnapshot } from '../../reconciler/inventory/build-snapshot.js';
import { checkSnapshot, readSnapshot } from '../../reconciler/inventory/read-snapshot.js';
import { sampleInventory } from '../support/sample-inventory.js';
import { buildRealInventory, R640 } from './real-fleet.js';

const AT = '2026-01-01T00:00:00Z';

describe('buildSnapshot', () => {
  it('sorts machines by identity and fills first and last seen', () => {
    const snapshot = buildSnapshot([{ inventory: sampleInventory('SN2') }, { inventory: sampleInventory('SN1'), lastSeen: '2026-02-01T00:00:00Z', state: 'active' }], AT);
    expect(snapshot.nodes.map((node) => [node.id, node.firstSeen, node.lastSeen, node.state])).toEqual([
      ['SN1', AT, '2026-02-01T00:00:00Z', 'active'],
      ['SN2', AT, AT, undefined],
    ]);
    expect(checkSnapshot(snapshot)).toEqual([]);
  });

  it('refuses a machine without identity unless given one, and a machine given twice', () => {
    const anonymous = buildRealInventory({ fixture: R640.first }, 0);
    anonymous.identity = { ...anonymous.identity, id: '' };
    expect(() => buildSnapshot([{ inventory: anonymous }], AT)).toThrow('machine 1 (PowerEdge R640) has no identity; give it an id');
    expect(buildSnapshot([{ inventory: anonymous, id: 'R640-A' }], AT).nodes[0]?.id).toBe('R640-A');
    expect(() => buildSnapshot([{ inventory: sampleInventory('SN1') }, { inventory: sampleInventory('SN1') }], AT)).toThrow('machine SN1 is given twice');
  });
});

describe('readSnapshot', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'plinth-snapshot-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('reads back a snapshot built from real dumps', async () => {
    const file = path.join(scratch, 'good.json');
    const snapshot = buildSnapshot([R640.first, R640.odd].map((fixture, index) => ({ inventory: buildRealInventory({ fixture }, index) })), AT);
    await writeFile(file, JSON.stringify(snapshot));
    expect(await readSnapshot(file)).toEqual(snapshot);
  });

  it('lists every schema problem by JSON pointer, and a repeated identity', async () => {
    const file = path.join(scratch, 'bad.json');
    const snapshot = buildSnapshot([{ inventory: sampleInventory('SN1') }], AT);
    await writeFile(file, JSON.stringify({ ...snapshot, version: 3, extra: true }));
    const error = await readSnapshot(file).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID', details: { problems: ['/: must NOT have additional properties: extra', '/version: must be equal to constant'] } });
    const twice = { ...snapshot, nodes: [...snapshot.nodes, ...snapshot.nodes] };
    expect(checkSnapshot(twice)).toEqual(['/nodes/1/id: machine "SN1" is listed twice']);
  });

  it('says which file cannot be read', async () => {
    const missing = path.join(scratch, 'missing.json');
    await expect(readSnapshot(missing)).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining(`cannot read the inventory snapshot ${missing}`) });
  });
});
