import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimFromInventory, decideEnrolment } from '../../reconciler/inventory/enrol.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import type { IngestOutcome } from '../../reconciler/store/types.js';

/** Stores a machine's report as the report route would, with an empty raw body. */
export function ingestInventory(store: SqliteStore, inventory: Inventory, receivedAt = '2026-01-02T00:00:00Z'): Promise<IngestOutcome> {
  return store.ingestReport({ rawBody: Buffer.from('{}'), inventory, claim: claimFromInventory(inventory), receivedAt }, (claim, context) => decideEnrolment(claim, context, inventory));
}

export interface TempStores {
  dir: string;
  store: SqliteStore;
  controllerStore: SqliteControllerStore;
  /** Closes both stores and removes the directory. */
  remove(): Promise<void>;
}

/** Both stores on one SQLite file in a new temporary directory, as `plinth serve` opens them. */
export function openTempStores(prefix: string): TempStores {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = SqliteStore.open(join(dir, 'plinth.db'));
  const controllerStore = SqliteControllerStore.open(join(dir, 'plinth.db'));
  return {
    dir, store, controllerStore,
    remove: async () => {
      await controllerStore.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
