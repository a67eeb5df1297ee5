/**
 * Lab install benchmark (not a test): the lab under `plinth serve` with N computes pinned in the cluster
 * repository (one install wave, `maxParallelProvisioning: N`), all powered on at once. Printed per node: power-on →
 * first report received (discovery), → deploy system reported, → image written, → installed (the installed OS's
 * report from disk, ENC delivered), and what bounds the whole: CPU (VM cores) against the serial steps of one node.
 * Run: sudo npx tsx bench/lab-install.ts [COUNTS...]   (default 1 4 8)
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLabConfig, controllerUrl, LAB_IMAGE_DISK_MIB, type LabNode } from '../lab/lab-config.js';
import { bringLabDown } from '../lab/lab-down.js';
import { readHead, readJournal, readLastApplied, readNodeProgress, secondsBetween, waitFor, type NodeProgress } from '../lab/lab-progress.js';
import { bringLabUp, generateBmcPassword } from '../lab/lab-up.js';
import { ensureGoldenImage, ensureLiveSystem } from '../lab/live-system.js';
import { git, hasPlinthServe, LAB_IMAGE_NAME } from '../lab/plinth-serve.js';
import { powerOnNodes } from '../lab/power-on-nodes.js';
import { findMissingPrerequisites } from '../lab/prerequisites.js';

const DEADLINE_SECONDS = 1800;

function benchNodes(count: number): LabNode[] {
  return Array.from({ length: count }, (_, index) => {
    const suffix = (index + 0x21).toString(16);
    return { name: `bench-${index + 1}`, mac: `52:54:00:25:03:${suffix}`, serial: `PLINTH-BENCH-${suffix}`, firmware: 'bios', memoryMiB: 512, diskGiB: 1, bmcAddress: `127.25.3.${index + 11}` };
  });
}

function renderNodeManifests(nodes: readonly LabNode[]): string {
  return nodes.map((node, index) => [
    'apiVersion: plinth/v1', 'kind: Node', `metadata: { name: ${node.name} }`, 'spec:',
    `  serial: ${node.serial}`, `  mac: "${node.mac}"`, '  role: compute',
    `  bmc: { address: "ipmi://${node.bmcAddress}", username: admin, passwordFrom: { env: PLINTH_LAB_BMC_PASSWORD } }`,
    `  addresses: { provisioning: 10.250.0.${index + 30} }`, '',
  ].join('\n')).join('---\n');
}

/** The first `receivedAt` of a report matching `pick`, in seconds after `from`. */
function reportAfter(progress: NodeProgress | undefined, from: number, pick: (report: NodeProgress['reports'][number], index: number) => boolean): string {
  const report = progress?.reports.find(pick);
  return report ? secondsBetween(from, report.receivedAt).toFixed(1) : '-';
}

interface Timing { name: string; report: number; installed: number }

