import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../reconciler/api/app.js';
import { createStepExecutor } from '../../reconciler/apply/driver-steps.js';
import { createReportSignals } from '../../reconciler/apply/report-signals.js';
import { runAction } from '../../reconciler/apply/run-action.js';
import type { ApplyDeps, ApplyNode } from '../../reconciler/apply/types.js';
import { buildDeployDrivers } from '../../reconciler/controller/deploy-drivers.js';
import { publishEncFile } from '../../reconciler/drivers/puppet/enc-store.js';
import { sleepUnlessAborted } from '../../reconciler/lib/abortable-sleep.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import type { PlannedAction, PlanStep } from '../../reconciler/plan/types.js';
import { openDatabase } from '../../reconciler/store/sqlite/open-database.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../support/hardware-report.js';
import { createPuppetSandbox, renderComputeEnc, type PuppetSandbox } from '../support/puppet.js';
import { startSshd, type TestSshd } from '../support/sshd.js';

const REVISION = `main@sha1:${'c'.repeat(40)}`;

describe('plinth serve --puppet-ssh: the installed node\'s Puppet run decides active or failed (real sshd and puppet)', () => {
  let sshd: TestSshd;
  let sandbox: PuppetSandbox;
  let work: string;
  let store: SqliteStore;
  let controllerStore: SqliteControllerStore;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    sshd = await startSshd();
    sandbox = await createPuppetSandbox();
    work = await mkdtemp(join(tmpdir(), 'plinth-serve-puppet-'));
    const db = openDatabase(':memory:');
    store = new SqliteStore(db);
    controllerStore = new SqliteControllerStore(db);
    app = createApp({ store, log: silentLogger(), clock: () => new Date('2026-03-01T02:00:00.000Z'), reports: { rateLimit: false } });
  });

  afterAll(async () => {
    await sshd?.stop();
    await sandbox?.cleanup();
    await store?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** The installed system's report: booted from disk, with its own SSH host key. */
  async function reportInstalled(serial: string, index: number): Promise<string> {
    const report = buildHardwareReport({ fixture: listHardwareFixtures()[0] as string, serial, macs: macsFor(index) });
    const body = { ...report, sections: { ...report.sections, sshHostKeys: [sshd.hostKey] }, os: { bootedFrom: 'disk' } };
    const response = await app.request('/v1/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
    expect(response.status).toBe(202);
    return ((await response.json()) as { node: { id: string } }).node.id;
  }

  async function installAndConfigure(short: string, index: number, parameters: Record<string, unknown>) {
    const nodeId = await reportInstalled(`PUP-${index}`, 40 + index);
    const node: ApplyNode = { nodeId, hostname: `${short}.example.net`, role: 'compute', addresses: {}, managementAddress: '127.0.0.1', encYaml: renderComputeEnc(sandbox, short, parameters) };
    const settings = { privateKey: sshd.clientPrivateKey, dataDir: work, encDir: sandbox.encDir, puppet: true, sshPort: sshd.port, puppetRunCommand: sandbox.applyCommand, puppetSummaryPath: sandbox.summaryPath };
    const execute = createStepExecutor({
      ...buildDeployDrivers(settings, { store, runCommand, log: silentLogger() }),
      publishEnc: (certname, encYaml) => publishEncFile({ encDir: sandbox.encDir }, certname, encYaml),
      signals: createReportSignals(store, sleepUnlessAborted, 20),
    });
    const steps: PlanStep[] = [{ op: 'wait-state', state: 'installed', timeoutSeconds: 5 }, { op: 'enc-publish', encDigest: 'd' }, { op: 'puppet-run' }];
    const action: PlannedAction = { id: `${nodeId}/enrol`, nodeId, hostname: node.hostname, role: 'compute', availabilityZone: 'az-1', kind: 'enrol', destructive: false, wave: 1, reason: 'new', steps, dependsOn: [] };
    const deps: ApplyDeps = {
      store: controllerStore, execute, nodes: new Map([[nodeId, node]]), approvals: { byKind: {} },
      limits: { maxParallel: 1, stopOnFailurePercent: 100, maxAttempts: 1 }, log: silentLogger(), now: () => '2026-03-01T01:59:00.000Z',
      sleep: sleepUnlessAborted, isCurrent: () => true, signal: new AbortController().signal,
    };
    const { result } = await runAction(action, node, REVISION, undefined, new Map(), deps);
    return { result, nodeId };
  }

  it('ends active after a successful run', async () => {
    const { result, nodeId } = await installAndConfigure('c1-compute-31', 1, { addresses: ['10.0.0.31'] });

    expect(result).toMatchObject({ outcome: 'succeeded', lifecycle: 'active' });
    expect(await store.getNode(nodeId)).toMatchObject({ state: 'active' });
  });

  it('ends failed with the run\'s reason when a resource fails', async () => {
    const { result, nodeId } = await installAndConfigure('c1-compute-32', 2, { addresses: ['10.0.0.32'], fail_health_check: true });

    expect(result).toMatchObject({ outcome: 'failed', lifecycle: 'failed' });
    expect(result.reason).toContain('1 resource failed');
    expect(await store.getNode(nodeId)).toMatchObject({ state: 'failed', errorType: 'PUPPET_RUN', errorMessage: expect.stringContaining("puppet-run: Puppet run failed on c1-compute-32.example.net") });
  });
});
