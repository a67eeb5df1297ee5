/**
 * The ipmitool driver's long-lived sessions against real `ipmi_sim` BMCs: reuse, recovery from a killed process,
 * a restarted BMC and a hung one, refused passwords, idle close, shutdown, and the password kept off argv.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BmcError } from '../../reconciler/drivers/bmc/errors.js';
import {
  createIpmitoolDriver,
  prepareIpmitoolHome,
  startProcess,
  type IpmitoolDriver,
  type IpmitoolDriverOptions,
  type ProcessStarter,
} from '../../reconciler/drivers/bmc/ipmitool/index.js';
import { createBmcClient } from '../../reconciler/drivers/bmc/registry.js';
import type { BmcTarget } from '../../reconciler/drivers/bmc/types.js';
import { runCommand, type CommandRunner } from '../../reconciler/lib/command.js';
import { readState, reservePort, SIMULATOR_CIPHER_SUITE, startBmc, startBmcs, stopBmcs, type SimulatedBmc } from '../support/ipmi-sim.js';

const PASSWORD = 'Sess-7pw-noArgv';
let home = '';
let bmcs: SimulatedBmc[] = [];
const drivers: IpmitoolDriver[] = [];

/** The real starter and runner, counted: session processes started and one-shot runs. */
function counted() {
  const counts = { starts: 0, oneShots: 0 };
  const starter: ProcessStarter = (file, args, options) => {
    counts.starts += 1;
    return startProcess(file, args, options);
  };
  const runner: CommandRunner = async (file, args, options) => {
    counts.oneShots += 1;
    return runCommand(file, args, options);
  };
  return { counts, starter, runner };
}

function createDriver(options: Partial<IpmitoolDriverOptions> = {}) {
  const { counts, starter, runner } = counted();
  const driver = createIpmitoolDriver({ runCommand: runner, startProcess: starter, cipherSuite: SIMULATOR_CIPHER_SUITE, home, sessionIdleMs: 60_000, ...options });
  drivers.push(driver);
  return { driver, counts };
}

function targetOf(bmc: SimulatedBmc, password = PASSWORD): BmcTarget {
  return { address: bmc.url, credentials: { username: bmc.user, password } };
}

async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Polls until the process is gone; bounded, and the caller asserts the outcome. */
async function waitUntilGone(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 200 && (await isRunning(pid)); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !(await isRunning(pid));
}

async function readCommandLines(): Promise<Array<{ pid: number; line: string }>> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return lines.map((line, index) => ({ pid: Number(pids[index]), line: line.split('\0').join(' ').trim() })).filter((entry) => entry.line !== '');
}

