import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportInventory } from '../reconciler/cli/commands/inventory-export.js';
import { compile } from '../reconciler/compile/compile.js';
import { normaliseReport } from '../reconciler/discovery/normalise.js';
import { classifyNodes } from '../reconciler/inventory/classify-nodes.js';
import type { Inventory } from '../reconciler/inventory/types.js';
import type { DesiredState } from '../reconciler/manifests/desired-state.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { describeAppliedTargets, describeProvisioning } from '../reconciler/plan/provisioning.js';
import { openDatabase } from '../reconciler/store/sqlite/open-database.js';
import { SqliteControllerStore } from '../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';
import { testGit } from '../tests/support/git-repo.js';
import { bundleCli, spawnPlinth, waitHealthy } from '../tests/controller/spawn-plinth.js';
import { findFreePort } from '../tests/support/sshd.js';
import { generateRepository } from './generate-repo.js';

/**
 * `npm run bench:rss`: resident memory of a real `plinth serve` process once it has reconciled the
 * synthetic 10,000-node repository with every machine enrolled (reports stored, allocations held, applied
 * state recorded, so the plan is empty), next to the same process with the same desired state and no
 * machine enrolled. Goal: ≤ 300 MB. The generated BMCs are never contacted: every machine is already applied.
 * Each side prints the steady RSS once the reconcile is over (`VmRSS`) and the peak during it (`VmHWM`).
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const GOAL_MB = 300;
const REVISION_BRANCH = 'main';
/** A heap cap for the third run: V8 then collects before growing, which is what RSS measures. */
const CAPPED_HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 256);

function buildInventories(desired: DesiredState): Inventory[] {
  const dir = 'tests/fixtures/hardware/dell/poweredge-r7525/ED52A1D54F9D';
  const model = normaliseReport({ version: 1, agent: { version: 'bench' }, collectedAt: '2026-01-01T00:00:00Z', sections: { dmidecode: readFileSync(join(dir, 'dmidecode.txt'), 'utf8') } }).inventory;
  return [...desired.nodes.values()].map((node) => {
    const inventory = structuredClone(model);
    const serial = node.spec.serial ?? node.metadata.name;
    Object.assign(inventory.system, { serialNumber: serial });
    inventory.chassis.serialNumber = serial;
    inventory.identity = { id: serial, source: 'chassis-serial', placeholdersSkipped: [] };
    const rack = `r${String(node.spec.settings?.rack_hint ?? 'r0').slice(1).padStart(3, '0')}`;
    inventory.nics = [{ name: 'eno1', mac: node.spec.mac ?? '', speedMbps: 25000, link: true, lldp: { switchName: `dc1-${rack}-tor1`, portId: 'Ethernet1/1' } }];
    return inventory;
  });
}

/** Enrols every machine (one stored report each) and records it as applied at `revision`, as a controller would have. */
async function seedStore(dbPath: string, desired: DesiredState, revision: string): Promise<void> {
  const store = SqliteStore.open(dbPath);
  await Promise.all(buildInventories(desired).map((inventory) => store.ingestReport({
    rawBody: Buffer.from(JSON.stringify(inventory)), inventory, receivedAt: '2026-01-01T00:00:00Z',
    claim: { id: inventory.identity.id, identitySource: 'chassis-serial', serial: inventory.identity.id, macs: inventory.nics.map((nic) => nic.mac) },
  }, () => ({ kind: 'enrol' }))));
  // Seeding only: no fsync per row (the controller's own connection uses FULL).
  const controllerStore = new SqliteControllerStore(openDatabase(dbPath, { synchronous: 'NORMAL' }));
  const snapshot = await exportInventory(store, [], '2026-01-01T00:00:00Z');
  const classifications = classifyNodes(desired, snapshot.nodes);
  const compiled = compile({ desired, classifications, snapshot });
  const applied = describeAppliedTargets(compiled.targets, describeProvisioning(desired, compiled.targets, classifications), revision);
  const hostnames = new Map(compiled.hostnames.map((entry) => [entry.nodeId, entry]));
  for (const target of compiled.targets) {
    const entry = await controllerStore.appendJournal({ revision: 'seed', nodeId: target.nodeId, action: 'seed', plannedAt: '2026-01-01T00:00:00Z' });
    const addresses = Object.entries(target.addresses).map(([network, address]) => ({ network, address }));
    const hostname = hostnames.get(target.nodeId);
    await controllerStore.recordEnrolment({ nodeId: target.nodeId, addresses, ...(hostname ? { hostname } : {}), at: '2026-01-01T00:00:00Z' }, entry.id);
    await controllerStore.transitionJournal(entry.id, { state: 'succeeded', at: '2026-01-01T00:00:00Z' });
  }
  for (const state of applied) await controllerStore.saveAppliedState(state, '2026-01-01T00:00:00Z');
  await controllerStore.close();
  await store.close();
}

