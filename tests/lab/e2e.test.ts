import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostFileName } from '../../reconciler/drivers/dhcp/host-file.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { findBuiltinRoleDirectory, loadRoleCatalog } from '../../reconciler/manifests/role-catalog.js';
import { buildLabConfig, controllerUrl, LAB_IMAGE_DISK_MIB, LAB_FAULT_NODES, LAB_NODES, type LabConfig, type LabNode } from '../../lab/lab-config.js';
import { bringLabDown } from '../../lab/lab-down.js';
import { readBmcCalls, readHead, readJournal, readNodeProgress, readNote, runPlinthStatus, secondsBetween, waitFor, type NodeProgress } from '../../lab/lab-progress.js';
import { bringLabUp, generateBmcPassword, type RunningLab } from '../../lab/lab-up.js';
import { ensureGoldenImage, ensureLiveSystem } from '../../lab/live-system.js';
import { CLI_SCRIPT, git, hasPlinthServe, LAB_IMAGE_NAME } from '../../lab/plinth-serve.js';
import { powerOnNodes } from '../../lab/power-on-nodes.js';
import { findMissingPrerequisites } from '../../lab/prerequisites.js';
import { createEncPuppetSandbox } from '../support/puppet-modules/role-modules.js';

const missing = [...(await findMissingPrerequisites()), ...((await hasPlinthServe()) ? [] : ['this checkout has no `plinth serve`'])];
if (missing.length > 0) console.warn(`SKIPPED the lab end-to-end test: ${missing.join('; ')}`);
const describeInLab = missing.length > 0 ? describe.skip : describe;

const HEALTHY: readonly LabNode[] = LAB_NODES;
const NODES: readonly LabNode[] = [...LAB_NODES, ...LAB_FAULT_NODES];
/** The compute whose role the second commit changes: the UEFI one, so its reprovision PXE-boots OVMF past an installed disk. */
const CHANGED = LAB_NODES.find((node) => node.name === 'lab-cmp-1')!;
const OTHERS = HEALTHY.filter((node) => node !== CHANGED);

/** BMC calls that act on the machine (a boot device or power change), as opposed to reads. */
const actsOnMachine = (call: string): boolean => call.startsWith('set ');

