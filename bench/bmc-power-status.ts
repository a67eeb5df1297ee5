/**
 * Power status of 100 simulated BMCs (ipmi_sim on loopback), in one run:
 *   (a) plinth's BMC client as the controller runs it (ipmitool driver behind isolation, default concurrency
 *       limit, compact vendor registry from prepareIpmitoolHome, one long-lived ipmitool session per BMC);
 *       the first round opens the sessions (shown apart), the timed rounds reuse them, as a controller that
 *       polls its BMCs does
 *   (a') the same client in one-shot mode (one ipmitool process per call)
 *   (a'') one-shot with ipmitool's stock 4.7 MB registry, to show what each part contributes
 *   (b) a sequential bash loop over ipmitool (how OCI polls BMCs)
 *   (c) `xargs -P 32 ipmitool`
 * Each is timed ROUNDS times (median shown). Usage: npx tsx bench/bmc-power-status.ts [BMCS] [ROUNDS]
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCommand } from '../reconciler/lib/command.js';
import { createBmcClient } from '../reconciler/drivers/bmc/registry.js';
import { prepareIpmitoolHome, type IpmitoolMode } from '../reconciler/drivers/bmc/ipmitool/index.js';
import { ISOLATION_DEFAULTS, type IsolatedBmcDriver } from '../reconciler/drivers/bmc/isolation/index.js';
import { SIMULATOR_CIPHER_SUITE, startBmcs, stopBmcs, type SimulatedBmc } from '../tests/support/ipmi-sim.js';
import { median } from './measure.js';

const BMCS = Number(process.argv[2] ?? 100);
const ROUNDS = Number(process.argv[3] ?? 3);
const PASSWORD = 'bench-pass-1';
// The same ipmitool options on every side, so only the orchestration differs.
const IPMITOOL_OPTIONS = ['-I', 'lanplus', '-U', 'admin', '-E', '-C', SIMULATOR_CIPHER_SUITE, '-N', '1', '-R', '1'];

interface Timed {
  ms: number;
  answered: number;
  /** CPU (user + sys) the child processes used, when the side can report it. */
  childCpuMs?: number;
  /** CPU (user + sys) this Node process used to drive the calls, for the plinth sides. */
  nodeCpuMs?: number;
}

/** The parent and name of a process, from its /proc/PID/stat line. */
function readParentAndName(stat: string): { ppid: number; comm: string } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
}

/** CPU a running process used so far, in ms: /proc/PID/schedstat counts nanoseconds (stat rounds to 10 ms ticks). */
async function readRunningCpuMs(pid: string): Promise<number> {
  const schedstat = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => '0');
  return Number(schedstat.split(' ')[0]) / 1e6;
}

/**
 * CPU of this process's children: the finished, reaped ones (cutime + cstime in /proc/self/stat; ipmitool runs,
 * and bash or xargs for the shell sides) plus the ipmitool session processes still running. The simulators
 * are children too, but they count only once reaped, after the measurements.
 */
async function readChildCpuMs(): Promise<number> {
  const self = await readFile('/proc/self/stat', 'utf8');
  const fields = self.slice(self.lastIndexOf(')') + 2).split(' ');
  const reaped = (Number(fields[13]) + Number(fields[14])) * 10;
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')));
  const sessions = pids.filter((_pid, index) => {
    const stat = stats[index] ?? '';
    if (stat === '') return false;
    const { ppid, comm } = readParentAndName(stat);
    return ppid === process.pid && comm === 'ipmitool';
  });
  const running = await Promise.all(sessions.map(readRunningCpuMs));
  return reaped + running.reduce((sum, ms) => sum + ms, 0);
}

function createClient(mode: IpmitoolMode, home?: string): IsolatedBmcDriver {
  return createBmcClient({ runCommand, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home, mode } });
}

async function viaPlinth(client: IsolatedBmcDriver, bmcs: SimulatedBmc[]): Promise<Timed> {
  const childCpuBefore = await readChildCpuMs();
  const nodeCpuBefore = process.cpuUsage();
  const start = performance.now();
  const states = await Promise.all(
    bmcs.map((bmc) => client.getPower({ address: bmc.url, credentials: { username: bmc.user, password: PASSWORD } })),
  );
  const ms = performance.now() - start;
  const nodeCpu = process.cpuUsage(nodeCpuBefore);
  const answered = states.filter((state) => state === 'on' || state === 'off').length;
  const childCpuMs = (await readChildCpuMs()) - childCpuBefore;
  return { ms, answered, childCpuMs, nodeCpuMs: (nodeCpu.user + nodeCpu.system) / 1000 };
}

/** One client for all rounds of a side; its sessions are closed once the side is measured. */
async function measureClient(name: string, client: IsolatedBmcDriver, bmcs: SimulatedBmc[]): Promise<{ ms: number; childCpuMs?: number }> {
  try {
    return await measure(name, () => viaPlinth(client, bmcs));
  } finally {
    await client.close();
  }
}

async function viaShell(file: string, args: string[], input: string): Promise<Timed> {
  const childCpuBefore = await readChildCpuMs();
  const start = performance.now();
  const result = await runCommand(file, args, { input, env: { IPMI_PASSWORD: PASSWORD } });
  const ms = performance.now() - start;
  const answered = (result.stdout.match(/Chassis Power is (on|off)/g) ?? []).length;
  return { ms, answered, childCpuMs: (await readChildCpuMs()) - childCpuBefore };
}

