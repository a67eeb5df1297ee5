import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIpmitoolDriver } from '../../reconciler/drivers/bmc/ipmitool/index.js';
import type { BmcTarget } from '../../reconciler/drivers/bmc/types.js';
import { runCommand } from '../../reconciler/lib/command.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import type { EnrolledNode, StoredReport } from '../../reconciler/store/types.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { buildLabConfig, LAB_NODES, type LabConfig } from '../../lab/lab-config.js';
import { bringLabDown } from '../../lab/lab-down.js';
import { bringLabUp, generateBmcPassword, type RunningLab } from '../../lab/lab-up.js';
import { readLabState, type LabState } from '../../lab/lab-state.js';
import { ensureLiveSystem } from '../../lab/live-system.js';
import { waitFor as waitForSeconds } from '../../lab/lab-progress.js';
import { findMissingPrerequisites } from '../../lab/prerequisites.js';
import { readCommandLine } from '../../lab/processes.js';
import { createNamespaceRunner, namespaceExists } from '../../lab/provisioning-network.js';
import { LAB_CIPHER_SUITE } from '../../lab/simulated-bmc.js';

const missing = await findMissingPrerequisites();
if (missing.length > 0) console.warn(`SKIPPED lab discovery boot test: ${missing.join('; ')}`);
/** Polls `check` once a second for about `seconds`. */
const waitFor = <T>(check: () => Promise<T | undefined>, seconds: number): Promise<T | undefined> => waitForSeconds(check, seconds, 1000);

const describeInLab = missing.length > 0 ? describe.skip : describe;

describeInLab('the lab: a VM powered on through its BMC PXE-boots the live system and reports', () => {
  // Its own namespace (BMCs included) and folder, so it never meets a lab brought up by `npm run lab`.
  const suffix = (process.pid % 200) + 30;
  const node = { ...LAB_NODES[0]!, name: 'lab-test-1', serial: `PLINTH-LABTEST-${suffix}` };
  let root: string;
  let statePath: string;
  let config: LabConfig;
  let lab: RunningLab;
  let recorded: LabState | undefined;
  const password = generateBmcPassword();
  let target: BmcTarget;
  let bmc: ReturnType<typeof createIpmitoolDriver>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-lab-'));
    // dnsmasq drops to user nobody and must still reach its log and lease files below.
    await chmod(root, 0o755);
    statePath = join(root, 'state.json');
    config = buildLabConfig(process.cwd(), { namespace: `plinth-lt-${suffix}`, dir: join(root, 'run'), nodes: [node] });
    // The live system is built once and cached under .lab/cache; a cold build downloads the Debian packages.
    const liveDir = await ensureLiveSystem(undefined, 'pipe');
    lab = await bringLabUp(config, { statePath, liveDir, bmcPassword: password, controller: 'reports' });
    recorded = await readLabState(statePath);
    bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
    target = { address: `ipmi://${node.bmcAddress}:${config.bmcPort}`, credentials: { username: config.bmcUser, password } };
  }, 20 * 60_000);

  afterAll(async () => {
    await bringLabDown(statePath).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('stores the report, normalised, under the SMBIOS serial of the VM, then the VM powers off and the BMC reads off', async () => {
    await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
    await bmc.ensurePower(target, 'on');

    const store = SqliteStore.open(lab.databasePath);
    let enrolled: EnrolledNode | undefined;
    try {
      enrolled = await waitFor(async () => (await store.listNodes()).find((candidate) => candidate.macs.includes(node.mac)), 150);
    } finally {
      await store.close();
    }
    const powerAfter = await waitFor(async () => ((await bmc.getPower(target)) === 'off' ? 'off' : undefined), 60);
    const calls = (await readFile(join(lab.nodeDirs[node.name]!, 'calls.log'), 'utf8')).split('\n');
    const serialConsole = await readFile(join(lab.nodeDirs[node.name]!, 'console.log'), 'utf8').catch(() => '');

    // On failure, the VM's serial console says how far it got.
    expect({ enrolled: enrolled !== undefined, console: enrolled ? '' : serialConsole.slice(-3000) }).toEqual({ enrolled: true, console: '' });
    expect(enrolled).toMatchObject({ id: node.serial, identitySource: 'system-serial', serial: node.serial, state: 'discovered' });
    expect(calls).toEqual(expect.arrayContaining(['set boot pxe', 'set power 1']));
    expect(powerAfter).toBe('off');
  }, 240_000);

  it('boots a node plinth provisions into the deploy environment: it reports its SSH host key, stays up, and serves the controller that key', async () => {
    await writeFile(lab.nodeStatesPath, JSON.stringify({ [node.mac]: 'provisioning' }));
    await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
    await bmc.ensurePower(target, 'on');

    const store = SqliteStore.open(lab.databasePath);
    let report: StoredReport<Inventory> | undefined;
    try {
      report = await waitFor(async () => {
        const reports = await store.listReports<Inventory>(node.serial);
        return reports.length >= 2 ? reports[0] : undefined;
      }, 150);
    } finally {
      await store.close();
    }
    const hostKey = report?.inventory.sshHostKeys[0] ?? '';
    const address = report?.sourceAddress ?? '';
    // The reported key is the only one trusted: the connection only succeeds if sshd presents exactly that key.
    const knownHosts = join(root, 'known_hosts');
    await writeFile(knownHosts, `${address} ${hostKey.split(' ').slice(0, 2).join(' ')}\n`);
    const sshArgs = ['netns', 'exec', config.namespace, 'ssh', '-i', lab.sshKeyPath, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'ConnectTimeout=20', `root@${address}`, 'cat /proc/cmdline'];
    const ssh = await runCommand('ip', sshArgs, { timeoutMs: 60_000 });
    const powerWhileDeploying = await bmc.getPower(target);
    await bmc.ensurePower(target, 'off');
    const powerAfterOff = await bmc.getPower(target);

    expect(hostKey).toMatch(/^ssh-ed25519 AAAA/);
    expect({ exitCode: ssh.exitCode, stderr: ssh.exitCode === 0 ? '' : ssh.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(ssh.stdout).toContain('plinth.mode=deploy');
    expect(powerWhileDeploying).toBe('on');
    expect(powerAfterOff).toBe('off');
  }, 240_000);

  it('down stops every recorded process and removes the namespace, the taps with it, and the lab folder', async () => {
    const pids = recorded?.processes.map((entry) => entry.pid) ?? [];

    const report = await bringLabDown(statePath);

    expect(pids.length).toBe(3);
    expect(report?.stoppedPids).toEqual(expect.arrayContaining(pids));
    // A stopped child not yet reaped is a zombie with an empty command line: it no longer runs anything.
    const stillRunning = await Promise.all(pids.map(async (pid) => ((await readCommandLine(pid)) ?? []).length > 0));
    expect(stillRunning.filter(Boolean)).toEqual([]);
    expect(await namespaceExists(config.namespace)).toBe(false);
    expect(existsSync(config.dir)).toBe(false);
    expect(existsSync(statePath)).toBe(false);
  }, 60_000);
});
