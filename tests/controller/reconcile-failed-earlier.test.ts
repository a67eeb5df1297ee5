import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { StepExecutor } from '../../reconciler/apply/types.js';
import { createCompiler } from '../../reconciler/compile/compile.js';
import { ControllerMetrics } from '../../reconciler/controller/metrics.js';
import { reconcileRevision } from '../../reconciler/controller/reconcile-revision.js';
import { asksForReplan } from '../../reconciler/controller/replan-on-report.js';
import { PlinthError } from '../../reconciler/lib/errors.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { renderSummaryNote } from '../../reconciler/report/summary.js';
import { EXAMPLE_DIR as EXAMPLE_REPO } from '../plan/example-repo.js';
import { buildExampleInventoryOf as inventoryOf } from '../support/example-inventory.js';
import { ingestInventory as ingest, openTempStores, type TempStores } from '../support/stores.js';

const REVISION = `main@sha1:${'c'.repeat(40)}`;


describe('reconcileRevision and a machine that failed at the same commit', () => {
  let stores: TempStores;
  const ran: string[] = [];
  /** CMP0002's disk is too small until the test says it was replaced. */
  let broken = true;
  let metrics = new ControllerMetrics();
  const execute: StepExecutor = async (step, context) => {
    ran.push(`${context.node.nodeId}:${step.op}`);
    if (broken && context.node.nodeId === 'CMP0002' && step.op === 'dhcp-ensure') throw new PlinthError('IMAGE_NO_DISK', 'no disk fits the image (40 MiB): vda: 32 MiB');
    return {};
  };
  const reconcile = () => reconcileRevision({ revision: REVISION, treePath: EXAMPLE_REPO, commitMessage: 'computes' }, {
    store: stores.store, controllerStore: stores.controllerStore, compiler: createCompiler(), execute, resolveSecret: async () => 'unused', metrics, log: silentLogger(),
    now: () => new Date().toISOString(), sleep: async () => undefined, isCurrent: () => true, signal: new AbortController().signal, fallbackCluster: 'pub1',
  });

  beforeEach(() => {
    stores = openTempStores('plinth-reconcile-failed-earlier-');
    ran.length = 0;
    broken = true;
    metrics = new ControllerMetrics();
  });

  afterEach(async () => stores.remove());

  it('leaves it failed when another machine\'s report re-plans the commit, and tries it again once it reports itself', async () => {
    await ingest(stores.store, inventoryOf('CMP0001'));
    await ingest(stores.store, inventoryOf('CMP0002'));
    const first = await reconcile();
    expect(first.failures).toEqual([{ node: expect.stringMatching(/^pub1-compute-/), action: 'enrol', reason: 'dhcp-ensure failed: no disk fits the image (40 MiB): vda: 32 MiB' }]);
    expect(ran.filter((entry) => entry.startsWith('CMP0002:'))).toEqual(['CMP0002:dhcp-ensure']);

    // A third machine reports: the same commit is planned again. The failed machine reported nothing since it failed.
    ran.length = 0;
    await ingest(stores.store, inventoryOf('CN7016394F0B2A'));
    const second = await reconcile();

    expect(ran.filter((entry) => entry.startsWith('CMP0002:'))).toEqual([]);
    expect(ran.some((entry) => entry.startsWith('CN7016394F0B2A:'))).toBe(true);
    expect(second.failures).toEqual(first.failures);
    expect(second.counts['enrol']).toEqual({ succeeded: 2, failed: 1 });
    expect(second.nodes).toEqual({ active: 2, failed: 1 });
    expect(renderSummaryNote(second)).toContain('dhcp-ensure failed: no disk fits the image');
    // The metrics count what ran: the one failure, not its repetition in the second pass.
    expect(metrics.actions.get('enrol\u0000failed')).toBe(1);

    // Its disk replaced, the machine boots and reports again: the next pass of the same commit tries it again.
    broken = false;
    ran.length = 0;
    const report = await ingest(stores.store, inventoryOf('CMP0002'), new Date(Date.now() + 1_000).toISOString());
    expect(asksForReplan(report)).toBe(true);
    const third = await reconcile();

    expect(ran.filter((entry) => entry.startsWith('CMP0002:'))[0]).toBe('CMP0002:dhcp-ensure');
    expect(third.failures).toEqual([]);
    expect(third.nodes).toEqual({ active: 3 });
  }, 60_000);

  it('after a controller stop that ended no pass, reads what was done from the journal: the failure stands, the note has every node', async () => {
    await ingest(stores.store, inventoryOf('CMP0001'));
    await ingest(stores.store, inventoryOf('CMP0002'));
    const first = await reconcile();
    // The next pass was picked up, then the controller was killed before it ended: its record holds no results.
    await stores.controllerStore.recordRevision(REVISION, 'picked-up', new Date().toISOString());
    ran.length = 0;
    await ingest(stores.store, inventoryOf('CN7016394F0B2A'));

    const after = await reconcile();

    expect(ran.filter((entry) => entry.startsWith('CMP0002:'))).toEqual([]);
    expect(after.failures).toEqual(first.failures);
    expect(after.counts['enrol']).toEqual({ succeeded: 2, failed: 1 });
    expect(after.nodes).toEqual({ active: 2, failed: 1 });
  }, 60_000);
});
