import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimFromInventory, decideEnrolment } from '../../reconciler/inventory/enrol.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import { migrations } from '../../reconciler/store/sqlite/migrations/index.js';
import { openDatabase } from '../../reconciler/store/sqlite/open-database.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { sampleInventory } from '../support/sample-inventory.js';

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plinth-store-'));
  store = SqliteStore.open(join(dir, 'plinth.db'));
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function ingest(inventory: Inventory, receivedAt = '2026-01-01T00:00:00.000Z', body = JSON.stringify({ serial: inventory.identity.id })) {
  return store.ingestReport(
    { rawBody: Buffer.from(body), inventory, claim: claimFromInventory(inventory), receivedAt, sourceAddress: '10.0.0.1' },
    (claim, context) => decideEnrolment(claim, context, inventory),
  );
}

describe('SqliteStore database', () => {
  it('opens in WAL mode with foreign keys and full sync, and records its migrations', () => {
    const db = openDatabase(join(dir, 'other.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(migrations.map(({ version, name }) => ({ version, name })));
    db.close();
  });

  it('reopening an up-to-date database applies nothing twice', () => {
    openDatabase(join(dir, 'again.db')).close();
    const db = openDatabase(join(dir, 'again.db'));
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    db.close();
  });

  it('refuses a database migrated by a newer plinth', () => {
    const path = join(dir, 'newer.db');
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01')").run();
    raw.close();
    expect(() => openDatabase(path)).toThrow(/migrations this plinth does not know: 99/);
  });
});

describe('SqliteStore reports', () => {
  it('enrols a new node as discovered and keeps the raw report compressed', async () => {
    const outcome = await ingest(sampleInventory('SN001'), '2026-01-01T00:00:00.000Z', '{"raw":"body"}');
    expect(outcome).toMatchObject({ kind: 'enrolled', node: { id: 'SN001', identitySource: 'chassis-serial', state: 'discovered' } });
    const node = await store.getNode('SN001');
    expect(node?.macs).toEqual(['f8:bc:12:00:00:01', 'f8:bc:12:01:00:01']);
    expect(node?.stepTimestamps).toEqual({ discovered: '2026-01-01T00:00:00.000Z' });
    const [report] = await store.listReports<Inventory>('SN001');
    expect(Buffer.from(report?.rawBody ?? []).toString()).toBe('{"raw":"body"}');
    expect(report?.inventory.system.productName).toBe('PowerEdge R640');
    expect(report?.sourceAddress).toBe('10.0.0.1');
  });

  it('a re-post updates lastSeen, keeps history and records no event when nothing changed', async () => {
    await ingest(sampleInventory('SN001'), '2026-01-01T00:00:00.000Z');
    const outcome = await ingest(sampleInventory('SN001'), '2026-01-02T00:00:00.000Z');
    expect(outcome.kind).toBe('refreshed');
    expect(await store.getNode('SN001')).toMatchObject({ firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-02T00:00:00.000Z' });
    expect(await store.countRecords()).toEqual({ nodes: 1, reports: 2, nodeEvents: 0, conflicts: 0 });
  });

  it('records a hardware-change event when a disk is gone between boots', async () => {
    const first = sampleInventory('SN001');
    await ingest(first);
    await ingest({ ...first, disks: first.disks.slice(0, 1) }, '2026-01-02T00:00:00.000Z');
    const events = await store.listNodeEvents('SN001');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'disks', nodeId: 'SN001', detectedAt: '2026-01-02T00:00:00.000Z' });
    expect(events[0]?.summary).toMatch(/gone: sdb/);
  });

  it('records a conflict and leaves the enrolled node untouched when a MAC is claimed by another serial', async () => {
    await ingest(sampleInventory('SN001'), '2026-01-01T00:00:00.000Z');
    const before = await store.getNode('SN001');
    const intruder = sampleInventory('SN999', { nics: sampleInventory('SN001').nics });
    const outcome = await ingest(intruder, '2026-01-03T00:00:00.000Z');
    expect(outcome).toMatchObject({ kind: 'conflict', reason: 'mac-enrolled-elsewhere', nodeIds: ['SN001'] });
    expect(await store.getNode('SN001')).toEqual(before);
    expect(await store.getNode('SN999')).toBeUndefined();
    const [conflict] = await store.listConflicts({ status: 'open' });
    expect(conflict).toMatchObject({ claim: { id: 'SN999' }, reason: 'mac-enrolled-elsewhere' });
    expect((await store.getReport(conflict?.reportId ?? 0))?.nodeId).toBeUndefined();
  });

  it('concurrent reports for one new identity enrol it once', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ingest(sampleInventory('SN002'))));
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['enrolled', 'refreshed', 'refreshed', 'refreshed', 'refreshed']);
    expect(await store.countRecords()).toEqual({ nodes: 1, reports: 5, nodeEvents: 0, conflicts: 0 });
  });

  it('one failing write in a batch does not roll back the others', async () => {
    const failing = store.ingestReport(
      { rawBody: Buffer.from('{}'), inventory: sampleInventory('SN003'), claim: claimFromInventory(sampleInventory('SN003')), receivedAt: 'x' },
      () => {
        throw new Error('decision failed');
      },
    );
    const fine = ingest(sampleInventory('SN004'));
    await expect(failing).rejects.toThrow('decision failed');
    await expect(fine).resolves.toMatchObject({ kind: 'enrolled' });
    expect(await store.countRecords()).toMatchObject({ nodes: 1, reports: 1 });
  });
  it('keeps the live system\'s hardware as the node\'s inventory when the installed system reports from disk', async () => {
    const live = sampleInventory('SN001');
    await ingest(live, '2026-01-01T00:00:00.000Z');
    const fromDisk: Inventory = { ...live, os: { bootedFrom: 'disk', image: 'golden' }, pciDevices: [], memory: { ...live.memory, dimms: [] } };
    const outcome = await ingest(fromDisk, '2026-01-02T00:00:00.000Z');
    expect(outcome).toMatchObject({ kind: 'refreshed', changes: [] });
    expect(await store.getNode('SN001')).toMatchObject({ lastSeen: '2026-01-02T00:00:00.000Z' });
    const controllerStore = SqliteControllerStore.open(join(dir, 'plinth.db'));
    try {
      const inventories = await controllerStore.listLatestInventories<Inventory>();
      expect(inventories.get('SN001')?.os).toBeUndefined();
      expect(inventories.get('SN001')?.pciDevices).toEqual(live.pciDevices);
    } finally {
      await controllerStore.close();
    }
  });
});