function sequentialLoop(bmcs: SimulatedBmc[]): Promise<Timed> {
  const loop = `while read -r host port; do ipmitool ${IPMITOOL_OPTIONS.join(' ')} -H "$host" -p "$port" chassis power status; done`;
  return viaShell('bash', ['-c', loop], bmcs.map((bmc) => `${bmc.address} ${bmc.port}\n`).join(''));
}

function xargsParallel(bmcs: SimulatedBmc[]): Promise<Timed> {
  const lines = bmcs.map((bmc) => `-H ${bmc.address} -p ${bmc.port} chassis power status\n`).join('');
  return viaShell('xargs', ['-P', '32', '-L', '1', 'ipmitool', ...IPMITOOL_OPTIONS], lines);
}

/** `children 5.1 ms + node 1.6 ms`: CPU per call (children: ipmitool, and bash or xargs), medians over the rounds. */
function describeCpu(childCpu: number[], nodeCpu: number[]): string {
  const perCall = (values: number[]): string => `${(median(values) / BMCS).toFixed(1)} ms`;
  const parts = [
    ...(childCpu.length > 0 ? [`children ${perCall(childCpu)}`] : []),
    ...(nodeCpu.length > 0 ? [`node ${perCall(nodeCpu)}`] : []),
  ];
  return parts.length > 0 ? `; CPU per call: ${parts.join(' + ')}` : '';
}

async function measure(name: string, run: () => Promise<Timed>, roundCount = ROUNDS): Promise<{ ms: number; childCpuMs?: number }> {
  const times: number[] = [];
  const childCpu: number[] = [];
  const nodeCpu: number[] = [];
  for (let round = 0; round < roundCount; round += 1) {
    const { ms, answered, childCpuMs, nodeCpuMs } = await run();
    if (answered !== BMCS) throw new Error(`${name}: ${answered} of ${BMCS} BMCs answered`);
    times.push(ms);
    if (childCpuMs !== undefined) childCpu.push(childCpuMs);
    if (nodeCpuMs !== undefined) nodeCpu.push(nodeCpuMs);
  }
  const result = median(times);
  const rounds = times.map((t) => t.toFixed(0)).join(', ');
  const cpu = describeCpu(childCpu, nodeCpu);
  console.log(`${name.padEnd(44)} ${result.toFixed(0).padStart(6)} ms  (rounds: ${rounds}${cpu})`);
  return { ms: result, ...(childCpu.length > 0 ? { childCpuMs: median(childCpu) } : {}) };
}

/** What the CPU alone allows with stock ipmitool: every run costs this much CPU, whoever starts it. */
function printCpuBound(sequential: { ms: number; childCpuMs?: number }): void {
  if (sequential.childCpuMs === undefined) return;
  const cores = availableParallelism();
  const perCall = sequential.childCpuMs / BMCS;
  const floor = sequential.childCpuMs / cores;
  const best = (sequential.ms / floor).toFixed(1);
  console.log(`stock ipmitool CPU per call (user+sys), from (b): ${perCall.toFixed(1)} ms; on ${cores} cores, no`);
  console.log(`  orchestration of stock ipmitool finishes ${BMCS} calls in under ~${floor.toFixed(0)} ms (best ~${best}x (b))`);
}

async function main(): Promise<void> {
  console.log(`starting ${BMCS} ipmi_sim BMCs...`);
  const bmcs = await startBmcs(BMCS, { password: PASSWORD });
  const home = await prepareIpmitoolHome(await mkdtemp(join(tmpdir(), 'plinth-bench-ipmitool-')));
  try {
    // Warm the page cache for ipmitool and its registry files.
    for (const client of [createClient('one-shot'), createClient('one-shot', home)]) await viaPlinth(client, bmcs.slice(0, 1));
    console.log(`power status of ${BMCS} BMCs, median of ${ROUNDS} rounds:`);
    const concurrency = ISOLATION_DEFAULTS.concurrency;
    const sessions = createClient('session', home);
    const opening = await measure(`(a0) plinth, first round: opens ${BMCS} sessions`, async () => viaPlinth(sessions, bmcs), 1);
    const plinth = await measureClient(`(a) plinth client, sessions (concurrency ${concurrency})`, sessions, bmcs);
    const oneShot = await measureClient("(a') same, one-shot ipmitool per call", createClient('one-shot', home), bmcs);
    const stock = await measureClient("(a'') one-shot, ipmitool's stock registry", createClient('one-shot'), bmcs);
    const sequential = await measure('(b) sequential bash loop of ipmitool', () => sequentialLoop(bmcs));
    const xargs = await measure('(c) xargs -P 32 ipmitool', () => xargsParallel(bmcs));
    console.log(`(b)/(a) speed-up over the sequential loop: ${(sequential.ms / plinth.ms).toFixed(2)}x (goal >= 10x)`);
    console.log(`(b)/(a0) the same with the sessions still to open: ${(sequential.ms / opening.ms).toFixed(2)}x`);
    console.log(`(a)/(c) plinth time relative to xargs -P 32: ${(plinth.ms / xargs.ms).toFixed(2)} (goal <= 1.2)`);
    console.log(`(b)/(a') and (a')/(c) in one-shot mode: ${(sequential.ms / oneShot.ms).toFixed(2)}x, ${(oneShot.ms / xargs.ms).toFixed(2)}`);
    console.log(`(b)/(a'') and (a'')/(c) one-shot, stock registry: ${(sequential.ms / stock.ms).toFixed(2)}x, ${(stock.ms / xargs.ms).toFixed(2)}`);
    printCpuBound(sequential);
  } finally {
    await stopBmcs(bmcs);
    await rm(home, { recursive: true, force: true });
  }
}

await main();
