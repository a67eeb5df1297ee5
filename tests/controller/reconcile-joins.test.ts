import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepExecutor } from '../../reconciler/apply/types.js';
import { createCompiler } from '../../reconciler/compile/compile.js';
import { ControllerMetrics } from '../../reconciler/controller/metrics.js';
import { reconcileRevision } from '../../reconciler/controller/reconcile-revision.js';
import { claimFromInventory, decideEnrolment } from '../../reconciler/inventory/enrol.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { buildExampleInventory, EXAMPLE_MACHINES } from '../support/example-inventory.js';

const REVISION = `main@sha1:${'b'.repeat(40)}`;
const EXAMPLE_REPO = join(import.meta.dirname, '..', '..', 'cluster-repo-example');

async function ingest(store: SqliteStore, inventory: Inventory): Promise<void> {
  await store.ingestReport(
    { rawBody: Buffer.from('{}'), inventory, claim: claimFromInventory(inventory), receivedAt: '2026-01-02T00:00:00Z' },
    (claim, context) => decideEnrolment(claim, context, inventory),
  );
}

describe('reconcileRevision and machines that report while it plans', () => {
  let dir: string;
  let store: SqliteStore;
  let controllerStore: SqliteControllerStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plinth-reconcile-joins-'));
    store = SqliteStore.open(join(dir, 'plinth.db'));
    controllerStore = SqliteControllerStore.open(join(dir, 'plinth.db'));
  });

  afterAll(async () => {
    await controllerStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plans a machine in once the apply starts when its first report came after the inventory was read', async () => {
    const index = (serial: string) => EXAMPLE_MACHINES.findIndex((machine) => machine.serial === serial);
    const early = buildExampleInventory(EXAMPLE_MACHINES[index('CMP0001')] ?? EXAMPLE_MACHINES[0]!, index('CMP0001'));
    const late = buildExampleInventory(EXAMPLE_MACHINES[index('CMP0002')] ?? EXAMPLE_MACHINES[0]!, index('CMP0002'));
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
        await Promise.race([lateStarted, new Promise((resolve) => setTimeout(resolve, 5_000))]);
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
