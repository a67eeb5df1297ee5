/**
 * Simulated BMCs for tests and the lab: one `ipmi_sim` (OpenIPMI) process per BMC, each on its own loopback
 * address and UDP port, configured from a temporary directory. Its chassis-control hook records power, boot device
 * and every call in files, read back with `readState`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, open, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StartBmcOptions {
  user?: string;
  password?: string;
  /** A loopback address (any 127.x.y.z works without setup). */
  address?: string;
  /** A free UDP port is chosen when absent. */
  port?: number;
  /** Power state at start. */
  power?: 'on' | 'off';
}

export interface SimulatedBmc {
  /** `ipmi://address:port`, as plinth's BMC drivers take it. */
  url: string;
  address: string;
  port: number;
  user: string;
  password: string;
  /** Directory holding `power` (1/0), `boot` and `calls.log`; pass it to `readState`. */
  statePath: string;
  pid: number;
  stop(): Promise<void>;
}

export interface SimulatedBmcState {
  power: 'on' | 'off';
  /** The device as ipmi_sim names it to its hook: pxe, default (hard disk), none, cdrom, bios. */
  boot: string;
  /** Every hook call, in order, e.g. `set power 1`, `set boot pxe`, `set shutdown 1`. */
  calls: string[];
}

/** ipmi_sim implements RMCP+ with SHA-1 and MD5 only: cipher suite 3, not 17. */
export const SIMULATOR_CIPHER_SUITE = '3';

const HOOK = fileURLToPath(new URL('./chassis-control.sh', import.meta.url));
const READY_ATTEMPTS = 300;

