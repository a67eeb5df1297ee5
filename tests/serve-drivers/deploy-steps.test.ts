import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp } from '../../reconciler/api/app.js';
import { createStepExecutor } from '../../reconciler/apply/driver-steps.js';
import { createReportSignals } from '../../reconciler/apply/report-signals.js';
import { runAction } from '../../reconciler/apply/run-action.js';
import type { ApplyNode, StepContext, StepExecutor } from '../../reconciler/apply/types.js';
import { buildDeployDrivers } from '../../reconciler/controller/deploy-drivers.js';
import { publishEncFile } from '../../reconciler/drivers/puppet/enc-store.js';
import { sleepUnlessAborted } from '../../reconciler/lib/abortable-sleep.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { openSshSession, type SshConnector } from '../../reconciler/lib/ssh-session.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import type { PlannedAction, PlanStep } from '../../reconciler/plan/types.js';
import { openDatabase } from '../../reconciler/store/sqlite/open-database.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../support/hardware-report.js';
import { generateKeyPair, startSshd, type TestSshd } from '../support/sshd.js';
import { createFileDiskNode, createRawImage, readDiskRange, sha256Of } from '../image/disk-node.js';

const MiB = 1024 * 1024;
const REVISION = `main@sha1:${'b'.repeat(40)}`;

