/**
 * Lab boot benchmark (not a test): for 1, 4 and 8 VMs powered on at once through their simulated BMCs, the time
 * from the power-on call to the node's report stored by plinth, and to the BMC reading off again (the discovery
 * system powers the VM off after reporting). Needs root and the lab's Debian packages.
 * Run: sudo npx tsx bench/lab-boot.ts [COUNTS...]   (default 1 4 8)
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildLabConfig, type LabNode } from '../lab/lab-config.js';
import { bringLabDown } from '../lab/lab-down.js';
import { bringLabUp, generateBmcPassword } from '../lab/lab-up.js';
import { ensureLiveSystem } from '../lab/live-system.js';
import { findMissingPrerequisites } from '../lab/prerequisites.js';
import { createNamespaceRunner } from '../lab/provisioning-network.js';
import { LAB_CIPHER_SUITE } from '../lab/simulated-bmc.js';
import { createIpmitoolDriver } from '../reconciler/drivers/bmc/ipmitool/index.js';
import type { BmcTarget } from '../reconciler/drivers/bmc/types.js';
import { SqliteStore } from '../reconciler/store/sqlite/sqlite-store.js';

const DEADLINE_MS = 300_000;

function benchNodes(count: number): LabNode[] {
  return Array.from({ length: count }, (_, index) => {
    const suffix = (index + 1).toString(16).padStart(2, '0');
    return { name: `bench-${index + 1}`, mac: `52:54:00:25:02:${suffix}`, serial: `PLINTH-BENCH-${suffix}`, firmware: 'bios', memoryMiB: 512, diskGiB: 4, bmcAddress: `127.25.250.${11 + index}` };
  });
}

interface NodeTiming {
  name: string;
  reportSeconds?: number;
  offSeconds?: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (value: number | undefined): string => (value === undefined ? 'timeout' : value.toFixed(1));

/** Powers every node on at once, then polls the store and the BMCs until all reported and read off. */
async function measure(count: number, liveDir: string): Promise<NodeTiming[]> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-lab-bench-'));
  await chmod(root, 0o755);
  const statePath = join(root, 'state.json');
  const password = generateBmcPassword();
  const config = buildLabConfig(process.cwd(), { namespace: 'plinth-lab-bench', dir: join(root, 'run'), nodes: benchNodes(count) });
  try {
    const lab = await bringLabUp(config, { statePath, liveDir, bmcPassword: password, controller: 'reports' });
    const bmc = createIpmitoolDriver({ runCommand: createNamespaceRunner(config.namespace), cipherSuite: LAB_CIPHER_SUITE });
    const targets = new Map<string, BmcTarget>(config.nodes.map((node) => [node.name, { address: `ipmi://${node.bmcAddress}:${config.bmcPort}`, credentials: { username: config.bmcUser, password } }]));
    const timings = new Map<string, NodeTiming>(config.nodes.map((node) => [node.name, { name: node.name }]));
    const started = performance.now();
    await Promise.all(config.nodes.map(async (node) => {
      const target = targets.get(node.name)!;
      await bmc.ensureBootDevice(target, 'pxe', { persistent: false, efi: false });
      await bmc.ensurePower(target, 'on');
    }));
    const store = SqliteStore.open(lab.databasePath);
    try {
      while (performance.now() - started < DEADLINE_MS && [...timings.values()].some((timing) => timing.offSeconds === undefined)) {
        const elapsed = (performance.now() - started) / 1000;
        const reported = new Set((await store.listNodes()).map((node) => node.id));
        for (const node of config.nodes) {
          const timing = timings.get(node.name)!;
          if (timing.reportSeconds === undefined && reported.has(node.serial)) timing.reportSeconds = elapsed;
          if (timing.reportSeconds !== undefined && timing.offSeconds === undefined && (await bmc.getPower(targets.get(node.name)!)) === 'off') timing.offSeconds = elapsed;
        }
        await sleep(250);
      }
    } finally {
      await store.close();
    }
    return [...timings.values()];
  } finally {
    await bringLabDown(statePath);
    await rm(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const problems = await findMissingPrerequisites();
  if (problems.length > 0) throw new Error(`cannot run the lab benchmark: ${problems.join('; ')}`);
  const counts = process.argv.slice(2).map(Number).filter((count) => count > 0);
  const liveDir = await ensureLiveSystem(undefined, 'pipe');
  const results: { count: number; report: number; off: number }[] = [];
  for (const count of counts.length > 0 ? counts : [1, 4, 8]) {
    const load = loadavg()[0]?.toFixed(1);
    const timings = await measure(count, liveDir);
    const reports = timings.map((timing) => timing.reportSeconds).filter((value): value is number => value !== undefined);
    const offs = timings.map((timing) => timing.offSeconds).filter((value): value is number => value !== undefined);
    console.log(`${count} VM(s) at once (load before: ${load}):`);
    for (const timing of timings) console.log(`  ${timing.name.padEnd(9)} power-on → report ${seconds(timing.reportSeconds)} s, → BMC off ${seconds(timing.offSeconds)} s`);
    console.log(`  report: median ${median(reports).toFixed(1)} s, last ${Math.max(...reports).toFixed(1)} s; BMC off: last ${Math.max(...offs).toFixed(1)} s`);
    results.push({ count, report: Math.max(...reports), off: Math.max(...offs) });
  }
  const single = results.find((result) => result.count === 1);
  console.log(`\nhost: ${cpus().length} cores, TCG (no KVM): each VM needs about one core for its whole boot`);
  for (const result of results) {
    const ratio = single ? (result.report / single.report).toFixed(2) : '-';
    const perVm = (result.report / result.count).toFixed(1);
    console.log(`${result.count} VM(s): last report ${result.report.toFixed(1)} s = ${ratio} × one VM; ${perVm} s of wall time per VM`);
  }
  console.log('bound: CPU (emulated boot of firmware, iPXE, kernel and initramfs; VMs beyond the core count share cores), then the serial steps per VM: DHCP, script, kernel+initrd download, agent, POST');
}

await main();
