import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import type { JournalEntry } from '../../reconciler/store/types.js';
import { GithubStatusServer } from '../report/github-status-server.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { SIMULATOR_CIPHER_SUITE, startBmc, type SimulatedBmc } from '../support/ipmi-sim.js';
import { readExampleBase, renderNodeManifests } from './e2e-repo.js';
import { postReport, readControllerStatus, readJournal, sendPushHook, waitForRevision } from './harness.js';

const SECRET = 'newest-wins-secret';
const PASSWORD_ENV = 'PLINTH_NEWEST_BMC_PASSWORD';
const FORGE_TOKEN = 'ghp_newestWinsToken0123456789abcdefABCDEF';

describe('the newest commit wins', () => {
  let dir: string;
  let git: GitFixture;
  let bmc: SimulatedBmc | undefined;
  let plinth: RunningPlinth | undefined;
  let forge: GithubStatusServer;
  let forgeUrl = '';

  beforeAll(async () => {
    forge = new GithubStatusServer({ owner: 'acme', repo: 'pub1-cluster', token: FORGE_TOKEN });
    forgeUrl = await forge.start();
    dir = await mkdtemp(join(tmpdir(), 'plinth-newest-'));
    git = await createGitFixture('plinth-newest-git-');
    bmc = await startBmc({ address: '127.0.0.2' });
  }, 60_000);

  afterAll(async () => {
    await plinth?.stop();
    await bmc?.stop();
    await forge?.stop();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const readRevisionJournal = (revision: string): Promise<JournalEntry[]> => readJournal(join(dir, 'data'), revision);

  it('cancels the older revision waiting on a machine as soon as a newer commit is announced, and picks the newer one up', async () => {
    const machine = { name: 'slow', serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute', macs: macsFor(1), bmcUrl: bmc?.url ?? '' };
    const base = await git.commitFiles(await readExampleBase(), 'cluster');
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
      webhookSecrets: [SECRET], notes: false, forge: { kind: 'github', baseUrl: forgeUrl, project: 'acme/pub1-cluster', token: FORGE_TOKEN }, ipmiCipherSuite: SIMULATOR_CIPHER_SUITE, env: { [PASSWORD_ENV]: bmc?.password }, secretsDir: dir, reports: { rateLimit: false },
    }, silentLogger());
    await waitForRevision(plinth.url, `main@sha1:${base}`);
    expect(await postReport(plinth.url, machine)).toBe(202);
    const older = `main@sha1:${await git.commitFiles({ 'nodes/slow.yaml': renderNodeManifests([machine], PASSWORD_ENV, bmc?.user ?? '') }, 'one machine')}`;
    expect(await sendPushHook(plinth.url, SECRET)).toBe(202);
    // Nobody answers the machine's boot, so the older revision waits for its report from the deploy environment.
    let waiting: JournalEntry | undefined;
    for (let round = 0; round < 300 && !waiting; round += 1) {
      await sleep(100);
      waiting = (await readRevisionJournal(older)).find((entry) => entry.detail['op'] === 'wait-state' && entry.state === 'started');
    }
    expect(waiting).toBeDefined();

    const newer = `main@sha1:${await git.commitFiles({ 'nodes/README.md': 'Machines pinned by serial.\n' }, 'document the folder')}`;
    expect(await sendPushHook(plinth.url, SECRET)).toBe(202);
    let status = await readControllerStatus(plinth.url);
    for (let round = 0; round < 300 && status.lastAttempted?.revision !== newer; round += 1) {
      await sleep(100);
      status = await readControllerStatus(plinth.url);
    }

    expect(status.lastAttempted?.revision).toBe(newer);
    expect((await readRevisionJournal(older)).find((entry) => entry.id === waiting?.id)?.state).toBe('interrupted');
    // The older commit's status is final: it will never be applied further, so it must not stay pending.
    const olderSha = older.slice('main@sha1:'.length);
    const newerSha = newer.slice('main@sha1:'.length);
    for (let round = 0; round < 100 && forge.statesOf(olderSha).at(-1) === 'pending'; round += 1) await sleep(100);
    expect(forge.statesOf(olderSha)).toEqual(['pending', 'error']);
    expect(forge.statuses.get(olderSha)?.at(-1)?.description).toMatch(new RegExp(`^superseded by ${newerSha.slice(0, 12)} before its apply ended: `));
  }, 120_000);
});
