import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts a long-running program detached from this process (its own session, output to a log file), so it
 * outlives `npm run lab`; `down` stops it by PID. Secrets go in `env`, never in `args` (visible in /proc).
 */
export async function startDetached(file: string, args: readonly string[], logPath: string, options: { cwd?: string; env?: Record<string, string> } = {}): Promise<number> {
  const log = await open(logPath, 'a');
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', log.fd, log.fd], cwd: options.cwd, env: { ...process.env, ...options.env } });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid ?? -1));
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process's command line, or undefined when it is gone. Zombies have an empty one. */
export async function readCommandLine(pid: number): Promise<string[] | undefined> {
  const text = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : text.split('\0').filter((part) => part !== '');
}

/**
 * Stops `pid` if it still runs `program` (a recycled PID belongs to someone else): SIGTERM, then SIGKILL after
 * `graceMs`. Returns false when there was nothing of ours to stop.
 */
export async function stopProcess(pid: number, program: string, graceMs = 3000): Promise<boolean> {
  const commandLine = await readCommandLine(pid);
  if (!commandLine || !commandLine.some((part) => part === program || part.endsWith(`/${program}`))) return false;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < graceMs && isAlive(pid) && (await readCommandLine(pid))?.length; waited += 50) await sleep(50);
  if (isAlive(pid) && (await readCommandLine(pid))?.length) process.kill(pid, 'SIGKILL');
  return true;
}

/** Polls `check` every `intervalMs` until it returns a value, at most `attempts` times. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, attempts: number, intervalMs: number): Promise<T | undefined> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  return undefined;
}
