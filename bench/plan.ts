import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runPlan } from '../reconciler/cli/commands/plan.js';
import { findManifestFiles } from '../reconciler/manifests/find-manifest-files.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { describeAppliedRevision, planDesiredState } from '../reconciler/plan/plan-desired-state.js';
import { renderPlanMarkdown } from '../reconciler/plan/render-markdown.js';
import { buildFleetSnapshot } from './fleet-snapshot.js';
import { generateRepository } from './generate-repo.js';
import { describeRatio, describeTimings, timeWallAndCpu, type Timing } from './measure.js';

/**
 * `npm run bench:plan`: `plinth plan --output markdown` end to end (read the inventory snapshot, validate,
 * classify, compile, plan, render) on the 10,000-node repository, cold (nothing applied: every machine is
 * enrolled) and with one node's profile changed against the applied state of the unchanged repository, next
 * to a bare YAML parse of the same repository. Rounds alternate; the median is kept.
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function parseOnly(root: string): Promise<void> {
  for (const file of await findManifestFiles(root)) {
    const parsed = parseAllDocuments(await readFile(join(root, file), 'utf8'));
    for (const document of Array.isArray(parsed) ? parsed : []) document.toJS();
  }
}

/** Runs the command as the CLI does, keeping the output's size and the exit code. */
async function runQuiet(flags: Parameters<typeof runPlan>[0]): Promise<{ code: number; bytes: number; last: string }> {
  let output = '';
  const code = await runPlan(flags, { write: (text) => (output += text), warn: (text) => process.stderr.write(text) });
  return { code, bytes: output.length, last: output.trimEnd().split('\n').pop() ?? '' };
}

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-plan-'));
try {
  const baseDir = join(root, 'base');
  const headDir = join(root, 'head');
  const generated = await generateRepository(baseDir, { nodes: NODES });
  await cp(baseDir, headDir, { recursive: true });
  const rack = join(headDir, 'nodes', 'rack-000.yaml');
  // node-00000 is the first document: its profile goes from compute to compute-gpu (same role, new ENC).
  await writeFile(rack, (await readFile(rack, 'utf8')).replace('  profile: compute\n', '  profile: compute-gpu\n'));
  const base = await validateRepository(baseDir);
  if (!base.desired) throw new Error(`the generated repository must be valid: ${JSON.stringify(base.problems.slice(0, 3))}`);
  const snapshot = buildFleetSnapshot(base.desired);
  const applied = describeAppliedRevision(base.desired, snapshot, `main@sha1:${'a'.repeat(40)}`);
  const inventory = join(root, 'inventory.json');
  const stored = join(root, 'inventory-applied.json');
  const appliedFile = join(root, 'applied.json');
  await writeFile(inventory, JSON.stringify(snapshot));
  await writeFile(stored, JSON.stringify(applied.snapshot));
  await writeFile(appliedFile, JSON.stringify(applied.applied));
  const head = await validateRepository(headDir);
  if (!head.desired) throw new Error('the changed repository must be valid');
  const headDesired = head.desired;
  const planOnlyTimes: Timing[] = [];
  const parseTimes: Timing[] = [];
  const coldTimes: Timing[] = [];
  const changedTimes: Timing[] = [];
  let cold = { code: 0, bytes: 0, last: '' };
  let changed = { code: 0, bytes: 0, last: '' };
  for (let round = 0; round < ROUNDS; round += 1) {
    parseTimes.push(await timeWallAndCpu(() => parseOnly(headDir)));
    coldTimes.push(await timeWallAndCpu(async () => (cold = await runQuiet({ repo: baseDir, inventory, output: 'markdown' }))));
    changedTimes.push(await timeWallAndCpu(async () => (changed = await runQuiet({ repo: headDir, inventory: stored, applied: appliedFile, output: 'markdown' }))));
    // The same as the line above without reading files and validating: classify, compile, plan and render.
    planOnlyTimes.push(await timeWallAndCpu(async () => renderPlanMarkdown(planDesiredState({ desired: headDesired, snapshot: applied.snapshot, applied: applied.applied, approvals: { byKind: {} }, revision: 'r' }).plan)));
  }
  console.log(`repository: ${generated.manifests} manifests (${NODES} nodes); median of ${ROUNDS} rounds; load average ${loadavg()[0]?.toFixed(1)}`);
  console.log(`bare YAML parse of the repository:           ${describeTimings(parseTimes)}`);
  console.log(`plinth plan cold (nothing applied):          ${describeTimings(coldTimes)}; exit ${cold.code}, ${cold.bytes} bytes; ${cold.last}`);
  console.log(`plinth plan, one node's profile changed:     ${describeTimings(changedTimes)}; exit ${changed.code}, ${changed.bytes} bytes; ${changed.last}`);
  console.log(`  of which classify + compile + plan + render: ${describeTimings(planOnlyTimes)}`);
  console.log(`ratio cold / parse:                          ${describeRatio(coldTimes, parseTimes)}`);
  console.log(`ratio one change / parse:                    ${describeRatio(changedTimes, parseTimes)}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