/** Asks the kernel for a free UDP port on `address`; used both for simulators and for "dead" BMC addresses. */
export async function reservePort(address = '127.0.0.1'): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function lanConf(name: string, options: Required<StartBmcOptions>, statePath: string): string {
  return [
    `name "${name}"`,
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr ${options.address} ${options.port}`,
    '    priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((level) => `    allowed_auths_${level} none md2 md5 straight`),
    // Unique per address and port, so `mc guid` tells simulators apart.
    `    guid a1234567${procNetUdpKey(options.address, options.port).replace(':', '').padStart(24, '0')}`,
    '  endlan',
    `  chassis_control "/bin/sh ${HOOK} ${statePath}"`,
    `  user 2 true "${options.user}" "${options.password}" admin 10 none md2 md5 straight`,
    '',
  ].join('\n');
}

const EMULATOR_COMMANDS = ['mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02', 'mc_enable 0x20', ''];

/** `/proc/net/udp` writes IPv4 local addresses as little-endian hex, then the port in hex. */
function procNetUdpKey(address: string, port: number): string {
  const bytes = address.split('.').map((part) => Number(part).toString(16).padStart(2, '0').toUpperCase());
  return `${bytes.reverse().join('')}:${port.toString(16).padStart(4, '0').toUpperCase()}`;
}

/** Inodes of the UDP sockets bound to `address:port`, from the kernel's socket table. */
async function socketInodes(address: string, port: number): Promise<string[]> {
  const key = procNetUdpKey(address, port);
  const table = await readFile('/proc/net/udp', 'utf8');
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === key)
    .map((fields) => fields[9] ?? '');
}

/** Whether process `pid` holds one of these sockets: a simulator that failed to bind keeps running, silently. */
async function holdsSocket(pid: number, inodes: string[]): Promise<boolean> {
  if (inodes.length === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return links.some((link) => inodes.some((inode) => link === `socket:[${inode}]`));
}

async function waitUntilListening(child: ChildProcess, address: string, port: number, logPath: string): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = await readFile(logPath, 'utf8').catch(() => '');
      throw new Error(`ipmi_sim on ${address}:${port} exited at start: ${log.trim()}`);
    }
    if (await holdsSocket(child.pid ?? -1, await socketInodes(address, port))) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`ipmi_sim on ${address}:${port} did not start listening`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts one simulated BMC and resolves once it listens. With no port given, a free one is picked, and picked
 * again if another process takes it between the pick and the start.
 */
export async function startBmc(options: StartBmcOptions = {}): Promise<SimulatedBmc> {
  if (options.port !== undefined) return startBmcOnce(options);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startBmcOnce(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startBmcOnce(options: StartBmcOptions): Promise<SimulatedBmc> {
  const address = options.address ?? '127.0.0.1';
  const settings: Required<StartBmcOptions> = {
    user: options.user ?? 'admin',
    password: options.password ?? 'password',
    address,
    port: options.port ?? (await reservePort(address)),
    power: options.power ?? 'off',
  };
  if (Buffer.byteLength(settings.password) > 16 || Buffer.byteLength(settings.user) > 16) {
    throw new Error('ipmi_sim keeps at most 16 bytes of a user name or password');
  }
  if ((await socketInodes(address, settings.port)).length > 0) {
    throw new Error(`UDP ${address}:${settings.port} is already in use`);
  }
  const root = await mkdtemp(join(tmpdir(), 'plinth-bmc-'));
  const statePath = join(root, 'state');
  await mkdir(statePath);
  await mkdir(join(root, 'persist'));
  await writeFile(join(statePath, 'power'), settings.power === 'on' ? '1\n' : '0\n');
  await writeFile(join(statePath, 'boot'), 'none\n');
  await writeFile(join(statePath, 'calls.log'), '');
  await writeFile(join(root, 'lan.conf'), lanConf(`bmc${settings.port}`, settings, statePath));
  await writeFile(join(root, 'bmc.emu'), EMULATOR_COMMANDS.join('\n'));
  const logPath = join(root, 'ipmi_sim.log');
  const log = await open(logPath, 'w');
  const args = ['-n', '-c', join(root, 'lan.conf'), '-f', join(root, 'bmc.emu'), '-s', join(root, 'persist')];
  const child = spawn('ipmi_sim', args, { stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await waitUntilListening(child, address, settings.port, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `ipmi://${address}:${settings.port}`;
  return { url, address, port: settings.port, user: settings.user, password: settings.password, statePath, pid: child.pid ?? -1, stop };
}

/** Starts `count` simulators, a few at a time to spare a small machine. */
export async function startBmcs(count: number, options: Omit<StartBmcOptions, 'port'> = {}): Promise<SimulatedBmc[]> {
  const started: SimulatedBmc[] = [];
  try {
    for (let index = 0; index < count; index += 10) {
      const batch = Array.from({ length: Math.min(10, count - index) }, () => startBmc(options));
      started.push(...(await Promise.all(batch)));
    }
  } catch (error) {
    await stopBmcs(started);
    throw error;
  }
  return started;
}

export async function stopBmcs(bmcs: readonly SimulatedBmc[]): Promise<void> {
  await Promise.all(bmcs.map((bmc) => bmc.stop()));
}

export async function readState(statePath: string): Promise<SimulatedBmcState> {
  // The call log first: the hook logs a call once it has taken effect, so the power and boot read after it are at
  // least as new as the last call it lists.
  const calls = await readFile(join(statePath, 'calls.log'), 'utf8');
  const [power, boot] = await Promise.all(['power', 'boot'].map((file) => readFile(join(statePath, file), 'utf8')));
  return {
    power: power?.trim() === '1' ? 'on' : 'off',
    boot: boot?.trim() ?? '',
    calls: calls.split('\n').filter((line) => line !== ''),
  };
}

/** Polls the recorded state until `done` holds (for hook calls ipmi_sim makes after answering, as in a cycle). */
export async function waitForState(
  statePath: string,
  done: (state: SimulatedBmcState) => boolean,
  attempts = 300,
): Promise<SimulatedBmcState> {
  let state = await readState(statePath);
  for (let attempt = 0; attempt < attempts && !done(state); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    state = await readState(statePath);
  }
  return state;
}
