import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import type { JournalEntry } from '../../reconciler/store/types.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { SIMULATOR_CIPHER_SUITE, startBmc, type SimulatedBmc } from '../support/ipmi-sim.js';
import { readExampleBase, renderNodeManifests } from './e2e-repo.js';
import { postReport, readJournal, sendPushHook, waitForRevision } from './harness.js';

const SECRET = 'replan-webhook-secret';
const PASSWORD_ENV = 'PLINTH_REPLAN_BMC_PASSWORD';
const FIXTURE = 'dell/poweredge-r7525/ED52A1D54F9D';
const BURST = 20;

async function readReconcileCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^plinth_reconcile_duration_seconds_count (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
}

/** Polls `probe` until it returns a value (bounded); the test fails with `what` otherwise. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, rounds = 600): Promise<T> {
  for (let round = 0; round < rounds; round += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('reports of new machines make the controller plan the current revision again', () => {
  let dir: string;
  let git: GitFixture;
  let bmc: SimulatedBmc | undefined;
  let plinth: RunningPlinth | undefined;
  const dbPath = (): string => join(dir, 'data', 'plinth.db');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-replan-'));
    git = await createGitFixture('plinth-replan-git-');
    bmc = await startBmc({ address: '127.0.0.5' });
  }, 60_000);

  afterAll(async () => {
    await plinth?.stop();
    await bmc?.stop();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const readNodeJournal = async (revision: string, nodeId: string): Promise<JournalEntry[]> =>
    (await readJournal(join(dir, 'data'), revision)).filter((entry) => entry.nodeId === nodeId);

  async function isKnown(nodeId: string): Promise<boolean> {
    const store = SqliteStore.open(dbPath());
    try {
      return (await store.getNode(nodeId)) !== undefined;
    } finally {
      await store.close();
    }
  }

  it('enrols a named machine when its first report arrives, without a new commit, and folds a burst of reports into one more reconcile', async () => {
    const machine = { name: 'late', serial: 'CMP0007', fixture: FIXTURE, profile: 'compute', macs: macsFor(7), bmcUrl: bmc?.url ?? '' };
    const revision = `main@sha1:${await git.commitFiles({ ...(await readExampleBase()), 'nodes/late.yaml': renderNodeManifests([machine], PASSWORD_ENV, bmc?.user ?? '') }, 'one machine')}`;
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
      webhookSecrets: [SECRET], notes: false, ipmiCipherSuite: SIMULATOR_CIPHER_SUITE, env: { [PASSWORD_ENV]: bmc?.password }, secretsDir: dir, reports: { rateLimit: false },
    }, silentLogger());
    const url = plinth.url;
    await waitForRevision(url, revision);
    const first = await waitFor('the first reconcile to be counted', async () => ((await readReconcileCount(url)) >= 1 ? readReconcileCount(url) : undefined));
    expect({ known: await isKnown(machine.serial), journal: await readNodeJournal(revision, machine.serial) }).toEqual({ known: false, journal: [] });

    expect(await postReport(url, machine)).toBe(202);
    // The enrolment runs at the same revision and waits for the machine to boot into the deploy environment.
    const waiting = await waitFor('the enrolment to wait for the machine', async () =>
      (await readNodeJournal(revision, machine.serial)).find((entry) => entry.detail['op'] === 'wait-state' && entry.state === 'started'));
    const statuses = await Promise.all(Array.from({ length: BURST }, (_, index) => postReport(url, { serial: `BURST${String(index).padStart(2, '0')}`, fixture: FIXTURE, macs: macsFor(100 + index) })));
    expect(statuses).toEqual(new Array<number>(BURST).fill(202));
    expect(await postReport(url, machine)).toBe(202); // the machine's deploy environment answers

    // The enrolment's reconcile, then exactly one more for the whole burst that arrived while it ran.
    await waitFor('the enrolment to finish', async () => ((await readReconcileCount(url)) >= first + 2 ? true : undefined));
    const after = `main@sha1:${await git.commitFiles({ 'nodes/README.md': 'Machines pinned by serial.\n' }, 'document the folder')}`;
    expect(await sendPushHook(url, SECRET)).toBe(202);
    await waitForRevision(url, after);
    await waitFor('the new commit to be counted', async () => ((await readReconcileCount(url)) >= first + 3 ? true : undefined));

    const enrolment = (await readNodeJournal(revision, machine.serial)).filter((entry) => entry.detail['actionId'] === waiting.detail['actionId']);
    expect(enrolment.find((entry) => entry.id === waiting.id)?.state).toBe('succeeded');
    expect(enrolment.filter((entry) => entry.state === 'succeeded').map((entry) => entry.detail['op'])).toEqual(
      ['dhcp-ensure', 'boot-device', 'power', 'wait-state', 'image-deploy', 'boot-device', 'power', 'wait-state', 'enc-publish', 'puppet-run'],
    );
    expect(await readReconcileCount(url)).toBe(first + 3);
  }, 180_000);
});
