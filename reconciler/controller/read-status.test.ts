import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openTempStores, type TempStores } from '../../tests/support/stores.js';
import type { SqliteControllerStore } from '../store/sqlite/sqlite-controller-store.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { FAILED_HINT, readStatus, renderStatus } from './read-status.js';

const REVISION = `main@sha1:${'a'.repeat(40)}`;
let stores: TempStores;
let store: SqliteStore;
let controllerStore: SqliteControllerStore;

beforeEach(() => {
  stores = openTempStores('plinth-status-');
  ({ store, controllerStore } = stores);
});

afterEach(async () => stores.remove());

describe('readStatus', () => {
  it('has nothing applied while the first pass of a revision runs', async () => {
    await controllerStore.recordRevision(REVISION, 'applying', '2026-01-01T00:00:00.000Z');
    const status = await readStatus(store, controllerStore);
    expect(status.lastApplied).toBeUndefined();
    expect(status.lastAttempted).toMatchObject({ revision: REVISION, phase: 'applying' });
  });

  it('keeps a revision as last applied, with when it finished, while a re-plan of it runs', async () => {
    await controllerStore.recordRevision(REVISION, 'applying', '2026-01-01T00:00:00.000Z');
    await controllerStore.recordRevision(REVISION, 'applied', '2026-01-01T00:05:00.000Z');
    await controllerStore.recordRevision(REVISION, 'applying', '2026-01-01T00:09:00.000Z');
    const during = await readStatus(store, controllerStore);
    expect(during.lastApplied).toEqual({ revision: REVISION, finishedAt: '2026-01-01T00:05:00.000Z' });
    expect(during.lastAttempted).toMatchObject({ phase: 'applying' });
    await controllerStore.recordRevision(REVISION, 'applied', '2026-01-01T00:12:00.000Z');
    expect((await readStatus(store, controllerStore)).lastApplied).toEqual({ revision: REVISION, finishedAt: '2026-01-01T00:12:00.000Z' });
  });

  it('says how a failed machine gets its next try, only when a machine is failed', () => {
    const base = { nodesByState: { failed: 1 }, blocked: [], validationErrors: [] };
    const failing = [{ node: 'S1', state: 'failed', errorType: 'BMC_AUTH', message: 'the BMC refused the credentials', count: 1 }];
    expect(renderStatus({ ...base, failing })).toContain(`failing:\n  S1 failed BMC_AUTH (x1): the BMC refused the credentials\n${FAILED_HINT}\n`);
    expect(renderStatus({ ...base, failing: [{ ...failing[0]!, state: 'active', errorType: 'PUPPET_RUN' }] })).not.toContain(FAILED_HINT);
  });
});
