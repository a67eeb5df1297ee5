/**
 * Lab enrolment benchmark (not a test): the lab under `plinth serve` with 1 and then all 4 nodes of lab/cluster.
 * Every node is powered on at once; once all have reported, one commit makes the controller enrol them. Printed
 * per node: power-on → report (discovered), and power-on → enrolled (the controller's `configuring` timestamp);
 * the enrol time includes the wait for the slowest discovery, since the commit waits for every node.
 * Run: sudo npx tsx bench/lab-enrol.ts [COUNTS...]   (default 1 4; at most 4, the nodes lab/cluster pins)
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildLabConfig, LAB_NODES } from '../lab/lab-config.js';
import { bringLabDown } from '../lab/lab-down.js';
import { bringLabUp, generateBmcPassword } from '../lab/lab-up.js';
import { ensureLiveSystem } from '../lab/live-system.js';
import { git, hasPlinthServe } from '../lab/plinth-serve.js';
import { findMissingPrerequisites } from '../lab/prerequisites.js';
import { createNamespaceRunner } from '../lab/provisioning-network.js';
import { LAB_CIPHER_SUITE } from '../lab/simulated-bmc.js';
import { createIpmitoolDriver } from '../reconciler/drivers/bmc/ipmitool/index.js';
import type { EnrolledNode } from '../reconciler/store/types.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';

const DEADLINE_MS = 600_000;

async function listNodes(databasePath: string): Promise<EnrolledNode[]> {
  const store = SqliteStore.open(databasePath);
  try {
    return await store.listNodes();
  } finally {
    await store.close();
  }
}

/** Polls the store until `done` holds for every node (bounded). */
async function waitForNodes(databasePath: string, count: number, done: (node: EnrolledNode) => boolean, startedAt: number): Promise<EnrolledNode[]> {
  let nodes: EnrolledNode[] = [];
  while (Date.now() - startedAt < DEADLINE_MS) {
    nodes = await listNodes(databasePath);
    if (nodes.length >= count && nodes.every(done)) break;
    await sleep(500);
  }
  return nodes;
}

async function measure(count: number, liveDir: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-lab-enrol-'));
  await chmod(root, 0o755);
  const password = generateBmcPassword();
  const config = buildLabConfig(process.cwd(), { namespace: 'plinth-lab-enrol', dir: join(root, 'run'), nodes: LAB_NODES.slice(0, count) });
  try {
    const lab = await bringLabUp(config, { statePath: join(root, 'state.json'), liveDir, bmcPassword: password, controller: 'serve' });
    const bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
    const load = loadavg()[0]?.toFixed(1);
    const startedAt = Date.now();
    await Promise.all(config.nodes.map(async (node) => {
      const target = { address: `ipmi://${node.bmcAddress}:${config.bmcPort}`, credentials: { username: config.bmcUser, password } };
      await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
      await bmc.ensurePower(target, 'on');
    }));
    await waitForNodes(lab.databasePath, count, () => true, startedAt);
    await git(join(config.dir, 'cluster'), ['commit', '-q', '--allow-empty', '-m', 'enrol the discovered nodes']);
    const committedAt = Date.now();
    const nodes = await waitForNodes(lab.databasePath, count, (node) => node.stepTimestamps.configuring !== undefined || node.state === 'failed', startedAt);
    const since = (iso: string | undefined): string => (iso === undefined ? 'never' : `${((Date.parse(iso) - startedAt) / 1000).toFixed(1)} s`);
    console.log(`${count} node(s) (load before: ${load}); commit at ${((committedAt - startedAt) / 1000).toFixed(1)} s:`);
    for (const node of nodes.sort((a, b) => a.id.localeCompare(b.id))) {
      console.log(`  ${node.id}  power-on → report ${since(node.stepTimestamps.discovered ?? node.firstSeen)}, → enrolled (${node.state}) ${since(node.stepTimestamps.configuring)}`);
    }
  } finally {
    await bringLabDown(join(root, 'state.json'));
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const problems = await findMissingPrerequisites();
  if (!(await hasPlinthServe())) problems.push('this checkout has no `plinth serve`');
  if (problems.length > 0) throw new Error(`cannot run the lab enrolment benchmark: ${problems.join('; ')}`);
  const counts = process.argv.slice(2).map(Number).filter((count) => count > 0 && count <= LAB_NODES.length);
  const liveDir = await ensureLiveSystem(undefined, 'pipe');
  for (const count of counts.length > 0 ? counts : [1, 4]) await measure(count, liveDir);
  console.log('bound: CPU (each VM boots twice under TCG on 2 cores: discovery, then the controller\'s boot), then the controller\'s serial steps per node and its install order (Ceph OSD, controller, then computes)');
}

await main();
