import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createIpmitoolDriver } from '../../reconciler/drivers/bmc/ipmitool/index.js';
import { hostFileName } from '../../reconciler/drivers/dhcp/host-file.js';
import { runCommand } from '../../reconciler/lib/command.js';
import type { EnrolledNode, StoredReport } from '../../reconciler/store/types.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { buildLabConfig, LAB_NODES, type LabConfig } from '../../lab/lab-config.js';
import { bringLabDown } from '../../lab/lab-down.js';
import { bringLabUp, generateBmcPassword, type RunningLab } from '../../lab/lab-up.js';
import { ensureLiveSystem } from '../../lab/live-system.js';
import { git, hasPlinthServe } from '../../lab/plinth-serve.js';
import { findMissingPrerequisites } from '../../lab/prerequisites.js';
import { createNamespaceRunner } from '../../lab/provisioning-network.js';
import { LAB_CIPHER_SUITE } from '../../lab/simulated-bmc.js';

const missing = [...(await findMissingPrerequisites()), ...((await hasPlinthServe()) ? [] : ['this checkout has no `plinth serve`'])];
if (missing.length > 0) console.warn(`SKIPPED lab enrolment through plinth serve: ${missing.join('; ')}`);
const describeInLab = missing.length > 0 ? describe.skip : describe;

async function waitFor<T>(check: () => Promise<T | undefined>, seconds: number): Promise<T | undefined> {
  for (let tick = 0; tick < seconds; tick += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(1000);
  }
  return check();
}

async function readNode(databasePath: string, serial: string): Promise<{ node?: EnrolledNode; reports: StoredReport<unknown>[] }> {
  const store = SqliteStore.open(databasePath);
  try {
    return { node: await store.getNode(serial), reports: await store.listReports(serial) };
  } finally {
    await store.close();
  }
}

describeInLab('the lab under plinth serve: a pinned node is discovered, then enrolled by the controller', () => {
  const suffix = (process.pid % 200) + 30;
  const node = LAB_NODES[0]!;
  let root: string;
  let config: LabConfig;
  let lab: RunningLab;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-lab-serve-'));
    await chmod(root, 0o755);
    config = buildLabConfig(process.cwd(), { namespace: `plinth-ls-${suffix}`, dir: join(root, 'run'), nodes: [node] });
    const password = generateBmcPassword();
    lab = await bringLabUp(config, { statePath: join(root, 'state.json'), liveDir: await ensureLiveSystem(undefined, 'pipe'), bmcPassword: password, controller: 'serve' });
    const bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
    const target = { address: `ipmi://${node.bmcAddress}:${config.bmcPort}`, credentials: { username: config.bmcUser, password } };
    await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
    await bmc.ensurePower(target, 'on');
  }, 20 * 60_000);

  afterAll(async () => {
    await bringLabDown(join(root, 'state.json')).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('reserves the node its manifest address, boots it through its BMC, and notes the commit as enrolled', async () => {
    const discovered = await waitFor(async () => (await readNode(lab.databasePath, node.serial)).node, 150);
    // A commit after discovery makes the controller plan with the node known.
    const repo = join(config.dir, 'cluster');
    await git(repo, ['commit', '-q', '--allow-empty', '-m', 'lab: enrol the discovered node']);
    const note = await waitFor(async () => {
      const shown = await runCommand('git', ['notes', '--ref=plinth', 'show', 'HEAD'], { cwd: repo, timeoutMs: 10_000 });
      return shown.exitCode === 0 && shown.stdout.includes('enrol') ? shown.stdout : undefined;
    }, 180);
    const { node: enrolled, reports } = await readNode(lab.databasePath, node.serial);
    const reservation = await readFile(join(config.dir, 'dnsmasq', 'hosts.d', hostFileName(node.mac)), 'utf8').catch(() => '');

    expect(discovered?.serial).toBe(node.serial);
    expect(note).toContain('enrol: 1 succeeded');
    expect(reservation).toContain('10.250.0.11');
    // The second report came after the controller's power-on, from the address its DHCP reservation gave.
    expect(reports.map((report) => report.sourceAddress)).toContain('10.250.0.11');
    expect(enrolled?.state).not.toBe('failed');
  }, 400_000);
});
