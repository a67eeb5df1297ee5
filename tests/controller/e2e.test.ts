import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { createDnsmasqDriver } from '../../reconciler/drivers/dhcp/dnsmasq/dnsmasq-driver.js';
import { buildTestSettings } from '../support/dnsmasq-settings.js';
import { ensureDnsmasqConfig, loadDnsmasqTemplate, type DnsmasqSettings } from '../../reconciler/drivers/dhcp/index.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { startDnsmasq, type RunningDnsmasq } from '../dhcp/start-dnsmasq.js';
import { createGitFixture, testGit, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { readState, SIMULATOR_CIPHER_SUITE, startBmc, stopBmcs, waitForState, type SimulatedBmc } from '../support/ipmi-sim.js';
import { createNetnsPair, explainMissingNetns, type NetnsPair } from '../support/netns.js';
import { readExampleBase, renderNodeManifests, type E2eMachine } from './e2e-repo.js';
import { answerBoots, postReport, readJournal, sendPushHook, waitForRevision, type ReportingMachine } from './harness.js';

const missing = await explainMissingNetns();
if (missing) console.warn(`SKIPPED controller end-to-end test: ${missing}`);
const describeWithNetns = missing ? describe.skip : describe;

const SECRET = 'e2e-webhook-secret';
const PASSWORD_ENV = 'PLINTH_E2E_BMC_PASSWORD';
const UDHCPC_SCRIPT = '#!/bin/sh\ncase "$1" in bound|renew) env > "${0%/*}/lease.env" ;; esac\nexit 0\n';
const COMPUTE_PROFILE = join('hardware', 'profiles', 'compute.yaml');

describeWithNetns('plinth serve following a Git branch, with ipmi_sim BMCs and dnsmasq in a namespace', () => {
  let dir: string;
  let git: GitFixture;
  let pair: NetnsPair;
  let dnsmasq: RunningDnsmasq | undefined;
  let dhcpSettings: DnsmasqSettings;
  let bmcs: SimulatedBmc[] = [];
  let machines: (E2eMachine & ReportingMachine)[] = [];
  let plinth: RunningPlinth | undefined;
  let baseFiles: Record<string, string>;
  const revisions: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-e2e-'));
    git = await createGitFixture('plinth-e2e-git-');
    bmcs = [await startBmc({ address: '127.0.0.2' }), await startBmc({ address: '127.0.0.3' })];
    const specs = [
      { name: 'e2e-controller', serial: '7XQK2M3', fixture: 'dell/poweredge-r650/AF241F438036', profile: 'controller' },
      { name: 'e2e-compute', serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute' },
    ];
    machines = specs.map((spec, index) => {
      const bmc = bmcs[index] as SimulatedBmc;
      return { ...spec, macs: macsFor(index + 1), bmcUrl: bmc.url, statePath: bmc.statePath };
    });
    pair = await createNetnsPair({ serverAddress: '10.30.0.1/22', clientMac: machines[0]?.macs[0] ?? '' });
    dhcpSettings = buildTestSettings(join(dir, 'dhcp'), {
      interface: pair.server.interface, network: '10.30.0.0/22', serverAddress: '10.30.0.1',
      discoveryRange: { start: '10.30.3.100', end: '10.30.3.199' }, controllerUrl: 'http://10.30.0.1:8080',
    });
    // dnsmasq drops to user nobody, which must read the host files and the TFTP root.
    await chmod(dir, 0o755);
    for (const folder of [dhcpSettings.paths.hostsDir, dhcpSettings.paths.stagingDir, dhcpSettings.paths.tftpRoot]) await mkdir(folder, { recursive: true, mode: 0o755 });
    const driver = createDnsmasqDriver({ settings: dhcpSettings, template: await loadDnsmasqTemplate() });
    await ensureDnsmasqConfig(join(dir, 'dnsmasq.conf'), driver.renderConfig(), runCommand);
    dnsmasq = await startDnsmasq(pair, pair.server, join(dir, 'dnsmasq.conf'), dhcpSettings.paths.logFile);
    baseFiles = await readExampleBase();
    revisions.push(await git.commitFiles(baseFiles, 'cluster without machines'));
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000,
      listen: { host: '127.0.0.1', port: 0 }, webhookSecrets: [SECRET], notes: true, dnsmasq: dhcpSettings,
      ipmiCipherSuite: SIMULATOR_CIPHER_SUITE, env: { [PASSWORD_ENV]: bmcs[0]?.password }, secretsDir: join(dir, 'secrets'),
      reports: { rateLimit: false },
    }, silentLogger());
    await waitForRevision(plinth.url, `main@sha1:${revisions[0]}`);
  }, 120_000);

  afterAll(async () => {
    await plinth?.stop();
    await stopBmcs(bmcs);
    await dnsmasq?.stop();
    await pair?.destroy();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  /** The note on `sha` in the remote; published just after the revision's status is recorded, so polled. */
  async function readNote(sha: string): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const note = await testGit(git.bareDir).raw(['notes', '--ref=plinth', 'show', sha]).catch(() => undefined);
      if (note !== undefined) return note;
      await sleep(100);
    }
    throw new Error(`no note on ${sha}`);
  }

  async function readRevisionJournal(revision: string): Promise<{ action: string; state: string }[]> {
    return (await readJournal(join(dir, 'data'), revision)).map(({ action, state }) => ({ action, state }));
  }

  async function commitAndNotify(files: Record<string, string>, message: string): Promise<string> {
    const sha = await git.commitFiles(files, message);
    revisions.push(sha);
    expect(await sendPushHook(plinth?.url ?? '', SECRET)).toBe(202);
    return sha;
  }

  it('enrols the machines a commit adds: DHCP reservations, boot devices on the BMCs, ENCs, and a note on the commit', async () => {
    const url = plinth?.url ?? '';
    for (const machine of machines) expect(await postReport(url, machine)).toBe(202);
    const boots = answerBoots(() => url, machines);
    const sha = await commitAndNotify({ 'nodes/e2e.yaml': renderNodeManifests(machines, PASSWORD_ENV, bmcs[0]?.user ?? '') }, 'add two machines');
    const status = await waitForRevision(url, `main@sha1:${sha}`).finally(() => boots.stop());

    expect(status.lastApplied?.revision).toBe(`main@sha1:${sha}`);
    const hosts = await createDnsmasqDriver({ settings: dhcpSettings, template: await loadDnsmasqTemplate() }).listHosts();
    expect(hosts.map((host) => host.hostname).sort()).toEqual(['pub1-compute-1', 'pub1-controller-1'].map((name) => expect.stringContaining(name)));
    for (const machine of machines) {
      // ipmi_sim answers a power cycle before its hook switches the machine back on.
      const state = await waitForState(machine.statePath, (current) => current.power === 'on');
      expect(state.calls).toContain('set boot pxe');
      expect(state.boot).toBe('default');
      expect(state.power).toBe('on');
    }
    const enc = parse(await readFile(join(dir, 'data', 'enc', 'pub1-controller-1.pub1.example.net.yaml'), 'utf8')) as { classes: Record<string, unknown> };
    expect(Object.keys(enc.classes).length).toBeGreaterThan(0);
    const journal = await readRevisionJournal(`main@sha1:${sha}`);
    expect(journal.length).toBe(20);
    expect(journal.every((entry) => entry.state === 'succeeded')).toBe(true);
    expect(await readNote(sha)).toContain(`plinth: pub1 main@sha1:${sha} success (applied)`);
  }, 180_000);

  it('hands the reserved address to the machine over real DHCP in the namespace', async () => {
    await writeFile(join(dir, 'udhcpc.sh'), UDHCPC_SCRIPT, { mode: 0o755 });
    const args = ['udhcpc', '-i', pair.client.interface, '-q', '-n', '-t', '3', '-T', '1', '-s', join(dir, 'udhcpc.sh')];
    await pair.exec(pair.client, 'busybox', args, 20_000);
    const lease = await readFile(join(dir, 'lease.env'), 'utf8');
    const hosts = await createDnsmasqDriver({ settings: dhcpSettings, template: await loadDnsmasqTemplate() }).listHosts();
    const reserved = hosts.find((host) => host.mac === machines[0]?.macs[0]);
    expect(lease).toContain(`ip=${reserved?.ip}`);
  }, 60_000);

  it("blocks the reprovision a profile's role change causes until it is approved, and says so in the note", async () => {
    const computeCalls = (await readState(machines[1]?.statePath ?? '')).calls.length;
    const compute = baseFiles[COMPUTE_PROFILE] ?? '';
    const changed = compute.replace(/(name: compute\n[\s\S]*?) {2}role: compute\n/, '$1  role: network\n');
    expect(changed).not.toBe(compute);

    const sha = await commitAndNotify({ [COMPUTE_PROFILE]: changed }, 'compute profile becomes network');
    const status = await waitForRevision(plinth?.url ?? '', `main@sha1:${sha}`);

    const reprovision = status.blocked.find((note) => note.node === 'pub1-compute-1.pub1.example.net' && note.action === 'reprovision');
    expect(reprovision?.reason).toContain('Plinth-Approve: reprovision pub1-compute-1');
    const note = await readNote(sha);
    expect(note).toContain('failure (applied)');
    expect(note).toMatch(/blocked:\n {2}- pub1-compute-1\.pub1\.example\.net reprovision: .*needs approval/);
    expect((await readState(machines[1]?.statePath ?? '')).calls.length).toBe(computeCalls);
    expect((await readRevisionJournal(`main@sha1:${sha}`)).filter((entry) => entry.action.startsWith('CMP0001/'))).toEqual([]);
  }, 120_000);

  it('applies nothing from an invalid commit, keeps the last good revision, and notes the located errors', async () => {
    const lastGood = `main@sha1:${revisions.at(-1)}`;
    const broken = ['apiVersion: plinth/v1', 'kind: Node', 'metadata: { name: stray }', 'spec:', '  serial: STRAY01', '  profile: no-such-profile', ''].join('\n');

    const sha = await commitAndNotify({ 'nodes/stray.yaml': broken }, 'a Node with an unknown profile');
    const status = await waitForRevision(plinth?.url ?? '', `main@sha1:${sha}`);

    expect(status.lastAttempted).toMatchObject({ revision: `main@sha1:${sha}`, phase: 'invalid' });
    expect(status.lastApplied?.revision).toBe(lastGood);
    expect(status.validationErrors[0]).toMatchObject({ file: 'nodes/stray.yaml', line: expect.any(Number) });
    expect(await readRevisionJournal(`main@sha1:${sha}`)).toEqual([]);
    const note = await readNote(sha);
    expect(note).toContain('failure (invalid)');
    expect(note).toMatch(/validation errors:\n {2}- nodes\/stray\.yaml:\d+:\d+ .*no-such-profile/);
  }, 120_000);
});
