import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../reconciler/cli/commands/plan.js';
import { ProgressReporter } from '../reconciler/lib/progress.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { buildFleetSnapshot } from './fleet-snapshot.js';
import { generateRepository } from './generate-repo.js';
import { describeRatio, describeTimings, timeWallAndCpu, type Timing } from './measure.js';

/**
 * `npm run bench:progress`: `plinth plan --output markdown` on the 10,000-node repository and its inventory
 * (as `bench/plan.ts` runs it), without a progress display and with one drawing on a terminal-like sink
 * (redraw mode, every update told, redraws limited to 10 per second). Rounds alternate; the median is kept.
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-progress-'));
try {
  const repo = join(root, 'repo');
  await generateRepository(repo, { nodes: NODES });
  const validated = await validateRepository(repo);
  if (!validated.desired) throw new Error('the generated repository must be valid');
  const inventory = join(root, 'inventory.json');
  await writeFile(inventory, JSON.stringify(buildFleetSnapshot(validated.desired)));
  const flags = { repo, inventory, output: 'markdown' as const };
  const plain: Timing[] = [];
  const shown: Timing[] = [];
  let updates = 0;
  let bytes = 0;
  const outputs = new Set<string>();
  for (let round = 0; round < ROUNDS; round += 1) {
    let output = '';
    plain.push(await timeWallAndCpu(() => runPlan(flags, { write: (text) => (output += text), warn: (text) => process.stderr.write(text) })));
    outputs.add(output);
    output = '';
    const progress = new ProgressReporter({ stream: { write: (text: string) => (bytes += text.length) }, mode: 'redraw', label: 'plan' });
    const report = progress.report;
    shown.push(await timeWallAndCpu(async () => {
      await runPlan(flags, { write: (text) => (output += text), warn: (text) => process.stderr.write(text), progress: (update) => (updates += 1, report(update)) });
      progress.finish('done');
    }));
    outputs.add(output);
  }
  console.log(`${NODES} nodes; median of ${ROUNDS} rounds; load average ${loadavg()[0]?.toFixed(1)}`);
  console.log(`plinth plan without progress:   ${describeTimings(plain)}`);
  console.log(`plinth plan with progress drawn: ${describeTimings(shown)} (${Math.round(updates / ROUNDS)} updates, ${Math.round(bytes / ROUNDS)} bytes to the terminal per run)`);
  console.log(`ratio with / without: ${describeRatio(shown, plain)}`);
  console.log(`same plan output in every run: ${outputs.size === 1}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