async function failureOf(promise: Promise<unknown>): Promise<BmcError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof BmcError)) throw new Error(`expected a BmcError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  home = await prepareIpmitoolHome(await mkdtemp(join(tmpdir(), 'plinth-ipmitool-home-')));
  bmcs = await startBmcs(4, { password: PASSWORD });
}, 60_000);

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.close()));
});

afterAll(async () => {
  await stopBmcs(bmcs);
  if (home) await rm(home, { recursive: true, force: true });
});

describe('ipmitool sessions against ipmi_sim', () => {
  it('answers many calls on one session, each status right after a power change', async () => {
    const { driver, counts } = createDriver();
    const bmc = bmcs[0]!;
    const target = targetOf(bmc);
    for (let round = 0; round < 3; round += 1) {
      for (const state of ['on', 'off'] as const) {
        expect(await driver.ensurePower(target, state)).toMatchObject({ changed: true, after: state });
        expect((await readState(bmc.statePath)).power).toBe(state);
        for (let call = 0; call < 4; call += 1) expect(await driver.getPower(target)).toBe(state);
      }
    }
    expect(await driver.ensureBootDevice(target, 'pxe', { persistent: true, efi: true })).toMatchObject({ changed: true });
    expect((await readState(bmc.statePath)).boot).toBe('pxe');
    expect(counts).toEqual({ starts: 1, oneShots: 0 });
    expect(driver.sessionPids).toHaveLength(1);
  });

  it('opens a new session on the next call after its process was killed from outside', async () => {
    const { driver, counts } = createDriver();
    const target = targetOf(bmcs[0]!);
    expect(await driver.getPower(target)).toBe('off');
    const [first] = driver.sessionPids;
    process.kill(first!, 'SIGKILL');
    expect(await waitUntilGone(first!)).toBe(true);

    expect(await driver.getPower(target)).toBe('off');
    expect(driver.sessionPids).toHaveLength(1);
    expect(driver.sessionPids[0]).not.toBe(first);
    expect(counts.starts).toBe(2);
  });

  it('reconnects when the BMC restarted and forgot the session', async () => {
    const { driver, counts } = createDriver();
    const old = bmcs[1]!;
    expect(await driver.getPower(targetOf(old))).toBe('off');
    await old.stop();
    const restarted = await startBmc({ address: old.address, port: old.port, password: PASSWORD, power: 'on' });
    bmcs[1] = restarted;

    // The stale session answers with an error; the call is sent again on a one-shot run and succeeds.
    expect(await driver.getPower(targetOf(restarted))).toBe('on');
    expect(counts).toEqual({ starts: 1, oneShots: 1 });
    // The next call opens a fresh session.
    expect(await driver.getPower(targetOf(restarted))).toBe('on');
    expect(counts).toEqual({ starts: 2, oneShots: 1 });
  }, 30_000);

  it('refuses a wrong password with BMC_AUTH after one attempt and keeps no session', async () => {
    const { driver, counts } = createDriver();
    const bmc = bmcs[2]!;
    const before = await readState(bmc.statePath);
    const error = await failureOf(driver.ensurePower(targetOf(bmc, 'not-the-pass'), 'on'));
    expect(error.code).toBe('BMC_AUTH');
    expect(error.transient).toBe(false);
    expect(JSON.stringify(error.details) + error.message).not.toContain('not-the-pass');
    expect(counts).toEqual({ starts: 1, oneShots: 0 });
    expect(driver.sessionPids).toEqual([]);
    expect((await readState(bmc.statePath)).calls).toEqual(before.calls);
  });

  it('kills a session that hangs past the call timeout and reports BMC_TIMEOUT', async () => {
    const { driver } = createDriver({ retransmit: { timeoutSeconds: 5, retries: 3 } });
    const bmc = bmcs[3]!;
    expect(await driver.getPower(targetOf(bmc))).toBe('off');
    const [pid] = driver.sessionPids;
    process.kill(bmc.pid, 'SIGSTOP');
    try {
      const error = await failureOf(driver.getPower(targetOf(bmc), { timeoutMs: 500 }));
      expect(error.code).toBe('BMC_TIMEOUT');
      expect(error.transient).toBe(true);
    } finally {
      process.kill(bmc.pid, 'SIGCONT');
    }
    expect(await waitUntilGone(pid!)).toBe(true);
    expect(driver.sessionPids).toEqual([]);
  });

  it('stops opening a session when the caller aborts, leaving no process', async () => {
    const pids: number[] = [];
    const starter: ProcessStarter = (file, args, options) => {
      const child = startProcess(file, args, options);
      if (child.pid !== undefined) pids.push(child.pid);
      return child;
    };
    // ipmitool itself would wait out its retransmits (90 s) on the frozen BMC: only the abort can end this call in time.
    const driver = createIpmitoolDriver({ runCommand, startProcess: starter, cipherSuite: SIMULATOR_CIPHER_SUITE, home, sessionIdleMs: 60_000, retransmit: { timeoutSeconds: 30, retries: 3 } });
    drivers.push(driver);
    const bmc = await startBmc({ address: '127.0.0.42', password: PASSWORD });
    process.kill(bmc.pid, 'SIGSTOP');
    try {
      const abort = new AbortController();
      const call = failureOf(driver.getPower(targetOf(bmc), { timeoutMs: 600_000, signal: abort.signal }));
      for (let attempt = 0; attempt < 200 && pids.length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 25));
      abort.abort();
      // Settled while the BMC is still frozen, so by the abort: ipmitool on its own would still be waiting.
      await call;
    } finally {
      process.kill(bmc.pid, 'SIGCONT');
      await bmc.stop();
    }
    expect(pids).toHaveLength(1);
    expect(await waitUntilGone(pids[0]!)).toBe(true);
    expect(driver.sessionPids).toEqual([]);
  }, 30_000);

  it('keeps one session for a BMC whether or not its address names the default port', async () => {
    const bmc = await startBmc({ address: '127.0.0.41', port: 623, password: PASSWORD });
    try {
      const { driver, counts } = createDriver();
      expect(await driver.getPower({ address: 'ipmi://127.0.0.41', credentials: { username: bmc.user, password: PASSWORD } })).toBe('off');
      expect(await driver.getPower({ address: 'ipmi://127.0.0.41:623', credentials: { username: bmc.user, password: PASSWORD } })).toBe('off');
      expect(counts).toEqual({ starts: 1, oneShots: 0 });
    } finally {
      await bmc.stop();
    }
  });

  it('closes a session after its idle time, leaving no process', async () => {
    const { driver } = createDriver({ sessionIdleMs: 200 });
    expect(await driver.getPower(targetOf(bmcs[0]!))).toBe('off');
    const [pid] = driver.sessionPids;
    expect(await isRunning(pid!)).toBe(true);
    expect(await waitUntilGone(pid!)).toBe(true);
    expect(driver.sessionPids).toEqual([]);
  });

  it('keeps at most maxSessions open, closing the least recently used idle one to open another', async () => {
    const { driver, counts } = createDriver({ maxSessions: 2 });
    const [first, second, third] = [bmcs[0]!, bmcs[1]!, bmcs[2]!];
    await driver.getPower(targetOf(first));
    await driver.getPower(targetOf(second));
    const [firstPid, secondPid] = driver.sessionPids;
    await driver.getPower(targetOf(second));
    await driver.getPower(targetOf(third));
    expect(driver.sessionPids).toHaveLength(2);
    expect(driver.sessionPids).toContain(secondPid);
    expect(await waitUntilGone(firstPid!)).toBe(true);
    expect(counts.starts).toBe(3);
  });

  it('ends every session on close(): no ipmitool process is left for these BMCs', async () => {
    const client = createBmcClient({ runCommand, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home } });
    const ours = (line: string) => line.includes('ipmitool') && bmcs.some((bmc) => line.includes(` -p ${bmc.port} `));
    let open: Array<{ pid: number; line: string }>;
    try {
      await Promise.all(bmcs.map((bmc) => client.getPower(targetOf(bmc))));
      open = (await readCommandLines()).filter((entry) => ours(entry.line));
      expect(open).toHaveLength(bmcs.length);
    } finally {
      await client.close();
    }
    const gone = await Promise.all(open.map((entry) => waitUntilGone(entry.pid)));
    expect(gone.every(Boolean)).toBe(true);
    expect((await readCommandLines()).filter((entry) => ours(entry.line))).toEqual([]);
  });

  it('never shows the password on any command line while sessions are open', async () => {
    const { driver } = createDriver();
    await Promise.all(bmcs.map((bmc) => driver.getPower(targetOf(bmc))));
    const lines = await readCommandLines();
    expect(lines.filter((entry) => entry.line.includes(PASSWORD))).toEqual([]);
    const sessions = lines.filter((entry) => driver.sessionPids.includes(entry.pid));
    expect(sessions).toHaveLength(bmcs.length);
    expect(sessions.every((entry) => / -E .* shell$/.test(entry.line) && !entry.line.includes(' -P '))).toBe(true);
  });

  it('leaves no ipmitool running when the process that opened the session dies without closing it', async () => {
    const bmc = bmcs[0]!;
    const driverModule = fileURLToPath(new URL('../../reconciler/drivers/bmc/ipmitool/index.ts', import.meta.url));
    const commandModule = fileURLToPath(new URL('../../reconciler/lib/command.ts', import.meta.url));
    const script = join(home, 'dies.mts');
    await writeFile(script, [
      `import { createIpmitoolDriver } from ${JSON.stringify(driverModule)};`,
      `import { runCommand } from ${JSON.stringify(commandModule)};`,
      `const driver = createIpmitoolDriver({ runCommand, mode: 'session', cipherSuite: '${SIMULATOR_CIPHER_SUITE}', sessionIdleMs: 60000 });`,
      `await driver.getPower({ address: '${bmc.url}', credentials: { username: '${bmc.user}', password: process.env.BMC_PASSWORD } });`,
      'console.log(driver.sessionPids[0]);',
      "process.kill(process.pid, 'SIGKILL');",
      '',
    ].join('\n'));
    const result = await runCommand(process.execPath, ['--import', 'tsx', script], { env: { BMC_PASSWORD: PASSWORD }, timeoutMs: 30_000 });
    const pid = Number(result.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const gone = await waitUntilGone(pid);
    // A session that survived its parent would spin on its closed input: end it before reporting.
    if (!gone) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  }, 40_000);

  it('keeps one-shot mode selectable: no session process at all', async () => {
    const { driver, counts } = createDriver({ mode: 'one-shot' });
    expect(await driver.getPower(targetOf(bmcs[0]!))).toBe('off');
    expect(counts).toEqual({ starts: 0, oneShots: 1 });
    expect(driver.sessionPids).toEqual([]);
  });

  it('fails a dead BMC as unreachable while live ones answer, through the isolation layer', async () => {
    const { counts, starter, runner } = counted();
    const client = createBmcClient(
      { runCommand: runner, startProcess: starter, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home } },
      { retry: { attempts: 2, baseDelayMs: 50, maxDelayMs: 100 } },
    );
    const dead = `ipmi://127.0.0.1:${await reservePort('127.0.0.1')}`;
    try {
      const [deadOutcome, ...live] = await Promise.allSettled([
        client.getPower({ address: dead, credentials: { username: 'admin', password: PASSWORD } }),
        ...bmcs.map((bmc) => client.getPower(targetOf(bmc))),
      ]);
      expect(live.map((outcome) => outcome.status)).toEqual(bmcs.map(() => 'fulfilled'));
      expect(deadOutcome?.status === 'rejected' && (deadOutcome.reason as BmcError).code).toBe('BMC_UNREACHABLE');
      expect(counts).toEqual({ starts: bmcs.length + 2, oneShots: 0 });
    } finally {
      await client.close();
    }
  }, 30_000);
});