async function readMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(/(\d+) kB/.exec(status.split('\n').find((line) => line.startsWith(name)) ?? '')?.[1] ?? 0) / 1024;
  return { rss: field('VmRSS:'), peak: field('VmHWM:') };
}

/** Starts the bundled `plinth serve` on `dataDir`, waits for its first reconcile to be applied, and reads its memory. */
async function measureServe(bundle: string, remote: string, dataDir: string, logPath: string, nodeOptions = ''): Promise<{ rss: number; peak: number; seconds: number }> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const plinth = await spawnPlinth(bundle, ['--repo', remote, '--data', dataDir, '--listen', `127.0.0.1:${port}`, '--poll-interval', '3600', '--no-notes'], { PLINTH_LOG_LEVEL: 'warn', NODE_OPTIONS: nodeOptions }, logPath);
  try {
    await waitHealthy(url, plinth);
    // This process's own first reconcile (the store may remember the revision from an earlier run).
    for (let round = 0; round < 3000; round += 1) {
      if (plinth.child.exitCode !== null || plinth.child.signalCode !== null) throw new Error(`plinth exited (${plinth.child.exitCode ?? plinth.child.signalCode}); see ${logPath}`);
      // A reused keep-alive socket may be reset while the controller is busy compiling: ask again.
      const metrics = await fetch(`${url}/metrics`).then((response) => response.text(), () => '');
      if (metrics.includes('plinth_revisions_total{result="applied"} 1')) break;
      await sleep(200);
    }
    const seconds = (Date.now() - started) / 1000;
    await (await fetch(`${url}/v1/status`)).text();
    return { ...(await readMemory(plinth.child.pid ?? 0)), seconds };
  } finally {
    plinth.child.kill('SIGTERM');
    await plinth.exited;
  }
}

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-rss-'));
const bundle = await bundleCli();
try {
  const repo = join(root, 'repo');
  await generateRepository(repo, { nodes: NODES });
  const git = testGit(repo);
  await git.raw(['init', '--quiet', '-b', REVISION_BRANCH]);
  await git.raw(['add', '--all']);
  await git.raw(['commit', '--quiet', '-m', 'generated cluster']);
  const revision = `${REVISION_BRANCH}@sha1:${(await git.revparse(['HEAD'])).trim()}`;
  const validated = await validateRepository(repo);
  if (!validated.desired) throw new Error('the generated repository must be valid');
  const seeded = Date.now();
  await seedStore(join(root, 'full', 'plinth.db'), validated.desired, revision);
  console.log(`seeded ${NODES} enrolled machines in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const empty = await measureServe(bundle.path, repo, join(root, 'empty'), join(root, 'empty.log'));
  const full = await measureServe(bundle.path, repo, join(root, 'full'), join(root, 'full.log'));
  const mb = (value: number): string => `${value.toFixed(0)} MB`;
  const describe = (measured: { rss: number; peak: number; seconds: number }): string =>
    `steady RSS ${mb(measured.rss)} after the reconcile, peak ${mb(measured.peak)} during it; reconcile done after ${measured.seconds.toFixed(1)} s`;
  console.log(`plinth serve, desired state of ${NODES} nodes, none enrolled: ${describe(empty)}`);
  console.log(`plinth serve, desired state of ${NODES} nodes, all enrolled:  ${describe(full)}`);
  try {
    const capped = await measureServe(bundle.path, repo, join(root, 'full'), join(root, 'capped.log'), `--max-old-space-size=${CAPPED_HEAP_MB}`);
    console.log(`same, all enrolled, node --max-old-space-size=${CAPPED_HEAP_MB}: ${describe(capped)}`);
  } catch (error) {
    console.log(`same, all enrolled, node --max-old-space-size=${CAPPED_HEAP_MB}: did not complete (${(error as Error).message})`);
  }
  console.log(`ratio enrolled / none: ${(full.rss / empty.rss).toFixed(2)} (steady RSS), ${(full.peak / empty.peak).toFixed(2)} (peak)`);
  console.log(`goal ≤ ${GOAL_MB} MB: steady RSS ${mb(full.rss)} = ${(full.rss / GOAL_MB).toFixed(2)} × goal, peak ${mb(full.peak)} = ${(full.peak / GOAL_MB).toFixed(2)} × goal`);
} finally {
  await bundle.remove();
  await rm(root, { recursive: true, force: true });
}