async function measure(count: number, liveDir: string): Promise<Timing[]> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-lab-install-'));
  await chmod(root, 0o755);
  const password = generateBmcPassword();
  const nodes = benchNodes(count);
  const config = buildLabConfig(process.cwd(), { namespace: 'plinth-lab-install', dir: join(root, 'run'), nodes });
  const goldenImage = await ensureGoldenImage({ controllerUrl: controllerUrl(config), imageName: LAB_IMAGE_NAME, diskMiB: LAB_IMAGE_DISK_MIB, progress: 'pipe' });
  try {
    const lab = await bringLabUp(config, { statePath: join(root, 'state.json'), liveDir, bmcPassword: password, controller: 'serve', goldenImage });
    // The bench's own computes replace the lab's four nodes, all in one wave, N at a time.
    const repo = join(config.dir, 'cluster');
    await writeFile(join(repo, 'nodes', 'lab-nodes.yaml'), renderNodeManifests(nodes));
    await writeFile(join(repo, 'nodes', 'lab-fault-nodes.yaml'), '');
    const cluster = join(repo, 'cluster.yaml');
    await writeFile(cluster, (await readFile(cluster, 'utf8')).replace(/maxParallelProvisioning: \d+/, `maxParallelProvisioning: ${String(count)}`));
    await git(repo, ['commit', '-q', '-am', `bench: ${String(count)} computes`]);
    // The controller polls the repository every 5 s: power on once it has applied this commit.
    const head = await readHead(repo);
    const applied = await waitFor(async () => ((await readLastApplied(lab.databasePath))?.endsWith(head) ? true : undefined), 120, 500);
    if (!applied) throw new Error(`the controller did not apply ${head} within 120 s`);
    const load = loadavg()[0]?.toFixed(1) ?? '?';
    const poweredOn = await powerOnNodes(config, password);
    const progress = await waitFor(async () => {
      const read = await readNodeProgress(lab.databasePath, nodes);
      return Object.values(read).every((node) => node.state === 'installed' || node.state === 'failed') ? read : undefined;
    }, DEADLINE_SECONDS, 1000) ?? (await readNodeProgress(lab.databasePath, nodes));
    const journal = await readJournal(lab.databasePath);
    console.log(`${String(count)} VM(s) at once (load before: ${load}):`);
    const timings: Timing[] = [];
    for (const node of nodes) {
      const entry = progress[node.name];
      const from = poweredOn[node.name] ?? 0;
      const image = journal.find((row) => row.nodeId === node.serial && row.detail['op'] === 'image-deploy' && row.finishedAt);
      const imageStart = journal.find((row) => row.nodeId === node.serial && row.detail['op'] === 'image-deploy');
      // The installed OS's first report from disk (the `installed` timestamp moves with later ENC reconfigures).
      const installed = entry?.state === 'installed' ? entry.reports.find((report) => report.bootedFrom === 'disk')?.receivedAt : undefined;
      console.log(`  ${node.name.padEnd(9)} report ${reportAfter(entry, from, (_, index) => index === 0)} s, deploy system ${reportAfter(entry, from, (report, index) => index > 0 && report.bootedFrom === undefined)} s, image ${imageStart?.startedAt ? secondsBetween(from, imageStart.startedAt).toFixed(1) : '-'} → ${image?.finishedAt ? secondsBetween(from, image.finishedAt).toFixed(1) : '-'} s, installed ${installed ? secondsBetween(from, installed).toFixed(1) : `- (${entry?.state ?? '?'}${entry?.errorMessage ? `: ${entry.errorMessage}` : ''})`} s`);
      timings.push({ name: node.name, report: entry?.reports[0] ? secondsBetween(from, entry.reports[0].receivedAt) : NaN, installed: installed ? secondsBetween(from, installed) : NaN });
    }
    return timings;
  } finally {
    await bringLabDown(join(root, 'state.json'));
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const problems = await findMissingPrerequisites();
  if (!(await hasPlinthServe())) problems.push('this checkout has no `plinth serve`');
  if (problems.length > 0) throw new Error(`cannot run the lab install benchmark: ${problems.join('; ')}`);
  const counts = process.argv.slice(2).map(Number).filter((count) => count > 0 && count <= 60);
  const liveDir = await ensureLiveSystem(undefined, 'pipe');
  const results: { count: number; report: number; installed: number }[] = [];
  for (const count of counts.length > 0 ? counts : [1, 4, 8]) {
    const timings = await measure(count, liveDir);
    results.push({ count, report: Math.max(...timings.map((timing) => timing.report)), installed: Math.max(...timings.map((timing) => timing.installed)) });
  }
  const single = results.find((result) => result.count === 1);
  console.log(`\nhost: ${String(cpus().length)} cores, TCG (no KVM): each running VM needs about one core`);
  for (const result of results) {
    const ratio = single ? ` = ${(result.installed / single.installed).toFixed(2)} × one VM` : '';
    console.log(`${String(result.count)} VM(s): last report ${result.report.toFixed(1)} s, last installed ${result.installed.toFixed(1)} s${ratio}; ${(result.installed / result.count).toFixed(1)} s of wall time per node`);
  }
  console.log('bound: CPU while more VMs run than there are cores (three emulated boots per node: discovery, deploy system, installed OS; the image stream, dd with fsync and the sha256 of the written range run inside the emulated deploy system), then per node the serial steps: discovery report → re-plan → deploy boot → image push → disk boot → report; a machine reporting while the apply runs joins it 2 s later');
}

await main();
