import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isIdempotentStep } from '../../reconciler/apply/step-effects.js';
import { buildTestSettings } from '../support/dnsmasq-settings.js';
import { readEarlierResults } from '../../reconciler/controller/merge-revision-results.js';
import type { PlanStep } from '../../reconciler/plan/types.js';
import type { RevisionSummary } from '../../reconciler/report/summary.js';
import { SqliteControllerStore } from '../../reconciler/store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { readState, startBmc, stopBmcs, type SimulatedBmc } from '../support/ipmi-sim.js';
import { findFreePort } from '../support/sshd.js';
import { findBrokenConfigFiles, findDoubleAllocations, findJournalViolations } from './crash-checks.js';
import { readExampleBase, renderNodeManifests } from './e2e-repo.js';
import { answerBoots, postReport, readControllerStatus, waitForRevision, type ReportingMachine } from './harness.js';
import { bundleCli, spawnPlinth, waitHealthy, type PlinthProcess } from './spawn-plinth.js';

const KILLS = 50;
const PASSWORD_ENV = 'PLINTH_CRASH_BMC_PASSWORD';
const SPECS = [
  { name: 'crash-controller', serial: '7XQK2M3', fixture: 'dell/poweredge-r650/AF241F438036', profile: 'controller' },
  { name: 'crash-compute-1', serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute' },
  { name: 'crash-compute-2', serial: 'CMP0002', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute' },
];
/** A machine that only reports (never in a manifest): the steady stream of reports whose acknowledgements are counted. */
const REPORTER = { serial: 'SPARE01', fixture: 'dell/poweredge-r640/953E314D7CA9', macs: macsFor(9) };

/** Deterministic kill points for a given seed (printed, so a failure can be replayed). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('a controller killed with SIGKILL at random points during an apply, and restarted', () => {
  let dir: string;
  let git: GitFixture;
  let bmcs: SimulatedBmc[] = [];
  let machines: (ReportingMachine & { name: string; profile: string; bmcUrl: string })[] = [];
  let bundle: Awaited<ReturnType<typeof bundleCli>> | undefined;
  let plinth: PlinthProcess | undefined;
  let url = '';
  let args: string[] = [];
  let env: Record<string, string> = {};
  let sha = '';
  const acked = new Map<string, number>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-crash-'));
    bundle = await bundleCli();
    git = await createGitFixture('plinth-crash-git-');
    bmcs = await Promise.all(SPECS.map((_, index) => startBmc({ address: `127.0.0.${index + 2}` })));
    machines = SPECS.map((spec, index) => ({ ...spec, macs: macsFor(index + 1), bmcUrl: bmcs[index]?.url ?? '', statePath: bmcs[index]?.statePath ?? '' }));
    const settings = buildTestSettings(join(dir, 'dhcp'), { network: '10.30.0.0/22', serverAddress: '10.30.0.1', discoveryRange: { start: '10.30.3.100', end: '10.30.3.199' } });
    for (const folder of [settings.paths.hostsDir, settings.paths.stagingDir]) await mkdir(folder, { recursive: true });
    await writeFile(join(dir, 'dnsmasq.json'), JSON.stringify(settings));
    sha = await git.commitFiles({ ...(await readExampleBase()), 'nodes/crash.yaml': renderNodeManifests(machines, PASSWORD_ENV, bmcs[0]?.user ?? '') }, 'three machines');
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    args = ['--repo', git.remoteUrl, '--data', join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--cluster', 'pub1', '--poll-interval', '3600',
      '--dnsmasq-settings', join(dir, 'dnsmasq.json'), '--ipmi-cipher-suite', '3', '--no-notes'];
    env = { [PASSWORD_ENV]: bmcs[0]?.password ?? '', PLINTH_LOG_LEVEL: 'warn' };
  }, 120_000);

  afterAll(async () => {
    if (plinth?.child.exitCode === null) {
      plinth.child.kill('SIGKILL');
      await plinth.exited;
    }
    await stopBmcs(bmcs);
    await bundle?.remove();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  async function start(): Promise<void> {
    plinth = await spawnPlinth(bundle?.path ?? '', args, env, join(dir, 'plinth.log'));
    await waitHealthy(url, plinth);
  }

  /** Posts the spare machine's report in a loop, counting only the acknowledged (202) ones. */
  function reportContinuously(): { stop(): Promise<void> } {
    let running = true;
    const loop = (async () => {
      while (running) {
        for (const machine of [REPORTER, ...machines]) {
          if ((await postReport(url, machine).catch(() => 0)) === 202) acked.set(machine.serial, (acked.get(machine.serial) ?? 0) + 1);
        }
        await sleep(100);
      }
    })();
    return { stop: async () => { running = false; await loop; } };
  }

  it('allocates nothing twice, loses no acknowledged report, leaves no half-written file, and runs each action once or reports it interrupted', async () => {
    // PLINTH_CRASH_SEED replays the kill points of a run (the seed is printed); their timing stays real.
    const seed = Number(process.env['PLINTH_CRASH_SEED'] ?? Date.now() % 100_000);
    console.info(`crash test seed ${seed}`);
    const random = createRandom(seed);
    const begun = Date.now();
    await start();
    const reports = reportContinuously();
    const boots = answerBoots(() => url, machines);
    try {
      for (let kill = 0; kill < KILLS; kill += 1) {
        await sleep(Math.floor(random() * 1_500));
        plinth?.child.kill('SIGKILL');
        await plinth?.exited;
        await start();
      }
      console.info(`${KILLS} kills and restarts done after ${Math.round((Date.now() - begun) / 1000)} s`);
      await waitForRevision(url, `main@sha1:${sha}`);
    } finally {
      await boots.stop();
      await reports.stop();
      plinth?.child.kill('SIGTERM');
      await plinth?.exited;
    }

    const dbPath = join(dir, 'data', 'plinth.db');
    const store = SqliteStore.open(dbPath);
    const controllerStore = SqliteControllerStore.open(dbPath);
    try {
      expect(findDoubleAllocations(await controllerStore.listLiveAllocations(), await controllerStore.listHostnames())).toEqual([]);
      for (const [serial, count] of acked) expect({ serial, stored: (await store.listReports(serial)).length >= count }).toEqual({ serial, stored: true });
      const settings = buildTestSettings(join(dir, 'dhcp'));
      expect(await findBrokenConfigFiles(settings.paths.hostsDir, join(dir, 'data', 'enc'))).toEqual([]);
      const journal = await controllerStore.listJournal({ revision: `main@sha1:${sha}` });
      const repeatable = (op: string): boolean => isIdempotentStep({ op, action: 'on', device: 'pxe' } as unknown as PlanStep);
      expect(findJournalViolations(journal, repeatable)).toEqual([]);
      const nodes = await store.listNodes();
      const [record] = await controllerStore.listRevisions(1);
      const summary = record?.summary as unknown as RevisionSummary;
      console.info(`final summary ${JSON.stringify(summary)}`);
      const results = await readEarlierResults(controllerStore, `main@sha1:${sha}`);
      for (const machine of machines) {
        const powerSteps = journal.filter((entry) => entry.nodeId === machine.serial && entry.detail['op'] === 'power' && entry.startedAt !== undefined);
        const succeeded = powerSteps.filter((entry) => entry.state === 'succeeded').length;
        const interrupted = powerSteps.filter((entry) => entry.state === 'interrupted').length;
        // No power action reached the BMC more often than the journal admits. (Fewer is possible: ipmi_sim performs
        // a cycle's power-on a second after its power-off and drops it when a power-on arrives in between.)
        const powerOns = (await readState(machine.statePath)).calls.filter((call) => call === 'set power 1').length;
        expect({ machine: machine.serial, powerOns, succeeded, interrupted, actions: powerSteps.map((entry) => `${String(entry.detail['action'])}:${entry.state}`), calls: (await readState(machine.statePath)).calls, ranOnceOrInterrupted: powerOns <= succeeded + interrupted }).toMatchObject({ machine: machine.serial, ranOnceOrInterrupted: true });
        const node = nodes.find((candidate) => candidate.id === machine.serial);
        const steps = journal.filter((entry) => entry.nodeId === machine.serial);
        const complete = new Set(steps.filter((entry) => entry.state === 'succeeded').map((entry) => entry.action)).size === 10;
        // Either enrolled to the end, or its node carries the interruption as its typed error, or a wave stop left it
        // for later: skipped, pending (a stop) or held back by the other machine's interruption (its result says which).
        const result = results.find((entry) => entry.nodeId === machine.serial);
        const reported = node?.errorType === 'APPLY_INTERRUPTED' || (result?.outcome === 'skipped' && (summary.pending > 0 || result.heldByFailure === true));
        expect({ machine: machine.serial, state: node?.state, errorType: node?.errorType, done: complete ? node?.state : reported }).toEqual({ machine: machine.serial, state: node?.state, errorType: node?.errorType, done: complete ? 'configuring' : true });
      }
      // The commit's summary covers every machine the journal shows acted on, whichever pass a kill cut short.
      const summarized = new Set(results.map((entry) => entry.nodeId));
      const actedOn = machines.filter((machine) => journal.some((entry) => entry.nodeId === machine.serial)).map((machine) => machine.serial);
      expect(actedOn.filter((serial) => !summarized.has(serial))).toEqual([]);
      const status = await readControllerStatus(url).catch(() => undefined);
      expect(status).toBeUndefined(); // the controller was stopped; the store alone answers for it
    } finally {
      await controllerStore.close();
      await store.close();
    }
  }, 600_000);
});
