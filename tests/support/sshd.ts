import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../reconciler/lib/command.js';
import type { SshEndpoint } from '../../reconciler/lib/ssh-session.js';

/** A real OpenSSH server on 127.0.0.1 with its own host key and one authorized client key, for tests and the lab. */
export interface TestSshd {
  port: number;
  pid: number;
  dir: string;
  /** The server's host key as a discovery report carries it (`ssh-ed25519 AAAA...`). */
  hostKey: string;
  clientPrivateKey: string;
  /** How plinth reaches this server, host key pinned. */
  endpoint(): SshEndpoint;
  /** What sshd has logged so far (`-e` sends its log to stderr). */
  log(): string;
  /** SIGKILLs every session process (the per-connection sshd children and what they run), keeping the listener. */
  killSessions(): number;
  stop(): Promise<void>;
}

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** Generates an ed25519 key pair with ssh-keygen into DIR/NAME and DIR/NAME.pub. */
export async function generateKeyPair(dir: string, name: string): Promise<KeyPair> {
  const path = join(dir, name);
  const result = await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', path]);
  if (result.exitCode !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`);
  return { privateKey: await readFile(path, 'utf8'), publicKey: (await readFile(`${path}.pub`, 'utf8')).trim() };
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface SshdOptions {
  /** Extra sshd_config lines, e.g. `SetEnv PATH=...` to give sessions a reduced toolset. */
  extraConfig?: string[];
}

function renderConfig(dir: string, port: number, extraConfig: readonly string[]): string {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'hostkey')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The temp directory is not owned the way StrictModes wants.
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'Subsystem sftp internal-sftp',
    ...extraConfig,
    '',
  ].join('\n');
}

/** Starts `sshd -D -e -f CONFIG` on a free loopback port and waits until it listens. Stop it with `stop()`. */
export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'plinth-sshd-'));
  const host = await generateKeyPair(dir, 'hostkey');
  const client = await generateKeyPair(dir, 'clientkey');
  await writeFile(join(dir, 'authorized_keys'), `${client.publicKey}\n`);
  const port = await findFreePort();
  await writeFile(join(dir, 'sshd_config'), renderConfig(dir, port, options.extraConfig ?? []));
  // The privilege-separation directory; sshd refuses to start without it.
  await mkdir('/run/sshd', { recursive: true });
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
  });
  await waitForListening(child, () => log, port);
  const pid = child.pid ?? 0;
  return {
    port,
    pid,
    dir,
    hostKey: host.publicKey,
    clientPrivateKey: client.privateKey,
    endpoint: () => ({ host: '127.0.0.1', port, username: userInfo().username, hostKey: host.publicKey, privateKey: client.privateKey }),
    log: () => log,
    killSessions: () => killDescendants(pid),
    stop: async () => {
      killDescendants(pid);
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitForListening(child: ChildProcess, log: () => string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sshd did not listen on port ${port} within 10 s: ${log()}`)), 10_000);
    const onData = (): void => {
      if (log().includes(`Server listening on 127.0.0.1 port ${port}`)) done();
    };
    const onExit = (code: number | null): void => fail(new Error(`sshd exited with ${code}: ${log()}`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    const done = (): void => {
      cleanup();
      resolve();
    };
    const fail = (error: Error): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** Every process below PID, found through /proc (synchronous, so a progress callback can call it). */
function listDescendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses; the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while /proc was being read.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function killDescendants(pid: number): number {
  const pids = listDescendants(pid);
  for (const child of pids) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}
