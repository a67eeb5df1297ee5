import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createCompiler } from '../reconciler/compile/compile.js';
import type { CompileInput } from '../reconciler/compile/types.js';
import { classifyNodes } from '../reconciler/inventory/classify-nodes.js';
import type { InventorySnapshot } from '../reconciler/inventory/snapshot.js';
import type { DesiredState } from '../reconciler/manifests/desired-state.js';
import { findManifestFiles } from '../reconciler/manifests/find-manifest-files.js';
import { validateRepository } from '../reconciler/manifests/validate-repository.js';
import { buildFleetSnapshot } from './fleet-snapshot.js';
import { generateRepository } from './generate-repo.js';
import { describeRatio, describeTimings, timeWallAndCpu } from './measure.js';

/**
 * `npm run bench:compile`: compile (hostnames, IPAM, cluster facts, every ENC rendered and digested) of the
 * synthetic repository with an inventory of the same machines, cold and after one machine's profile changes,
 * next to a bare YAML parse of the same repository. Classification is done beforehand and not timed.
 * Goals: cold ≤ 3 × parse; incremental ≤ 50 ms. Rounds alternate and the median is kept; each round times four
 * incremental compiles, each after the profile switched.
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function parseOnly(root: string): Promise<void> {
  for (const file of await findManifestFiles(root)) {
    const parsed = parseAllDocuments(await readFile(join(root, file), 'utf8'));
    for (const document of Array.isArray(parsed) ? parsed : []) document.toJS();
  }
}

/** The same desired state with one Node's profile switched (compute ↔ compute-gpu: same role, other profile). */
function switchProfile(desired: DesiredState, name: string, profile: string): DesiredState {
  const node = desired.nodes.get(name);
  if (!node) throw new Error(`no Node ${name}`);
  const nodes = new Map(desired.nodes);
  nodes.set(name, { ...node, spec: { ...node.spec, profile } });
  return { ...desired, nodes };
}

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-compile-'));
try {
  const generated = await generateRepository(root, { nodes: NODES });
  const validated = await validateRepository(root);
  if (!validated.desired) throw new Error(`the generated repository must be valid: ${JSON.stringify(validated.problems.slice(0, 3))}`);
  const desired = validated.desired;
  const snapshot = buildFleetSnapshot(desired);
  const base: CompileInput = { desired, classifications: classifyNodes(desired, snapshot.nodes), snapshot };
  const changedDesired = switchProfile(desired, 'node-00000', 'compute-gpu');
  // The controller stores what a compile allocated; the next compile starts from it.
  const first = createCompiler().compile(base);
  const stored: InventorySnapshot = { ...snapshot, allocations: first.allocations, hostnames: first.hostnames, hostnameHighWater: first.hostnameHighWater };
  const changed: CompileInput = { desired: changedDesired, classifications: classifyNodes(changedDesired, snapshot.nodes), snapshot: stored };
  const unchanged: CompileInput = { ...base, snapshot: stored };
  const parseTimes: { wall: number; cpu: number }[] = [];
  const coldTimes: { wall: number; cpu: number }[] = [];
  const incrementalTimes: { wall: number; cpu: number }[] = [];
  let targets = 0;
  let problems = 0;
  let identical = true;
  for (let round = 0; round < ROUNDS; round += 1) {
    parseTimes.push(await timeWallAndCpu(() => parseOnly(root)));
    const compiler = createCompiler();
    coldTimes.push(await timeWallAndCpu(() => {
      const result = compiler.compile(base);
      targets = result.targets.length;
      problems = result.problems.length;
    }));
    compiler.compile(unchanged);
    let incremental = compiler.compile(changed);
    // The profile switches back and forth, so that every timed compile follows a change.
    for (const next of [unchanged, changed, unchanged, changed]) incrementalTimes.push(await timeWallAndCpu(() => (incremental = compiler.compile(next))));
    const cold = createCompiler().compile(changed);
    identical &&= cold.targets.every((target, index) => target.encDigest === incremental.targets[index]?.encDigest);
  }
  console.log(`repository: ${generated.manifests} manifests (${NODES} nodes), ${targets} targets, ${problems} problems; median of ${ROUNDS} rounds; load average ${loadavg()[0]?.toFixed(1)}`);
  console.log(`bare YAML parse of the repository:        ${describeTimings(parseTimes)}`);
  console.log(`compile cold:                             ${describeTimings(coldTimes)}`);
  console.log(`compile after one node's profile change:  ${describeTimings(incrementalTimes, 1)} (goal ≤ 50 ms; same ENCs as a cold compile: ${identical ? 'yes' : 'NO'})`);
  console.log(`ratio cold / parse:                       ${describeRatio(coldTimes, parseTimes)} (goal ≤ 3)`);
} finally {
  await rm(root, { recursive: true, force: true });
}
