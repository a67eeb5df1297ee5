import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../reconciler/cli/main.js';
import { validateRepository } from '../../reconciler/manifests/validate-repository.js';
import { positionOf } from './fixture-repo.js';

const exampleRoot = join(import.meta.dirname, '..', '..', 'cluster-repo-example');

/** Runs the CLI in-process and returns its exit code and what it printed on stdout. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'plinth', ...args]);
    return { code, stdout: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.exitCode = undefined;
  }
}

describe('cluster-repo-example', () => {
  it('validates clean and yields the whole desired state', async () => {
    const result = await validateRepository(exampleRoot);
    expect(result.problems).toEqual([]);
    expect(result.desired?.cluster.metadata.name).toBe('pub1');
    expect([...(result.desired?.networks.keys() ?? [])].sort()).toEqual(['ceph', 'ipmi', 'management', 'provisioning', 'public', 'vxlan']);
    expect(result.desired?.gpuModels.get('a100-pcie-80g')?.spec).toMatchObject({ vendorId: '10de', productId: '20b5' });
    expect(result.desired?.gpuModels.get('t4')?.spec).toMatchObject({ vendorId: '10de', productId: '1eb8' });
    expect(result.desired?.sources.get('Node/controller-1')).toEqual({ file: 'nodes/controllers.yaml', line: 3, col: 1 });
  });

  it('passes `plinth validate` with exit code 0', async () => {
    const { code, stdout } = await runCli(['validate', exampleRoot]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^valid \(\d+ manifests in \d+ files\)\n$/);
  });

  it('is summarised by `plinth summary`', async () => {
    const { code, stdout } = await runCli(['summary', exampleRoot]);
    expect(code).toBe(0);
    expect(stdout).toContain('Cluster pub1 (pub1.example.net)');
    expect(stdout).toMatch(/controller-1\s+7XQK2M3\s+controller/);
  });
});

describe('a copy of the example with injected mistakes', () => {
  let root = '';
  const texts = new Map<string, string>();

  /** Applies one textual change to a file of the copy and remembers the new text for position lookups. */
  async function inject(file: string, from: string, to: string): Promise<void> {
    const text = texts.get(file) ?? (await readFile(join(root, file), 'utf8'));
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    texts.set(file, text.replace(from, to));
    await writeFile(join(root, file), texts.get(file) ?? '');
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'plinth-bad-repo-'));
    await cp(exampleRoot, root, { recursive: true });
    await inject('hardware/profiles/compute.yaml', 'model: a100-pcie-80g', 'model: a100-pcie-40g');
    await inject('networks/data.yaml', 'cidr: 10.40.0.0/22', 'cidr: 10.10.2.0/23');
    await inject('networks/data.yaml', '{ start: 10.40.0.10, end: 10.40.3.250 }', '{ start: 10.10.2.10, end: 10.10.3.200 }');
    await inject('nodes/operations.yaml', '  profile: compute-gpu-a100\n', '  profile: compute-gpu-a100\n  serial: GPU-A02-3\n');
    await inject('nodes/operations.yaml', '  replaces: CN7016394F01C8\n', '  replaces: CN7016394F01C8\n  mac: "B8:59:9F:3A:21:C4"\n');
    await inject('nodes/controllers.yaml', 'passwordFrom: { store: bmc/controller-3 }', 'password: "Sup3r-secret"');
    await writeFile(join(root, 'images/broken.yaml'), 'apiVersion: plinth/v1\nkind: Image\nmetadata:\n  name: [broken\nspec: {}\n');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reports each mistake with file, line and column, and exits 1', async () => {
    const { code, stdout } = await runCli(['validate', root]);
    expect(code).toBe(1);
    const at = (file: string, needle: string) => {
      const { line, col } = positionOf(texts.get(file) ?? '', needle);
      return `${file}:${line}:${col}: error: `;
    };
    expect(stdout).toContain(`${at('hardware/profiles/compute.yaml', 'a100-pcie-40g')}GpuModel \`a100-pcie-40g\` is not defined (did you mean \`a100-pcie-80g\`?)`);
    expect(stdout).toContain(`${at('networks/data.yaml', '10.10.2.0/23')}10.10.2.0/23 overlaps Network \`management\``);
    // The first definition in file order keeps the MAC; the later node is the one reported.
    expect(stdout).toContain(`${at('nodes/operations.yaml', '"b8:59')}MAC b8:59:9f:3a:21:c4 is already used by Node \`compute-a02-7\``);
    expect(stdout).toContain(`${at('nodes/controllers.yaml', 'password: "Sup3r')}\`password\` holds a secret in clear text`);
    expect(stdout).toMatch(/^images\/broken\.yaml:\d+:\d+: error: YAML syntax error: /m);
    expect(stdout).not.toContain('Sup3r-secret');
  });

  it('prints GitHub annotations for the same mistakes', async () => {
    const { code, stdout } = await runCli(['validate', root, '--format', 'github']);
    expect(code).toBe(1);
    const { line, col } = positionOf(texts.get('networks/data.yaml') ?? '', '10.10.2.0/23');
    expect(stdout).toContain(`::error file=networks/data.yaml,line=${line},col=${col},title=plinth overlapping-cidr::10.10.2.0/23 overlaps`);
  });

  it('gives the same verdict as JSON, and `plinth summary` refuses the invalid repository', async () => {
    const json = await runCli(['validate', root, '--format', 'json']);
    const report = JSON.parse(json.stdout) as { valid: boolean; errors: number; problems: { rule: string }[] };
    expect(json.code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.problems.map((problem) => problem.rule)).toEqual(expect.arrayContaining(['dangling-reference', 'overlapping-cidr', 'duplicate-mac', 'plain-text-secret', 'yaml-syntax']));
    const summary = await runCli(['summary', root]);
    expect(summary.code).toBe(1);
    expect(summary.stdout).toBe('');
  });

  it('exits 2 for a path that does not exist or a format it does not know', async () => {
    expect((await runCli(['validate', join(root, 'missing')])).code).toBe(2);
    expect((await runCli(['validate', root, '--format', 'xml'])).code).toBe(2);
  });
});
