import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NodeTarget } from '../../reconciler/compile/types.js';
import { runCommand } from '../../reconciler/lib/command.js';
import { joinShellWords } from '../../reconciler/lib/shell-quote.js';
import { buildExampleSnapshot, compileExample, loadExampleDesired } from '../support/example-inventory.js';
import { createEncPuppetSandbox, type EncPuppetSandbox } from '../support/puppet-modules/role-modules.js';

const root = resolve(import.meta.dirname, '..', '..');
const compiledEnc = join(root, 'dist', 'reconciler', 'cli', 'commands', 'enc.js');

/** The compiled CLI, rebuilt when it is missing or older than the compile stage's sources. */
async function ensureCompiledCli(): Promise<void> {
  const newestSource = Math.max(
    ...(await readdir(join(root, 'reconciler', 'compile'))).map((file) => statSync(join(root, 'reconciler', 'compile', file)).mtimeMs),
    statSync(join(root, 'reconciler', 'cli', 'commands', 'enc.ts')).mtimeMs,
  );
  if (existsSync(compiledEnc) && statSync(compiledEnc).mtimeMs >= newestSource) return;
  // tsc emits even when files elsewhere in the tree do not type-check yet; only the output matters here.
  await runCommand('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, timeoutMs: 170_000 });
  if (!existsSync(compiledEnc)) throw new Error('npm run build did not produce dist/reconciler/cli/commands/enc.js');
}

/**
 * Runs `work` over `items` two at a time (the machine has two cores and each puppet run takes one), the first one
 * alone: it creates Puppet's shared state folders (`var/locales`, …), which two first runs would race to create.
 */
async function inPairs<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; ) {
    const size = index === 0 ? 1 : 2;
    results.push(...(await Promise.all(items.slice(index, index + size).map(work))));
    index += size;
  }
  return results;
}

describe('real Puppet consumes the ENC that `plinth enc` prints (exec node terminus, puppet apply)', () => {
  let sandbox: EncPuppetSandbox;
  let dir: string;
  let encScript: string;
  let targets: NodeTarget[];

  beforeAll(async () => {
    await ensureCompiledCli();
    const desired = await loadExampleDesired();
    const snapshot = buildExampleSnapshot();
    targets = compileExample(desired, snapshot).targets;
    dir = await mkdtemp(join(tmpdir(), 'plinth-enc-inventory-'));
    const inventory = join(dir, 'inventory.json');
    await writeFile(inventory, JSON.stringify(snapshot));
    sandbox = await createEncPuppetSandbox(desired.roles.values());
    const plinthEnc = joinShellWords(['node', join(root, 'bin', 'plinth.js'), 'enc', '--repo', join(root, 'cluster-repo-example'), '--inventory', inventory]);
    encScript = await sandbox.writeEncScript('plinth-enc', plinthEnc);
  }, 180_000);

  afterAll(async () => {
    await sandbox?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies the classes and typed parameters of one machine of every role', async () => {
    const firstOfRole = new Map<string, NodeTarget>();
    for (const target of targets) if (!firstOfRole.has(target.role)) firstOfRole.set(target.role, target);
    const gpu = targets.find((target) => target.rebootRequired);
    const chosen = [...firstOfRole.values(), ...(gpu ? [gpu] : [])];

    const runs = await inPairs(chosen, async (target) => ({ target, run: await sandbox.apply(target.hostname, encScript) }));

    expect(chosen.map((target) => target.role).sort()).toEqual(['cephmon', 'cephosd', 'compute', 'compute', 'controller', 'messaging', 'network', 'swiftproxy', 'swiftstore']);
    for (const { target, run } of runs) {
      const output = run.lines.join('\n');
      expect({ host: target.hostname, exitCode: run.exitCode, errors: run.lines.filter((line) => line.startsWith('Error')) }).toEqual({ host: target.hostname, exitCode: 2, errors: [] });
      expect(output).toContain(`plinth-enc ${target.role} ${target.hostname} role=${target.role} wave=${target.installWave} zone=${target.availabilityZone}`);
    }
  }, 300_000);

  it("fails the run with Puppet's type error when the ENC carries a wrong-typed parameter", async () => {
    const compute = targets.find((target) => target.role === 'compute' && !target.rebootRequired);
    if (!compute) throw new Error('the example has a plain compute');
    // The same ENC with one integer parameter turned into a string, as a broken renderer would write it.
    const broken = await sandbox.writeEncScript('broken-enc', `sh -c '${encScript} "$0" | sed "s/reserved_host_memory_mb: 8192/reserved_host_memory_mb: \\"8192\\"/"'`);

    const run = await sandbox.apply(compute.hostname, broken);

    expect(run.exitCode).toBe(1);
    expect(run.lines.join('\n')).toContain("parameter 'reserved_host_memory_mb' expects an Integer value, got String");
  }, 120_000);

  it('makes Puppet refuse a machine plinth has no ENC for, with the reason from `plinth enc`', async () => {
    const run = await sandbox.apply('pub1-compute-99.pub1.example.net', encScript);

    expect(run.exitCode).toBe(1);
    expect(run.lines.join('\n')).toContain('Failed to find pub1-compute-99.pub1.example.net via exec');
  }, 120_000);
});
