import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NetnsEnd, NetnsPair } from '../support/netns.js';

export interface RunningDnsmasq {
  pid: number;
  /** Stops dnsmasq by its PID and waits (bounded) for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts dnsmasq in the foreground (`-k`) inside a namespace with the given configuration, and waits until its
 * log says the DHCP range is served. `ip netns exec` execs dnsmasq in place, so the child's PID is dnsmasq's.
 */
export async function startDnsmasq(pair: NetnsPair, end: NetnsEnd, configPath: string, logPath: string): Promise<RunningDnsmasq> {
  const [program, args] = pair.command(end, 'dnsmasq', ['-k', '-C', configPath]);
  const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited with ${child.exitCode}: ${stderr}`);
    const log = await readFile(logPath, 'utf8').catch(() => '');
    if (log.includes('DHCP, IP range')) return { pid: child.pid ?? -1, stop: () => stopChild(child, exited) };
    await sleep(50);
  }
  await stopChild(child, exited);
  throw new Error(`dnsmasq did not report its DHCP range within 5 s: ${stderr}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), sleep(3000, undefined, { ref: false }).then(() => false)]);
  if (!stopped) child.kill('SIGKILL');
}
