import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import type { JournalEntry } from '../../reconciler/store/types.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { readState, SIMULATOR_CIPHER_SUITE, startBmc, type SimulatedBmc } from '../support/ipmi-sim.js';
import { readExampleBase, renderNodeManifests } from './e2e-repo.js';
import { postReport, sendPushHook, waitForJournal, waitForRevision } from './harness.js';

const SECRET = 'join-running-apply-secret';
const PASSWORD_ENV = 'PLINTH_JOIN_BMC_PASSWORD';

describe('a machine reporting while an apply runs', () => {
  let dir: string;
  let git: GitFixture;
  const bmcs: SimulatedBmc[] = [];
  let plinth: RunningPlinth | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-join-'));
    git = await createGitFixture('plinth-join-git-');
    // Both simulators take the same password, so one environment variable serves both Node manifests.
    bmcs.push(await startBmc({ address: '127.0.0.2' }));
    bmcs.push(await startBmc({ address: '127.0.0.3', password: bmcs[0]?.password }));
  }, 60_000);

  afterAll(async () => {
    await plinth?.stop();
    for (const bmc of bmcs) await bmc.stop();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('joins the running apply of the same commit instead of waiting for it to end', async () => {
    const [first, second] = bmcs;
    const machine = (name: string, serial: string, index: number, bmc: SimulatedBmc | undefined) => ({
      name, serial, fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute', macs: macsFor(index), bmcUrl: bmc?.url ?? '',
    });
    const early = machine('early', 'CMP0001', 1, first);
    const late = machine('late', 'CMP0002', 2, second);
    await git.commitFiles(await readExampleBase(), 'cluster');
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
      webhookSecrets: [SECRET], notes: false, ipmiCipherSuite: SIMULATOR_CIPHER_SUITE, env: { [PASSWORD_ENV]: first?.password }, secretsDir: dir, reports: { rateLimit: false },
    }, silentLogger());
    const revision = `main@sha1:${await git.commitFiles({ 'nodes/machines.yaml': renderNodeManifests([early, late], PASSWORD_ENV, first?.user ?? '') }, 'two machines')}`;
    expect(await sendPushHook(plinth.url, SECRET)).toBe(202);
    await waitForRevision(plinth.url, revision);
    expect(await postReport(plinth.url, early)).toBe(202);

    // Nobody answers the early machine's boot: its action waits for the deploy environment's report.
    const waitingOn = (entries: readonly JournalEntry[], nodeId: string) =>
      entries.find((entry) => entry.nodeId === nodeId && entry.detail['op'] === 'wait-state' && entry.state === 'started');
    let entries = await waitForJournal(join(dir, 'data'), (read) => waitingOn(read, 'CMP0001') !== undefined, revision);
    expect(waitingOn(entries, 'CMP0001')).toBeDefined();

    expect(await postReport(plinth.url, late)).toBe(202);
    entries = await waitForJournal(join(dir, 'data'), (read) => waitingOn(read, 'CMP0002') !== undefined, revision);

    // The late machine was powered on into the deploy environment by the same commit's apply, which is still
    // waiting on the early one: it did not wait for that apply to end.
    expect(waitingOn(entries, 'CMP0002')).toBeDefined();
    expect(waitingOn(entries, 'CMP0001')).toBeDefined();
    expect(entries.filter((entry) => entry.nodeId === 'CMP0002' && entry.detail['op'] === 'power').map((entry) => entry.state)).toContain('succeeded');
    expect((await readState(second?.statePath ?? '')).power).toBe('on');
  }, 120_000);
});
