import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInventoryExport } from '../../reconciler/cli/commands/inventory-export.js';
import { ingestInventory } from '../support/stores.js';
import { readSnapshot } from '../../reconciler/inventory/read-snapshot.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { sampleInventory } from '../support/sample-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'plinth-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function seedStore(path: string): Promise<void> {
  const store = SqliteStore.open(path);
  try {
    for (const serial of ['SN002', 'SN001']) {
      const inventory = sampleInventory(serial);
      await ingestInventory(store, inventory);
    }
    await store.allocateAddress({ network: 'provisioning', address: '10.30.0.12', nodeId: 'SN002', allocatedAt: '2026-01-02T00:00:00Z' });
  } finally {
    await store.close();
  }
  // An enrolment, as apply records it, holds the machine's addresses and hostname.
  const controller = SqliteControllerStore.open(path);
  try {
    const journal = await controller.appendJournal({ revision: 'main@sha1:1', nodeId: 'SN001', action: 'SN001/enrol', plannedAt: '2026-01-02T00:00:00Z' });
    const hostname = { nodeId: 'SN001', role: 'controller', index: 2, hostname: 'c1-controller-2.example.net' };
    await controller.recordEnrolment({ nodeId: 'SN001', addresses: [{ network: 'management', address: '10.10.0.11' }], hostname, at: '2026-01-02T00:00:00Z' }, journal.id);
  } finally {
    await controller.close();
  }
}

describe('plinth inventory export', () => {
  it('writes a valid snapshot of the stored machines and their allocations', async () => {
    const db = join(dir, 'plinth.db');
    await seedStore(db);
    const output = join(dir, 'inventory.json');
    expect(await runInventoryExport({ db, output }, () => undefined, () => new Date('2026-01-03T00:00:00Z'))).toBe(0);
    const snapshot = await readSnapshot(output);
    expect(snapshot.exportedAt).toBe('2026-01-03T00:00:00.000Z');
    expect(snapshot.nodes.map((node) => [node.id, node.inventory.identity.id])).toEqual([['SN001', 'SN001'], ['SN002', 'SN002']]);
    expect(snapshot.allocations).toEqual([
      { network: 'management', address: '10.10.0.11', nodeId: 'SN001' },
      { network: 'provisioning', address: '10.30.0.12', nodeId: 'SN002' },
    ]);
    expect(snapshot.hostnames).toEqual([{ nodeId: 'SN001', role: 'controller', index: 2, hostname: 'c1-controller-2.example.net' }]);
    expect(snapshot.hostnameHighWater).toEqual({ controller: 2 });
  });

  it('refuses a store that does not exist, creating nothing', async () => {
    await expect(runInventoryExport({ db: join(dir, 'missing.db') }, () => undefined)).rejects.toThrow('no store at');
  });
});
