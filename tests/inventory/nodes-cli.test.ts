import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runExplain } from '../../reconciler/cli/commands/explain.js';
import { runNodes, runNodesShow } from '../../reconciler/cli/commands/nodes.js';
import { buildSnapshot } from '../../reconciler/inventory/build-snapshot.js';
import type { NodeView } from '../../reconciler/inventory/load-classified-nodes.js';
import { buildRealInventory, R640, type RealMachine } from './real-fleet.js';

const EXAMPLE = path.resolve('cluster-repo-example');

/** Real dumps, cabled to the example's switches: R640s in room A (exact name) and room B (pattern). */
const FLEET: RealMachine[] = [
  { fixture: R640.first, nicCount: 4, nicSpeedMbps: 25000, lldp: [{ switchName: 'par1-a01-tor1', portId: 'Ethernet1/3' }] },
  { fixture: R640.second, nicCount: 4, nicSpeedMbps: 25000, lldp: [{ switchName: 'par1-b02-tor1', portId: 'swp7' }] },
  { fixture: R640.odd, nicCount: 4, nicSpeedMbps: 25000, lldp: [{ switchName: 'par1-a01-tor1', portId: 'Ethernet1/4' }, { switchName: 'par1-b01-tor2', portId: 'swp2' }] },
  { fixture: 'dell/poweredge-r7525/ED52A1D54F9D', lldp: [{ switchName: 'par1-a02-tor1', portId: 'Ethernet1/9' }] },
];

function runPlinth(args: string[]) {
  return execa(process.execPath, ['--import', 'tsx', 'reconciler/cli/main.ts', ...args], { reject: false, timeout: 120_000 });
}

/** Runs a command's entry point in-process and returns what it wrote to standard output. */
async function capture(run: (write: (text: string) => void) => Promise<void>): Promise<string> {
  let output = '';
  await run((text) => {
    output += text;
  });
  return output;
}

