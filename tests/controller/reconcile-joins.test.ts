import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StepExecutor } from '../../reconciler/apply/types.js';
import { createCompiler } from '../../reconciler/compile/compile.js';
import { ControllerMetrics } from '../../reconciler/controller/metrics.js';
import { reconcileRevision } from '../../reconciler/controller/reconcile-revision.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import type { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { EXAMPLE_DIR as EXAMPLE_REPO } from '../plan/example-repo.js';
import { buildExampleInventoryOf } from '../support/example-inventory.js';
import { ingestInventory as ingest, openTempStores, type TempStores } from '../support/stores.js';

const REVISION = `main@sha1:${'b'.repeat(40)}`;

describe('reconcileRevision and machines that report while it plans', () => {
  let stores: TempStores;

  beforeAll(() => {
    stores = openTempStores('plinth-reconcile-joins-');
  });

  afterAll(async () => stores.remove());

  it('plans a machine in once the apply starts when its first report came after the inventory was read', async () => {
    const { store, controllerStore } = stores;
    const early = buildExampleInventoryOf('CMP0001');
    const late = buildExampleInventoryOf('CMP0002');
    await ingest(store, early);

    const listeners = new Set<() => void>();
    let lateReported = false;
    // The late machine reports while the plan is being made: after the inventory was read, before the apply starts.
    const watched = Object.create(controllerStore) as SqliteControllerStore;
    watched.listAppliedStates = async (query) => {
      if (!lateReported) {
        lateReported = true;
        await ingest(store, late);
        for (const listener of listeners) listener();
      }
      return controllerStore.listAppliedStates(query);
    };
    // The early machine's first step waits until the late machine has run one, or 5 s.
    const ran: string[] = [];
    let lateRan = (): void => undefined;
    const lateStarted = new Promise<void>((resolve) => (lateRan = resolve));
    const execute: StepExecutor = async (step, context) => {
      ran.push(`${context.node.nodeId}:${step.op}`);
      if (context.node.nodeId === 'CMP0002') lateRan();
      if (context.node.nodeId === 'CMP0001' && ran.filter((entry) => entry.startsWith('CMP0001:')).length === 1) {
        await Promise.race([lateStarted, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
        ran.push('CMP0001 released');
      }
      return {};
    };

    const summary = await reconcileRevision({ revision: REVISION, treePath: EXAMPLE_REPO, commitMessage: 'add machines' }, {
      store, controllerStore: watched, compiler: createCompiler(), execute, resolveSecret: async () => 'unused', metrics: new ControllerMetrics(), log: silentLogger(),
      now: () => new Date().toISOString(), sleep: async () => undefined, isCurrent: () => true, signal: new AbortController().signal, fallbackCluster: 'pub1',
      newMachines: { subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)) },
    });

    expect(lateReported).toBe(true);
    // The late machine's first step ran while the early one's first step still waited: it joined that apply.
    expect(ran.indexOf('CMP0002:dhcp-ensure')).toBeGreaterThan(-1);
    expect(ran.indexOf('CMP0002:dhcp-ensure')).toBeLessThan(ran.indexOf('CMP0001 released'));
    expect(summary.nodes).toMatchObject({ active: 2 });
  }, 60_000);
});