describe('SqliteStore allocations and journal', () => {
  beforeEach(async () => {
    await ingest(sampleInventory('SN001'));
    await ingest(sampleInventory('SN002'));
  });

  it('refuses a live address twice on one network but allows it on another and after release', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await store.allocateAddress({ network: 'mgmt', address: '10.1.0.5', nodeId: 'SN001', allocatedAt: at });
    await expect(store.allocateAddress({ network: 'mgmt', address: '10.1.0.5', nodeId: 'SN002', allocatedAt: at })).rejects.toMatchObject({
      code: 'STORE_ADDRESS_TAKEN',
    });
    await store.allocateAddress({ network: 'ceph', address: '10.1.0.5', nodeId: 'SN002', allocatedAt: at });
    expect(await store.releaseAddress({ network: 'mgmt', address: '10.1.0.5', releasedAt: at })).toBe(true);
    await store.allocateAddress({ network: 'mgmt', address: '10.1.0.5', nodeId: 'SN002', allocatedAt: at });
    expect((await store.listAllocations({ network: 'mgmt' })).map((row) => row.nodeId)).toEqual(['SN002']);
    expect(await store.listAllocations({ network: 'mgmt', includeReleased: true })).toHaveLength(2);
  });

  it('journals an action from planned to succeeded and refuses to reopen it', async () => {
    const entry = await store.appendJournal({ revision: 'abc123', nodeId: 'SN001', action: 'power-on', plannedAt: 't0' });
    await store.transitionJournal(entry.id, { state: 'started', at: 't1' });
    const done = await store.transitionJournal(entry.id, { state: 'succeeded', at: 't2', detail: { tries: 1 } });
    expect(done).toMatchObject({ state: 'succeeded', startedAt: 't1', finishedAt: 't2', detail: { tries: 1 } });
    await expect(store.transitionJournal(entry.id, { state: 'started', at: 't3' })).rejects.toMatchObject({ code: 'STORE_JOURNAL_TRANSITION' });
    expect(await store.listJournal({ revision: 'abc123' })).toHaveLength(1);
  });
});

describe('SqliteStore durability', () => {
  it('opens its database with synchronous=NORMAL because it fsyncs the WAL itself before resolving', async () => {
    await ingest(sampleInventory('SN001'));
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('does not acknowledge a write whose WAL cannot be synced', async () => {
    const unsynced = new SqliteStore(openDatabase(join(dir, 'real.db'), { synchronous: 'NORMAL' }), { walSyncPath: join(dir, 'missing', 'x.db') });
    try {
      await expect(unsynced.appendJournal({ revision: 'r1', action: 'noop', plannedAt: 't0' })).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await unsynced.close().catch(() => undefined);
    }
  });
});
