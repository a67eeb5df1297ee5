import { afterEach, describe, expect, it } from '@jest/globals';
import { createGithubStatusDriver } from '../../reconciler/report/forges/github/github-status-driver.js';
import { StatusReporter } from '../../reconciler/report/status-reporter.js';
import { ContractServer, loadContracts } from './contract-server.js';
import { GithubStatusServer } from './github-status-server.js';

let server: ContractServer | GithubStatusServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('StatusReporter with the GitHub driver against a recorded outage', () => {
  it('keeps the status through a 503 and a 429, then delivers it once GitHub recovers', async () => {
    const found = (await loadContracts('github')).find((entry) => entry.name === 'outage-then-recovery.json');
    if (!found) throw new Error('missing contract github/outage-then-recovery');
    let now = Date.parse('2026-01-10T09:00:00Z');
    server = new ContractServer(found.contract.interactions);
    const baseUrl = await server.start();
    const driver = createGithubStatusDriver({ baseUrl, project: found.contract.project, token: found.contract.token, now: () => now });
    const waits: number[] = [];
    const reporter = new StatusReporter({
      driver,
      backoffMs: () => 1_000,
      // The clock moves by the wait instead of the test sleeping through it.
      setTimer: (callback, ms) => {
        waits.push(ms);
        now += ms;
        setImmediate(callback);
      },
    });
    reporter.report(found.contract.desired);
    await reporter.whenIdle();
    expect(server.mismatches).toEqual([]);
    expect(server.remaining).toBe(0);
    expect(reporter.pending).toBe(0);
    expect(waits).toEqual([1_000, 30_000]);
  });
});

describe('StatusReporter with the GitHub driver at its own request rate', () => {
  it('gets every status through at a steady rate of one request per second, each a read then a write', async () => {
    const github = new GithubStatusServer({ owner: 'acme', repo: 'pub1', token: 'rate-test-token' });
    server = github;
    const baseUrl = await github.start();
    let now = Date.parse('2026-01-10T09:00:00Z');
    const driver = createGithubStatusDriver({ baseUrl, project: 'acme/pub1', token: 'rate-test-token', now: () => now, rate: { perSecond: 1, burst: 2 } });
    const waits: number[] = [];
    let giveUp: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (giveUp = resolve));
    const reporter = new StatusReporter({
      driver,
      setTimer: (callback, ms) => {
        waits.push(ms);
        now += ms;
        // A reporter that never gets through would wait forever: stop it after far more waits than needed.
        if (waits.length <= 100) setImmediate(callback);
        else giveUp();
      },
    });
    const shas = ['1', '2', '3', '4', '5'].map((digit) => digit.repeat(40));
    for (const sha of shas) reporter.report({ sha, state: 'success', context: 'plinth/pub1', description: 'applied: 0 ok, 0 failed, 0 blocked' });
    await Promise.race([reporter.whenIdle(), stuck]);

    expect(github.refusals).toEqual([]);
    expect(shas.map((sha) => github.statesOf(sha))).toEqual(shas.map(() => ['success']));
    expect(waits.length).toBeLessThanOrEqual(shas.length);
  });
});
