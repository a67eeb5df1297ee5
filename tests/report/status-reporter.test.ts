import { afterEach, describe, expect, it } from '@jest/globals';
import { createGithubStatusDriver } from '../../reconciler/report/forges/github/github-status-driver.js';
import { StatusReporter } from '../../reconciler/report/status-reporter.js';
import { ContractServer, loadContracts } from './contract-server.js';

let server: ContractServer | undefined;
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
