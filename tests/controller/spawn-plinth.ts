import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCommand } from '../../reconciler/lib/command.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Bundles the CLI into one file (esbuild, dependencies left external) so that a test restarting the
 * controller dozens of times pays Node's start-up only, not a TypeScript compile per start. The bundle
 * lives under node_modules/.cache so that it still finds plinth's package.json and data folders.
 */
export async function bundleCli(): Promise<{ path: string; remove(): Promise<void> }> {
  await mkdir(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'node_modules', '.cache', 'plinth-cli-'));
  const path = join(dir, 'plinth.mjs');
  const result = await runCommand(join(ROOT, 'node_modules', '.bin', 'esbuild'), [
    join(ROOT, 'reconciler', 'cli', 'main.ts'), '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${path}`, '--log-level=error',
  ]);
  if (result.exitCode !== 0) throw new Error(`bundling the CLI failed: ${result.stderr}`);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface PlinthProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `plinth serve` (bundled) with its output appended to `logPath`. */
export async function spawnPlinth(bundle: string, args: readonly string[], env: Record<string, string>, logPath: string): Promise<PlinthProcess> {
  const log = await open(logPath, 'a');
  const child = spawn(process.execPath, [bundle, 'serve', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited };
}

/** Polls /healthz until it answers 200 or the process exits. */
export async function waitHealthy(url: string, plinth: PlinthProcess, rounds = 400): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    if (plinth.child.exitCode !== null || plinth.child.signalCode !== null) throw new Error(`plinth exited (${plinth.child.exitCode ?? plinth.child.signalCode})`);
    const ok = await fetch(`${url}/healthz`).then((response) => response.ok, () => false);
    if (ok) return;
    await sleep(50);
  }
  throw new Error('plinth did not become healthy');
}
