import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestSettings } from '../support/dnsmasq-settings.js';
import type { JournalEntry } from '../../reconciler/store/types.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { startBmc, type SimulatedBmc } from '../support/ipmi-sim.js';
import { findFreePort } from '../support/sshd.js';
import { readExampleBase, renderNodeManifests } from './e2e-repo.js';
import { postReport, readJournal, waitForJournal } from './harness.js';
import { bundleCli, spawnPlinth, waitHealthy, type PlinthProcess } from './spawn-plinth.js';

const PASSWORD_ENV = 'PLINTH_SHUTDOWN_BMC_PASSWORD';

describe('plinth serve stopped with SIGTERM during an apply', () => {
  let dir: string;
  let git: GitFixture;
  let bmc: SimulatedBmc | undefined;
  let bundle: Awaited<ReturnType<typeof bundleCli>> | undefined;
  let plinth: PlinthProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-shutdown-'));
    bundle = await bundleCli();
    git = await createGitFixture('plinth-shutdown-git-');
    bmc = await startBmc({ address: '127.0.0.2' });
  }, 60_000);

  afterAll(async () => {
    if (plinth?.child.exitCode === null) {
      plinth.child.kill('SIGKILL');
      await plinth.exited;
    }
    await bmc?.stop();
    await bundle?.remove();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  const readAllJournal = (): Promise<JournalEntry[]> => readJournal(join(dir, 'data'));

  it('journals the step in flight as interrupted, starts nothing more, and exits 0', async () => {
    const machine = { name: 'waiting', serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', profile: 'compute', macs: macsFor(1), bmcUrl: bmc?.url ?? '' };
    const settings = buildTestSettings(join(dir, 'dhcp'), { network: '10.30.0.0/22', serverAddress: '10.30.0.1', discoveryRange: { start: '10.30.3.100', end: '10.30.3.199' } });
    for (const folder of [settings.paths.hostsDir, settings.paths.stagingDir]) await mkdir(folder, { recursive: true });
    await writeFile(join(dir, 'dnsmasq.json'), JSON.stringify(settings));
    await git.commitFiles(await readExampleBase(), 'cluster');
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const args = ['--repo', git.remoteUrl, '--data', join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--poll-interval', '1', '--dnsmasq-settings', join(dir, 'dnsmasq.json'), '--ipmi-cipher-suite', '3', '--no-notes'];
    plinth = await spawnPlinth(bundle?.path ?? '', args, { [PASSWORD_ENV]: bmc?.password ?? '', PLINTH_LOG_LEVEL: 'warn' }, join(dir, 'plinth.log'));
    await waitHealthy(url, plinth);
    expect(await postReport(url, machine)).toBe(202);
    await git.commitFiles({ 'nodes/waiting.yaml': renderNodeManifests([machine], PASSWORD_ENV, bmc?.user ?? '') }, 'one machine');
    // Nobody answers the machine's boot: the enrolment waits for its report from the deploy environment.
    const isWaiting = (entry: JournalEntry): boolean => entry.detail['op'] === 'wait-state' && entry.state === 'started';
    const waiting = (await waitForJournal(join(dir, 'data'), (entries) => entries.some(isWaiting))).find(isWaiting);
    expect(waiting).toBeDefined();

    plinth.child.kill('SIGTERM');
    const code = await plinth.exited;

    expect(code).toBe(0);
    const journal = await readAllJournal();
    expect(journal.find((entry) => entry.id === waiting?.id)?.state).toBe('interrupted');
    expect(journal.filter((entry) => entry.state === 'planned' || entry.state === 'started')).toEqual([]);
    expect(journal.some((entry) => entry.id > (waiting?.id ?? 0))).toBe(false);
  }, 120_000);
});
