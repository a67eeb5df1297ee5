import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ControllerStatus } from '../../reconciler/controller/read-status.js';
import { readExampleBase } from '../controller/e2e-repo.js';
import { waitHealthy, type PlinthProcess } from '../controller/spawn-plinth.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { buildHardwareReport, listHardwareFixtures, macsFor } from '../support/hardware-report.js';
import { findFreePort } from '../support/sshd.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REPORTS = 6;

/** `plinth serve` from source under tsx, as in the lab: the analysis workers load TypeScript too. */
async function spawnFromSource(args: readonly string[], logPath: string): Promise<PlinthProcess> {
  const log = await open(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'reconciler', 'cli', 'main.ts'), 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, PLINTH_LOG_LEVEL: 'info' },
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

async function readStatus(url: string): Promise<ControllerStatus> {
  return (await (await fetch(`${url}/v1/status`)).json()) as ControllerStatus;
}

describe('plinth serve analyses reports on worker threads', () => {
  let dir: string;
  let git: GitFixture | undefined;
  let plinth: PlinthProcess | undefined;
  let url = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-serve-workers-'));
    git = await createGitFixture('plinth-serve-workers-git-');
    await git.commitFiles(await readExampleBase(), 'example cluster');
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    const args = ['--repo', git.remoteUrl, '--data', join(dir, 'data'), '--listen', `127.0.0.1:${port}`, '--poll-interval', '3600', '--no-notes', '--report-workers', '1'];
    plinth = await spawnFromSource(args, join(dir, 'plinth.log'));
    await waitHealthy(url, plinth, 1200);
  }, 120_000);

  afterAll(async () => {
    if (plinth && plinth.child.exitCode === null) {
      plinth.child.kill('SIGKILL');
      await plinth.exited;
    }
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('answers a burst of reports, each analysed on the worker pool and stored before its 202', async () => {
    const fixtures = listHardwareFixtures();
    const statuses = await Promise.all(
      Array.from({ length: REPORTS }, async (_, index) => {
        const report = buildHardwareReport({ fixture: fixtures[index] ?? '', serial: `WORKER${index}`, macs: macsFor(100 + index) });
        const body = gzipSync(JSON.stringify(report));
        const response = await fetch(`${url}/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses).toEqual(Array.from({ length: REPORTS }, () => 202));
    // Acknowledged means stored: the status counts every node at once, without waiting.
    const status = await readStatus(url);
    expect(Object.values(status.nodesByState).reduce((sum, count) => sum + count, 0)).toBe(REPORTS);
    const log = await readFile(join(dir, 'plinth.log'), 'utf8');
    expect(log).toContain('"msg":"report analysis on worker threads"');
    expect(log).not.toContain('runs on the event loop');
  }, 60_000);
});
