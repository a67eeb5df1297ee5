/**
 * Isolation and limits with real simulators: a dead BMC and a wrong-password BMC among 20 live ones, one
 * operation in flight per BMC, and the password never on any command line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareIpmitoolHome } from '../../reconciler/drivers/bmc/ipmitool/index.js';
import { runCommand, type CommandRunner } from '../../reconciler/lib/command.js';
import { createBmcClient } from '../../reconciler/drivers/bmc/registry.js';
import type { BmcError } from '../../reconciler/drivers/bmc/errors.js';
import type { BmcTarget } from '../../reconciler/drivers/bmc/types.js';
import { reservePort, SIMULATOR_CIPHER_SUITE, startBmcs, stopBmcs, type SimulatedBmc } from '../support/ipmi-sim.js';

// IPMI passwords hold at most 16 bytes in ipmi_sim's user table.
const PASSWORD = 'Zq8-noArgv-31';
let live: SimulatedBmc[] = [];
let deadAddress = '';
let home = '';

/** The real runner, observed: how many runs per BMC, and the most in flight at once (per BMC and overall). */
function observe(runner: CommandRunner) {
  const runs = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peaks = { perBmc: 0, overall: 0 };
  let overall = 0;
  const wrapped: CommandRunner = async (file, args, options) => {
    const key = `${args[args.indexOf('-H') + 1]}:${args[args.indexOf('-p') + 1]}`;
    runs.set(key, (runs.get(key) ?? 0) + 1);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    overall += 1;
    peaks.perBmc = Math.max(peaks.perBmc, inFlight.get(key) ?? 0);
    peaks.overall = Math.max(peaks.overall, overall);
    try {
      return await runner(file, args, options);
    } finally {
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      overall -= 1;
    }
  };
  return { wrapped, runs, peaks };
}

function targetOf(address: string, password = PASSWORD): BmcTarget {
  return { address, credentials: { username: 'admin', password } };
}

/** Every process command line visible now, as the kernel shows it to any user. */
async function readCommandLines(): Promise<string[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const lines = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return lines.map((line) => line.split('\0').join(' ')).filter((line) => line !== '');
}

beforeAll(async () => {
  home = await prepareIpmitoolHome(await mkdtemp(join(tmpdir(), 'plinth-ipmitool-home-')));
  live = await startBmcs(21, { password: PASSWORD });
  // Index 20 plays the BMC whose password plinth has wrong.
  const port = await reservePort('127.0.0.1');
  deadAddress = `ipmi://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await stopBmcs(live);
  if (home) await rm(home, { recursive: true, force: true });
});

describe('BMC isolation with 1 dead, 1 wrong-password and 20 live simulators', () => {
  it('completes every live BMC before the dead one gives up, never retries the wrong password, then fails the dead one fast', async () => {
    // One-shot runs, so that every ipmitool run is one observed call (sessions: ipmitool-session.test.ts).
    const { wrapped, runs } = observe(runCommand);
    const client = createBmcClient(
      { runCommand: wrapped, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home, mode: 'one-shot' } },
      { concurrency: 4, retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 400 }, breaker: { failureThreshold: 3, openMs: 60_000 } },
    );
    const liveBmcs = live.slice(0, 20);
    const wrongPassword = live[20]!;
    const settled: string[] = [];
    const call = (target: BmcTarget) =>
      client.getPower(target).then(
        (state) => (settled.push(target.address), state),
        (error: unknown) => (settled.push(target.address), Promise.reject(error)),
      );
    // The dead BMC is asked first, so it takes a worker before anyone else.
    const outcomes = await Promise.allSettled([
      call(targetOf(deadAddress)),
      call(targetOf(wrongPassword.url, 'not-the-password')),
      ...liveBmcs.map((bmc) => call(targetOf(bmc.url))),
    ]);

    const [dead, wrong, ...rest] = outcomes;
    expect(rest.map((outcome) => outcome.status)).toEqual(liveBmcs.map(() => 'fulfilled'));
    expect(rest.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : undefined))).toEqual(liveBmcs.map(() => 'off'));
    expect(dead?.status === 'rejected' && (dead.reason as BmcError).code).toBe('BMC_UNREACHABLE');
    expect(wrong?.status === 'rejected' && (wrong.reason as BmcError).code).toBe('BMC_AUTH');
    // Ordering, not wall-clock: every live BMC finished before the dead one's retries ran out.
    expect(settled.at(-1)).toBe(deadAddress);
    expect(settled.indexOf(deadAddress)).toBeGreaterThan(Math.max(...liveBmcs.map((bmc) => settled.indexOf(bmc.url))));

    const key = (url: string) => url.replace('ipmi://', '');
    expect(runs.get(key(wrongPassword.url))).toBe(1);
    expect(runs.get(key(deadAddress))).toBe(3);

    // Its breaker is now open: the next call fails at once without running ipmitool.
    const again = await client.getPower(targetOf(deadAddress)).then(() => undefined, (error: unknown) => error as BmcError);
    expect(again?.code).toBe('BMC_CIRCUIT_OPEN');
    expect(runs.get(key(deadAddress))).toBe(3);
    expect(client.breakers.state(deadAddress)).toBe('open');
  }, 60_000);

  it('keeps one operation in flight per BMC while running several BMCs at once', async () => {
    const { wrapped, peaks } = observe(runCommand);
    const client = createBmcClient({ runCommand: wrapped, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home, mode: 'one-shot' } }, { concurrency: 6 });
    const targets = live.slice(0, 6).map((bmc) => targetOf(bmc.url));
    const calls = targets.flatMap((target) => [client.getPower(target), client.getPower(target), client.getInfo(target)]);
    await Promise.all(calls);
    expect(peaks.perBmc).toBe(1);
    expect(peaks.overall).toBeGreaterThan(1);
    expect(peaks.overall).toBeLessThanOrEqual(6);
  }, 60_000);

  it('never shows the password on any command line while a batch of calls runs', async () => {
    // With the stock vendor registry each ipmitool run lives longer, so the sampler sees more of them.
    const client = createBmcClient({ runCommand, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, mode: 'one-shot' } }, { concurrency: 20 });
    const seenIpmitool: string[] = [];
    const leaks: string[] = [];
    let running = true;
    // Rounds of 20 calls go on until the sampler has caught enough of them in flight (bounded either way).
    const batch = (async () => {
      try {
        for (let round = 0; round < 100 && seenIpmitool.length < 10; round += 1) {
          await Promise.all(live.slice(0, 20).map((bmc) => client.getPower(targetOf(bmc.url))));
        }
      } finally {
        running = false;
      }
    })();
    for (let sample = 0; sample < 5000 && running; sample += 1) {
      for (const line of await readCommandLines()) {
        if (line.includes(PASSWORD)) leaks.push(line);
        if (line.startsWith('ipmitool ')) seenIpmitool.push(line);
      }
    }
    await batch;
    expect(leaks).toEqual([]);
    // The sampling did catch calls in flight, so the check above had something to look at.
    expect(seenIpmitool.length).toBeGreaterThan(0);
    expect(seenIpmitool.every((line) => line.includes(' -E ') && !line.includes(' -P '))).toBe(true);
  }, 60_000);
});