/** `plinth plan` of the last commit against the one before, with the controller's inventory: the reviewer's view. */
async function runPlinthPlan(repo: string, databasePath: string, inventoryPath: string): Promise<string> {
  const cli = (args: string[]) => runCommand(process.execPath, ['--import', 'tsx', CLI_SCRIPT, ...args], { timeoutMs: 120_000 });
  const exported = await cli(['inventory', 'export', '--db', databasePath, '--output', inventoryPath]);
  if (exported.exitCode !== 0) throw new Error(`plinth inventory export failed: ${exported.stderr}`);
  const plan = await cli(['plan', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--inventory', inventoryPath]);
  return plan.stdout + plan.stderr;
}

/**
 * When a node was done: its installed OS's first report from disk (the ENC is published right after), or its
 * failure. Not the `installed` step timestamp, which a later ENC reconfigure stamps again.
 */
function doneAt(node: NodeProgress | undefined): string | undefined {
  return node?.reports.find((report) => report.bootedFrom === 'disk')?.receivedAt ?? node?.stepTimestamps['failed'];
}

function describeProgress(progress: Record<string, NodeProgress>): Record<string, string> {
  return Object.fromEntries(Object.entries(progress).map(([name, node]) => [name, `${node.state ?? 'unknown'}${node.errorMessage ? `: ${node.errorMessage}` : ''}`]));
}

describeInLab('the lab end to end: power-on to installed through plinth serve, a role change held for approval, and two faults', () => {
  const suffix = String((process.pid % 200) + 30);
  const password = generateBmcPassword();
  let root: string;
  let config: LabConfig;
  let lab: RunningLab;
  let repo: string;
  let poweredOn: Record<string, number>;
  /** What each BMC logged once the lab had powered the nodes on (before plinth made any call). */
  let callsAtPowerOn: Record<string, string[]>;
  let callsBeforeChange: Record<string, string[]> = {};
  let blockedHostname = '';

  const readAllCalls = async (): Promise<Record<string, string[]>> =>
    Object.fromEntries(await Promise.all(NODES.map(async (node) => [node.name, await readBmcCalls(lab.nodeDirs[node.name]!)] as const)));
  const progressOf = (): Promise<Record<string, NodeProgress>> => readNodeProgress(lab.databasePath, NODES);
  /** Waits until HEAD's note is final (`(applied)`, nothing pending) and `accept` takes it. */
  const waitForNote = (accept: (note: string) => boolean, seconds: number): Promise<string | undefined> =>
    waitFor(async () => {
      const note = await readNote(repo);
      return note?.includes('(applied)') && !note.includes('pending:') && accept(note) ? note : undefined;
    }, seconds);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-lab-e2e-'));
    await chmod(root, 0o755);
    config = buildLabConfig(process.cwd(), { namespace: `plinth-e2e-${suffix}`, dir: join(root, 'run'), nodes: [...NODES] });
    // Both are cached under .lab/cache; a cold build downloads the Debian packages.
    const goldenImage = await ensureGoldenImage({ controllerUrl: controllerUrl(config), imageName: LAB_IMAGE_NAME, diskMiB: LAB_IMAGE_DISK_MIB, progress: 'pipe' });
    const liveDir = await ensureLiveSystem(undefined, 'pipe');
    // Committing the lab cluster (with the golden image's manifest) is part of bringing the lab up.
    lab = await bringLabUp(config, { statePath: join(root, 'state.json'), liveDir, bmcPassword: password, controller: 'serve', goldenImage });
    repo = join(config.dir, 'cluster');
    poweredOn = await powerOnNodes(config, password);
    callsAtPowerOn = await readAllCalls();
  }, 20 * 60_000);

  afterAll(async () => {
    await bringLabDown(join(root, 'state.json')).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('installs every healthy node from power-on to its disk-booted OS with the ENC delivered, and fails the two faulty ones with their reasons', async () => {
    const note = await waitForNote((text) => /installed: 4 /.test(text) && text.includes('failed: 2'), 12 * 60);
    const progress = await progressOf();
    const firstPowerOn = Math.min(...Object.values(poweredOn));
    const lines = NODES.map((node) => {
      const entry = progress[node.name];
      const done = doneAt(entry);
      const firstReport = entry?.reports[0]?.receivedAt;
      return `  ${node.name.padEnd(10)} ${node.firmware.padEnd(4)} report ${firstReport ? `${secondsBetween(poweredOn[node.name]!, firstReport)} s` : '-'}, done (${entry?.state ?? '?'}) ${done ? `${secondsBetween(poweredOn[node.name]!, done)} s` : '-'} after its power-on`;
    });
    const lastDone = Math.max(...NODES.map((node) => new Date(doneAt(progress[node.name]) ?? 0).getTime()));
    process.stdout.write(`lab e2e: first power-on to last node done: ${secondsBetween(firstPowerOn, lastDone)} s\n${lines.join('\n')}\n`);
    const status = await runPlinthStatus(CLI_SCRIPT, join(config.dir, 'plinth-data'));

    expect({ note: note ?? (await readNote(repo)) ?? 'no note', nodes: note ? {} : describeProgress(progress) }).toEqual({ note: expect.stringContaining('installed: 4 (ENC delivered; Puppet not run)'), nodes: {} });
    // Hostnames are allocated in the order nodes are enrolled; the BMC address and the disk size tell the faulty nodes.
    expect(note).toMatch(/- lab-compute-\d\S* enrol: boot-device failed: BMC ipmi:\/\/127\.25\.0\.15: .*the BMC refused the credentials/);
    expect(note).toMatch(/- lab-compute-\d\S* enrol: image-deploy failed: .*no disk fits the image \(40 MiB\).*vda: 32 MiB/);
    expect(describeProgress(progress)).toEqual({
      'lab-ctl-1': 'installed', 'lab-cmp-1': 'installed', 'lab-cmp-2': 'installed', 'lab-osd-1': 'installed',
      'lab-cmp-3': expect.stringContaining('failed: boot-device: BMC ipmi://127.25.0.15') as unknown as string,
      'lab-cmp-4': expect.stringContaining('failed: image-deploy:') as unknown as string,
    });
    for (const node of HEALTHY) {
      const address = `10.250.0.${node.mac.slice(-2)}`;
      const reports = progress[node.name]?.reports ?? [];
      // Discovery from a pool address, the deploy system from the reserved one, then the installed OS from disk.
      expect({ node: node.name, reserved: await readFile(join(config.dir, 'dnsmasq', 'hosts.d', hostFileName(node.mac)), 'utf8').catch(() => '') }).toEqual({ node: node.name, reserved: expect.stringContaining(address) });
      expect(reports.map((report) => report.sourceAddress)).toContain(address);
      expect(reports.at(-1)?.bootedFrom).toBe('disk');
    }
    // The wrong password never got past its BMC: nothing was called after the lab's own power-on.
    expect(await readBmcCalls(lab.nodeDirs['lab-cmp-3']!)).toEqual(callsAtPowerOn['lab-cmp-3']);
    expect(status.exitCode).toBe(1);
    expect(status.text).toMatch(/installed: 4\n/);
    expect(status.text).toMatch(/PLINTH-LAB-0005 failed BMC_AUTH .*the BMC refused the credentials/);
    expect(status.text).toMatch(/PLINTH-LAB-0006 failed IMAGE_NO_DISK .*no disk fits the image/);
  }, 13 * 60_000);

  it('delivers an ENC that real Puppet applies: the controller\'s class with its typed parameters', async () => {
    const catalog = await loadRoleCatalog(findBuiltinRoleDirectory());
    const sandbox = await createEncPuppetSandbox(catalog.roles.values());
    try {
      const hostname = 'lab-controller-1.lab.plinth.test';
      const encFile = join(config.dir, 'plinth-data', 'enc', `${hostname}.yaml`);
      const script = await sandbox.writeEncScript('lab-enc', `cat ${encFile} #`);

      const run = await sandbox.apply(hostname, script);

      expect({ exitCode: run.exitCode, errors: run.lines.filter((line) => line.startsWith('Error')) }).toEqual({ exitCode: 2, errors: [] });
      expect(run.lines.join('\n')).toContain(`plinth-enc controller ${hostname} role=controller`);
    } finally {
      await sandbox.cleanup();
    }
  }, 180_000);

  it('holds a role change back as a destructive reprovision until approved, without touching the machine', async () => {
    const nodesFile = join(repo, 'nodes', 'lab-nodes.yaml');
    const manifests = await readFile(nodesFile, 'utf8');
    const changed = manifests.replace(/(name: lab-cmp-1\n[\s\S]*?role: )compute/, '$1cephosd');
    expect(changed).not.toBe(manifests);
    await writeFile(nodesFile, changed);
    callsBeforeChange = await readAllCalls();
    await git(repo, ['commit', '-q', '-am', 'lab: lab-cmp-1 becomes a Ceph OSD node']);
    const head = await readHead(repo);

    const note = await waitForNote((text) => text.includes(head), 5 * 60);
    const blocked = /^ {2}- (\S+) reprovision: (.*)$/m.exec(note ?? '');
    blockedHostname = blocked?.[1] ?? '';

    const plan = await runPlinthPlan(repo, join(config.dir, 'plinth-data', 'plinth.db'), join(root, 'inventory.json'));

    expect(note).toContain('reprovision: 1 blocked');
    expect(blocked?.[2]).toBe(`reprovision is destructive and needs approval: add the commit trailer "Plinth-Approve: reprovision ${blockedHostname.split('.')[0] ?? ''}"`);
    // What a reviewer reads before merging: the destructive reprovision, blocked until the trailer approves it.
    expect(plan).toContain(`-/+ reprovision  ${blockedHostname} (cephosd, wave 20): role changed from compute to cephosd`);
    expect(plan).toContain(`blocked (approval-required): reprovision is destructive and needs approval: add the commit trailer "Plinth-Approve: reprovision ${blockedHostname.split('.')[0] ?? ''}"`);
    // No BMC call at all for the machine whose reinstall waits for approval.
    expect(await readBmcCalls(lab.nodeDirs[CHANGED.name]!)).toEqual(callsBeforeChange[CHANGED.name]);
  }, 6 * 60_000);

  it('reprovisions only that machine once a commit approves it: deploy boot, image, disk boot; the others untouched', async () => {
    const shortName = blockedHostname.split('.')[0] ?? '';
    expect(shortName).not.toBe('');
    const approvedAt = new Date().toISOString();
    await git(repo, ['commit', '-q', '--allow-empty', '-m', `lab: approve the reinstall of ${shortName}\n\nPlinth-Approve: reprovision ${shortName}`]);
    const revision = `main@sha1:${await readHead(repo)}`;

    // Done once its installed OS has reported again (the faulty nodes' retries at this revision may still run).
    const progress = await waitFor(async () => {
      const node = (await progressOf())[CHANGED.name];
      return node?.state === 'installed' && (node.stepTimestamps['installed'] ?? '') > approvedAt ? node : undefined;
    }, 6 * 60) ?? (await progressOf())[CHANGED.name];
    const calls = await readAllCalls();
    const journal = await readJournal(lab.databasePath, revision);
    const actedOn = new Set(journal.filter((entry) => ['boot-device', 'power', 'image-deploy'].includes(String(entry.detail['op']))).map((entry) => entry.nodeId));
    const newCalls = (node: LabNode): string[] => (calls[node.name] ?? []).slice(callsBeforeChange[node.name]?.length ?? 0);

    const reprovision = journal.filter((entry) => entry.detail['actionId'] === `${CHANGED.serial}/reprovision`);

    expect({ state: progress?.state, error: progress?.errorMessage }).toEqual({ state: 'installed', error: undefined });
    expect(reprovision.map((entry) => String(entry.detail['op']))).toEqual(['dhcp-ensure', 'boot-device', 'power', 'wait-state', 'image-deploy', 'boot-device', 'power', 'wait-state', 'enc-publish', 'puppet-run']);
    expect(reprovision.map((entry) => entry.state)).toEqual(reprovision.map(() => 'succeeded'));
    // Boot device pxe for the deploy system, then the disk (ipmi_sim hands the hard disk to its hook as "default").
    expect(newCalls(CHANGED).filter((call) => call.startsWith('set boot '))).toEqual(['set boot pxe', 'set boot default']);
    expect(newCalls(CHANGED).filter((call) => call === 'set power 1').length).toBeGreaterThanOrEqual(2);
    expect(progress?.reports.filter((report) => report.receivedAt > approvedAt).map((report) => report.bootedFrom ?? 'live')).toEqual(['live', 'disk']);
    for (const node of OTHERS) expect({ node: node.name, calls: newCalls(node).filter(actsOnMachine) }).toEqual({ node: node.name, calls: [] });
    // The journal agrees: of the healthy nodes, only the approved one had BMC or image steps at this revision.
    expect([...actedOn].filter((nodeId) => HEALTHY.some((node) => node.serial === nodeId))).toEqual([CHANGED.serial]);
  }, 7 * 60_000);
});