describe('plinth serve drives image push, disk wipe and the installed-state wait (real sshd as the deploy environment)', () => {
  let sshd: TestSshd;
  let work: string;
  let store: SqliteStore;
  let controllerStore: SqliteControllerStore;
  let clock = new Date('2026-03-01T00:00:00.000Z');
  let app: ReturnType<typeof createApp>;
  let serial = 0;

  beforeAll(async () => {
    sshd = await startSshd();
    work = await mkdtemp(join(tmpdir(), 'plinth-serve-drivers-'));
    const db = openDatabase(':memory:');
    store = new SqliteStore(db);
    controllerStore = new SqliteControllerStore(db);
    app = createApp({ store, log: silentLogger(), clock: () => clock, reports: { rateLimit: false } });
  });

  afterAll(async () => {
    await sshd?.stop();
    await store?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  /** Posts a report through the report API at `at`, from the live system or (with `os`) the installed one. */
  async function postReport(nodeSerial: string, index: number, at: string, extra: { hostKey?: string; os?: { bootedFrom: 'disk'; image?: string } } = {}): Promise<string> {
    clock = new Date(at);
    const report = buildHardwareReport({ fixture: listHardwareFixtures()[0] as string, serial: nodeSerial, macs: macsFor(index) });
    const body = { ...report, sections: { ...report.sections, sshHostKeys: [extra.hostKey ?? sshd.hostKey] }, ...(extra.os ? { os: extra.os } : {}) };
    const response = await app.request('/v1/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
    expect(response.status).toBe(202);
    return ((await response.json()) as { node: { id: string } }).node.id;
  }

  function buildExecutor(listDisksCommand: string, encDir = join(work, 'enc'), connect?: SshConnector): StepExecutor {
    const settings = { privateKey: sshd.clientPrivateKey, dataDir: work, encDir, puppet: false, sshPort: sshd.port, listDisksCommand };
    return createStepExecutor({
      ...buildDeployDrivers(settings, { store, runCommand, log: silentLogger(), ...(connect ? { connect } : {}) }),
      publishEnc: (certname, encYaml) => publishEncFile({ encDir }, certname, encYaml),
      signals: createReportSignals(store, sleepUnlessAborted, 20),
    });
  }

  function contextFor(node: ApplyNode, steps: PlanStep[], since: string): StepContext {
    const action: PlannedAction = { id: `${node.nodeId}/enrol`, nodeId: node.nodeId, hostname: node.hostname, role: 'compute', availabilityZone: 'az-1', kind: 'enrol', destructive: false, wave: 1, reason: 'new', steps, dependsOn: [] };
    return { node, revision: REVISION, action, since, signal: new AbortController().signal, log: silentLogger() };
  }

  async function newNode(diskBytes: number, image?: { path: string; sha256: string }): Promise<{ node: ApplyNode; disks: Record<string, string>; listDisksCommand: string }> {
    serial += 1;
    const disks = await createFileDiskNode(work, [{ name: 'vda', sizeBytes: diskBytes, serial: `DISK-${serial}`, model: 'Virtual disk' }]);
    const nodeId = await postReport(`SRV-${serial}`, serial, '2026-03-01T00:00:00.000Z');
    const node: ApplyNode = {
      nodeId, hostname: `lab-cmp-${serial}`, role: 'compute', addresses: {}, encYaml: 'classes: {}\n', provisioningAddress: '127.0.0.1',
      ...(image ? { image: { name: 'debian-12', url: pathToFileURL(image.path).href, sha256: image.sha256, format: 'raw' } } : {}),
    };
    return { node, disks: disks.disks, listDisksCommand: disks.listDisksCommand };
  }

  const deployStep: PlanStep = { op: 'image-deploy', image: 'debian-12', sha256: '' };
  const dhcpStep: PlanStep = { op: 'dhcp-ensure', mac: '02:00:00:00:00:01', ip: '127.0.0.1', hostname: 'x' };

  it('pushes the Image to the node\'s disk over SSH with the host key pinned from its live-system report', async () => {
    const image = await createRawImage(work, 'golden-a.img', 3, 1);
    const { node, disks, listDisksCommand } = await newNode(32 * MiB, image);

    const outcome = await buildExecutor(listDisksCommand)(deployStep, contextFor(node, [dhcpStep, deployStep], '2026-02-28T00:00:00.000Z'));

    expect(outcome.detail).toMatchObject({ changed: true, disk: disks.vda, digest: image.sha256, bytesWritten: 4 * MiB });
    expect(sha256Of(await readDiskRange(disks.vda as string, 4 * MiB))).toBe(image.sha256);
  });

  it('refuses a deploy environment whose host key is not the one its report gave, writing nothing', async () => {
    const image = await createRawImage(work, 'golden-b.img', 1);
    const { node, disks, listDisksCommand } = await newNode(16 * MiB, image);
    const other = await generateKeyPair(work, `other-host-${serial}`);
    await postReport(`SRV-${serial}`, serial, '2026-03-01T00:01:00.000Z', { hostKey: other.publicKey });

    const push = buildExecutor(listDisksCommand)(deployStep, contextFor(node, [dhcpStep, deployStep], '2026-02-28T00:00:00.000Z'));

    await expect(push).rejects.toMatchObject({ code: 'IMAGE_HOST_KEY' });
    expect(sha256Of(await readDiskRange(disks.vda as string, MiB))).toBe(sha256Of(Buffer.alloc(MiB)));
  });

  it('fails with the disk sizes when no disk holds the image', async () => {
    const image = await createRawImage(work, 'golden-c.img', 2);
    const { node, listDisksCommand } = await newNode(MiB, image);

    const push = buildExecutor(listDisksCommand)(deployStep, contextFor(node, [dhcpStep, deployStep], '2026-02-28T00:00:00.000Z'));

    await expect(push).rejects.toMatchObject({ code: 'IMAGE_NO_DISK', message: expect.stringContaining('vda: 1 MiB, below 2 MiB') });
  });

  it('refuses an Image whose file does not match the manifest\'s sha256 before connecting', async () => {
    const image = await createRawImage(work, 'golden-d.img', 1);
    const { node, listDisksCommand } = await newNode(16 * MiB, { path: image.path, sha256: 'f'.repeat(64) });

    let connections = 0;
    const counted: SshConnector = (endpoint) => ((connections += 1), openSshSession(endpoint));

    const push = buildExecutor(listDisksCommand, join(work, 'enc'), counted)(deployStep, contextFor(node, [dhcpStep, deployStep], '2026-02-28T00:00:00.000Z'));

    await expect(push).rejects.toMatchObject({ code: 'IMAGE_CHECKSUM' });
    expect(connections).toBe(0);
  });

  it('wipes every disk: signatures gone and both ends read back as zero', async () => {
    const { node, disks, listDisksCommand } = await newNode(8 * MiB);
    const disk = disks.vda as string;
    await writeFile(disk, randomBytes(8 * MiB));
    const mkfs = await runCommand('mkfs.ext4', ['-q', '-F', disk]);
    expect(mkfs.exitCode).toBe(0);
    const step: PlanStep = { op: 'disk-wipe' };

    const outcome = await buildExecutor(listDisksCommand)(step, contextFor(node, [dhcpStep, step], '2026-02-28T00:00:00.000Z'));

    expect(outcome.detail).toEqual({ wiped: [disk] });
    const content = await readFile(disk);
    expect(sha256Of(content.subarray(0, MiB))).toBe(sha256Of(Buffer.alloc(MiB)));
    expect(sha256Of(content.subarray(7 * MiB))).toBe(sha256Of(Buffer.alloc(MiB)));
    expect((await runCommand('wipefs', ['--noheadings', disk])).stdout.trim()).toBe('');
  });

  it('waits for installed until the installed system reports from disk; a live-system report does not count', async () => {
    const { node, listDisksCommand } = await newNode(8 * MiB, { path: '/dev/null', sha256: '0'.repeat(64) });
    const execute = buildExecutor(listDisksCommand);
    const wait: PlanStep = { op: 'wait-state', state: 'installed', timeoutSeconds: 1 };
    await postReport(`SRV-${serial}`, serial, '2026-03-01T01:00:00.000Z');

    await expect(execute(wait, contextFor(node, [wait], '2026-03-01T00:30:00.000Z'))).rejects.toMatchObject({ code: 'APPLY_WAIT_TIMEOUT', message: expect.stringContaining('reported from the live system') });
    await postReport(`SRV-${serial}`, serial, '2026-03-01T01:01:00.000Z', { os: { bootedFrom: 'disk', image: 'debian-12' } });
    const outcome = await execute(wait, contextFor(node, [wait], '2026-03-01T00:30:00.000Z'));
    const deployReady: PlanStep = { op: 'wait-state', state: 'deploy-ready', timeoutSeconds: 1 };

    expect(outcome.detail).toEqual({ reportedAt: '2026-03-01T01:01:00.000Z', image: 'debian-12' });
    await expect(execute(deployReady, contextFor(node, [deployReady], '2026-03-01T00:30:00.000Z'))).rejects.toMatchObject({ code: 'APPLY_WAIT_TIMEOUT' });
  });

  it('waits for deploy-ready until the live system reports after the power cycle', async () => {
    const { node, listDisksCommand } = await newNode(8 * MiB);
    const deployReady: PlanStep = { op: 'wait-state', state: 'deploy-ready', timeoutSeconds: 1 };
    const context = contextFor(node, [deployReady], '2026-03-01T03:00:00.000Z');
    const execute = buildExecutor(listDisksCommand);

    await expect(execute(deployReady, context)).rejects.toMatchObject({ code: 'APPLY_WAIT_TIMEOUT' });
    await postReport(`SRV-${serial}`, serial, '2026-03-01T03:00:05.000Z');
    expect((await execute(deployReady, context)).detail).toEqual({ reportedAt: '2026-03-01T03:00:05.000Z' });
  });

  it('without a Puppet driver, a node whose installed system reported ends installed with its ENC delivered', async () => {
    const { node, listDisksCommand } = await newNode(8 * MiB, { path: '/dev/null', sha256: '0'.repeat(64) });
    const encDir = join(work, 'enc-installed');
    const steps: PlanStep[] = [{ op: 'wait-state', state: 'installed', timeoutSeconds: 5 }, { op: 'enc-publish', encDigest: 'd' }, { op: 'puppet-run' }];
    const action: PlannedAction = { ...contextFor(node, steps, '').action };
    await postReport(`SRV-${serial}`, serial, '2026-03-01T02:00:00.000Z', { os: { bootedFrom: 'disk' } });
    const deps = {
      store: controllerStore, execute: buildExecutor(listDisksCommand, encDir), nodes: new Map([[node.nodeId, node]]), approvals: { byKind: {} },
      limits: { maxParallel: 1, stopOnFailurePercent: 100, maxAttempts: 1 }, log: silentLogger(), now: () => '2026-03-01T01:59:00.000Z',
      sleep: sleepUnlessAborted, isCurrent: () => true, signal: new AbortController().signal,
    };

    const { result } = await runAction(action, node, REVISION, undefined, new Map(), deps);

    expect(result).toMatchObject({ outcome: 'succeeded', lifecycle: 'installed' });
    expect(await readFile(join(encDir, `${node.hostname}.yaml`), 'utf8')).toBe('classes: {}\n');
    expect(await store.getNode(node.nodeId)).toMatchObject({ state: 'installed', status: 'enrol done: installed (ENC delivered; Puppet not run)' });
    const journal = await controllerStore.listJournal({ revision: REVISION, nodeId: node.nodeId });
    expect(journal.at(-1)?.detail).toMatchObject({ skipped: 'no Puppet driver configured' });
  });
});
