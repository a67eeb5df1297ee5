/**
 * Power status of 100 simulated BMCs (ipmi_sim on loopback), in one run:
 *   (a) plinth's BMC client as the controller runs it (ipmitool driver behind isolation, default concurrency
 *       limit, compact vendor registry from prepareIpmitoolHome)
 *   (a') the same client with ipmitool's stock 4.7 MB registry, to show what each part contributes
 *   (b) a sequential bash loop over ipmitool (how OCI polls BMCs)
 *   (c) `xargs -P 32 ipmitool`
 * Each is timed ROUNDS times (median shown). Usage: npx tsx bench/bmc-power-status.ts [BMCS] [ROUNDS]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCommand } from '../reconciler/lib/command.js';
import { createBmcClient } from '../reconciler/drivers/bmc/registry.js';
import { prepareIpmitoolHome } from '../reconciler/drivers/bmc/ipmitool/index.js';
import { ISOLATION_DEFAULTS } from '../reconciler/drivers/bmc/isolation/index.js';
import { SIMULATOR_CIPHER_SUITE, startBmcs, stopBmcs, type SimulatedBmc } from '../tests/support/ipmi-sim.js';

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

/**
 * CPU of this process's finished, reaped children (`cutime` + `cstime` in /proc/self/stat, in clock ticks of
 * 10 ms on Linux). The simulators are children too, but they count only once reaped, after the measurements.
 */
async function readChildCpuMs(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

async function viaPlinth(bmcs: SimulatedBmc[], home?: string): Promise<Timed> {
  const client = createBmcClient({ runCommand, ipmitool: { cipherSuite: SIMULATOR_CIPHER_SUITE, home } });
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
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

async function measure(name: string, run: () => Promise<Timed>): Promise<{ ms: number; childCpuMs?: number }> {
  const times: number[] = [];
  const childCpu: number[] = [];
  const nodeCpu: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
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
    await viaPlinth(bmcs.slice(0, 1)); // warm the page cache for ipmitool and its registry file
    await viaPlinth(bmcs.slice(0, 1), home);
    console.log(`power status of ${BMCS} BMCs, median of ${ROUNDS} rounds:`);
    const concurrency = ISOLATION_DEFAULTS.concurrency;
    const plinth = await measure(`(a) plinth client (concurrency ${concurrency})`, () => viaPlinth(bmcs, home));
    const stock = await measure("(a') same, ipmitool's stock registry", () => viaPlinth(bmcs));
    const sequential = await measure('(b) sequential bash loop of ipmitool', () => sequentialLoop(bmcs));
    const xargs = await measure('(c) xargs -P 32 ipmitool', () => xargsParallel(bmcs));
    console.log(`(b)/(a) speed-up over the sequential loop: ${(sequential.ms / plinth.ms).toFixed(2)}x (goal >= 10x)`);
    console.log(`(a)/(c) plinth time relative to xargs -P 32: ${(plinth.ms / xargs.ms).toFixed(2)} (goal <= 1.2)`);
    console.log(`(b)/(a') and (a')/(c) with the stock registry: ${(sequential.ms / stock.ms).toFixed(2)}x, ${(stock.ms / xargs.ms).toFixed(2)}`);
    printCpuBound(sequential);
  } finally {
    await stopBmcs(bmcs);
    await rm(home, { recursive: true, force: true });
  }
}

await main();