describe('plinth nodes and plinth explain on the example repository', () => {
  let scratch = '';
  let snapshotFile = '';

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'plinth-nodes-'));
    snapshotFile = path.join(scratch, 'inventory.json');
    const snapshot = buildSnapshot(FLEET.map((machine, index) => ({ inventory: buildRealInventory(machine, index) })), '2026-01-01T00:00:00Z');
    await writeFile(snapshotFile, JSON.stringify(snapshot, null, 2));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('lists every machine with its state, profile, role, AZ and flags, in all three formats', async () => {
    const flags = { repo: EXAMPLE, inventory: snapshotFile };
    const [table = '', json = '', yaml = ''] = await Promise.all((['table', 'json', 'yaml'] as const).map((output) => capture((write) => runNodes({ ...flags, output }, write))));
    const views = JSON.parse(json) as NodeView[];
    expect(parse(yaml)).toEqual(views);
    const byId = new Map(views.map((view) => [view.id, view]));
    const r640Profiles = ['8885D8B6E2FE', '953E314D7CA9', '1917FF5F0757'].map((id) => byId.get(id)?.profile);
    expect(new Set(r640Profiles).size).toBe(1);
    expect(r640Profiles[0]).not.toBe('-');
    expect(byId.get('1917FF5F0757')?.flags).toEqual(expect.arrayContaining(['fewer-dimms', 'cpu-model']));
    expect(byId.get('8885D8B6E2FE')).toMatchObject({ availabilityZone: 'az-1', flags: [] });
    expect(byId.get('953E314D7CA9')).toMatchObject({ availabilityZone: 'az-2', flags: [] });
    expect(byId.get('ED52A1D54F9D')).toMatchObject({ state: 'matched', profile: 'compute', role: 'compute', availabilityZone: 'az-1' });
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^SERIAL\/ID\s+HOSTNAME\s+STATE\s+PROFILE\s+ROLE\s+AZ\s+FLAGS$/);
    expect(lines.find((line) => line.startsWith('1917FF5F0757'))).toMatch(/fewer-dimms.*cpu-model/);
  });

  it('explains each profile criterion, the outcome, the placement and the flags of the odd R640', async () => {
    // The whole CLI, as an operator runs it.
    const result = await runPlinth(['explain', '1917FF5F0757', '--repo', EXAMPLE, '--inventory', snapshotFile]);
    expect(result.exitCode).toBe(0);
    const text = String(result.stdout);
    expect(text).toContain('Machine 1917FF5F0757: Dell Inc. PowerEdge R640');
    expect(text).toMatch(/FAIL {2}productName +expected any of: PowerEdge R650; observed PowerEdge R640/);
    expect(text).toMatch(/pass {2}productName +expected any of: PowerEdge R640; observed PowerEdge R640/);
    expect(text).toContain('MATCH, chosen');
    expect(text).toMatch(/^Why: /m);
    expect(text).toContain('Placement: conflicting-racks');
    expect(text).toContain('par1/a/a01 via par1-a01-tor1 on eno1; par1/b/b01 via par1-b01-tor2 on eno2');
    expect(text).toMatch(/cpu-model \[cpu-outlier, (warning|quarantines)\]: has Intel\(R\) Xeon\(R\) Gold 6134/);
    expect(text).toMatch(/fewer-dimms \[memory-outlier, (warning|quarantines)\]: has 8 DIMMs where its peers have 16 DIMMs/);
  }, 120_000);

  it('shows one machine found by its MAC', async () => {
    const text = await capture((write) => runNodesShow('02:50:00:00:00:10', { repo: EXAMPLE, inventory: snapshotFile, output: 'table' }, write));
    expect(text).toMatch(/^id: +8885D8B6E2FE \(chassis-serial\)$/m);
    expect(text).toMatch(/^placement: +placed: datacenter par1, row a, rack a01, unit 3, availability zone az-1/m);
  });

  it('exits 2 for an unknown machine and 1 for a snapshot that is not JSON, with the place of the problem', async () => {
    const broken = path.join(scratch, 'broken.json');
    await writeFile(broken, '{\n  "version": 1,\n  "nodes": [\n}');
    const [unknown, syntax] = await Promise.all([
      runPlinth(['explain', 'NOPE', '--repo', EXAMPLE, '--inventory', snapshotFile]),
      runPlinth(['nodes', '--repo', EXAMPLE, '--inventory', broken]),
    ]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('no machine "NOPE" in the inventory');
    expect(unknown.stderr).toContain('1917FF5F0757, 8885D8B6E2FE');
    expect(syntax.exitCode).toBe(1);
    expect(syntax.stdout).toBe('');
    expect(syntax.stderr).toContain(`${broken}:4:1: not valid JSON`);
  }, 180_000);

  it('refuses a snapshot that breaks the schema, listing each problem by JSON pointer', async () => {
    const wrong = path.join(scratch, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ version: 2, exportedAt: 'now', nodes: [{ id: 'X' }], allocations: [], hostnames: [], hostnameHighWater: {} }));
    const error = await capture((write) => runNodes({ repo: EXAMPLE, inventory: wrong, output: 'table' }, write)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SNAPSHOT_INVALID', details: { exitCode: 1 } });
    expect(String(error)).toContain('/version: must be equal to constant');
    expect(String(error)).toContain("/nodes/0: must have required property 'inventory'");
  });

  it('refuses an invalid repository with its located problems and classifies nothing', async () => {
    const repo = path.join(scratch, 'repo');
    await mkdir(repo);
    await writeFile(path.join(repo, 'cluster.yaml'), 'apiVersion: plinth/v1\nkind: Cluster\nmetadata: { name: lab }\nspec: { domain: 42 }\n');
    let written = '';
    const error = await runExplain('1917FF5F0757', { repo, inventory: snapshotFile }, (text) => (written += text)).catch((caught: unknown) => caught);
    expect(written).toBe('');
    expect(error).toMatchObject({ code: 'REPOSITORY_INVALID', details: { exitCode: 1 } });
    expect(String(error)).toMatch(/cluster\.yaml:\d+:\d+: error:/);
  });
});
