/** Small measuring helpers the benchmarks share. */

/** The middle value (the upper one of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall-clock and CPU (user + system, this process) milliseconds of one run. */
export interface Timing {
  wall: number;
  cpu: number;
}

/** Wall-clock milliseconds of one run. */
export async function timeWall(action: () => unknown): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

export async function timeWallAndCpu(action: () => unknown): Promise<Timing> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await action();
  const cpu = process.cpuUsage(cpuStart);
  return { wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 };
}

/** `1.42 wall, 1.37 CPU`: the ratio of the medians of `times` to those of `base`. */
export function describeRatio(times: readonly Timing[], base: readonly Timing[]): string {
  const ratio = (pick: (entry: Timing) => number): string => (median(times.map(pick)) / median(base.map(pick))).toFixed(2);
  return `${ratio((entry) => entry.wall)} wall, ${ratio((entry) => entry.cpu)} CPU`;
}

/** `123 ms wall, 98 ms CPU`: the medians of several runs. */
export function describeTimings(times: readonly Timing[], digits = 0): string {
  return `${median(times.map((entry) => entry.wall)).toFixed(digits)} ms wall, ${median(times.map((entry) => entry.cpu)).toFixed(digits)} ms CPU`;
}
