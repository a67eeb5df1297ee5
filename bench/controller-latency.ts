import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlinth } from '../reconciler/api/serve.js';
import { buildTestSettings } from '../tests/support/dnsmasq-settings.js';
import { silentLogger } from '../reconciler/lib/logger.js';
import { SqliteControllerStore } from '../reconciler/store/sqlite/sqlite-controller-store.js';
import { readExampleBase, renderNodeManifests } from '../tests/controller/e2e-repo.js';
import { answerBoots, postReport, sendPushHook, waitForRevision } from '../tests/controller/harness.js';
import { createGitFixture } from '../tests/support/git-repo.js';
import { macsFor } from '../tests/support/hardware-report.js';
import { SIMULATOR_CIPHER_SUITE, startBmc, stopBmcs } from '../tests/support/ipmi-sim.js';

/**
 * `npm run bench:controller`: from a commit pushed to the bare remote and its webhook, to the first driver
 * action of that revision (the journal's first step start: the DHCP reservation written). Each round
 * commits one more machine while the previous revision may still be applying, so the newest-commit-wins
 * path (cancelling the older apply) is inside the measure. Goal: ≤ 2 s.
 */
const GOAL_MS = 2000;
const SECRET = 'bench-secret';
const PASSWORD_ENV = 'PLINTH_BENCH_BMC_PASSWORD';
const MACHINES = [
  { name: 'bench-controller', serial: '7XQK2M3', fixture: 'dell/poweredge-r650/AF241F438036', profile: 'controller' },
  { name: 'bench-compute-1', serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute' },
  { name: 'bench-compute-2', serial: 'CMP0002', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute' },
];

async function firstStepStart(dbPath: string, revision: string): Promise<number> {
  const store = SqliteControllerStore.open(dbPath);
  try {
    for (let round = 0; round < 600; round += 1) {
      const started = (await store.listJournal({ revision })).map((entry) => entry.startedAt).filter((at) => at !== undefined).sort();
      if (started[0]) return Date.parse(started[0]);
      await sleep(20);
    }
    throw new Error(`no step of ${revision} started`);
  } finally {
    await store.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-latency-'));
const git = await createGitFixture('plinth-bench-latency-git-');
const bmcs = await Promise.all(MACHINES.map((_, index) => startBmc({ address: `127.0.0.${index + 2}` })));
const machines = MACHINES.map((spec, index) => ({ ...spec, macs: macsFor(index + 1), bmcUrl: bmcs[index]?.url ?? '', statePath: bmcs[index]?.statePath ?? '' }));
const dhcp = buildTestSettings(join(dir, 'dhcp'), { network: '10.30.0.0/22', serverAddress: '10.30.0.1', discoveryRange: { start: '10.30.3.100', end: '10.30.3.199' } });
await mkdir(dhcp.paths.hostsDir, { recursive: true });
await mkdir(dhcp.paths.stagingDir, { recursive: true });
const base = await git.commitFiles(await readExampleBase(), 'cluster without machines');
const plinth = await startPlinth({
  repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
  webhookSecrets: [SECRET], notes: true, dnsmasq: dhcp, ipmiCipherSuite: SIMULATOR_CIPHER_SUITE, env: { [PASSWORD_ENV]: bmcs[0]?.password },
  secretsDir: join(dir, 'secrets'), reports: { rateLimit: false },
}, silentLogger());
const boots = answerBoots(() => plinth.url, machines);
try {
  await waitForRevision(plinth.url, `main@sha1:${base}`);
  for (const machine of machines) await postReport(plinth.url, machine);
  const latencies: number[] = [];
  for (let round = 1; round <= machines.length; round += 1) {
    const sha = await git.commitFiles({ 'nodes/bench.yaml': renderNodeManifests(machines.slice(0, round), PASSWORD_ENV, bmcs[0]?.user ?? '') }, `machine ${round}`);
    const hookSent = Date.now();
    const status = await sendPushHook(plinth.url, SECRET);
    if (status !== 202) throw new Error(`webhook answered ${status}`);
    const first = await firstStepStart(join(dir, 'data', 'plinth.db'), `main@sha1:${sha}`);
    latencies.push(first - hookSent);
    console.log(`round ${round}: webhook → first driver action ${first - hookSent} ms`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`load average ${loadavg()[0]?.toFixed(1)}`);
  console.log(`median commit → first driver action: ${median} ms; worst ${sorted.at(-1)} ms; goal ${GOAL_MS} ms; ratio median/goal ${(median / GOAL_MS).toFixed(2)}`);
} finally {
  await boots.stop();
  await plinth.stop();
  await stopBmcs(bmcs);
  await git.remove();
  await rm(dir, { recursive: true, force: true });
}
