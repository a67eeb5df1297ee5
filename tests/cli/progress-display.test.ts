import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestInventory } from '../support/stores.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { bundleCli } from '../controller/spawn-plinth.js';
import { EXAMPLE_DIR } from '../plan/example-repo.js';
import { buildExampleSnapshot } from '../support/example-inventory.js';
import { sampleInventory } from '../support/sample-inventory.js';

/** Progress lines of a plan against the example inventory, in order. */
const PLAN_PHASES = [/^read inventory \d+ nodes \(/, /^load manifests \d+ files \(/, /^validate \d+ manifests \(/, /^classify \d+ nodes \(/, /^compile \d+ nodes \(/, /^plan \d+ nodes \(/, /^render \d+ actions \(/, /^plan: done in .* \(7 phases\)$/];

describe('progress display of long CLI commands', () => {
  let dir: string;
  let bundle: Awaited<ReturnType<typeof bundleCli>> | undefined;
  let planArgs: string[] = [];
  /** The plan as a run without any progress flag prints it, kept for comparison. */
  let plainPlan: { exitCode?: number; stdout: string; stderr: string };

  /** Runs the bundled CLI with stdout and stderr on pipes (not terminals), as CI does. */
  const runCli = (args: readonly string[]) => execa(process.execPath, [bundle?.path ?? '', ...args], { reject: false, stripFinalNewline: false, env: { NO_COLOR: '1' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-progress-'));
    bundle = await bundleCli();
    await writeFile(join(dir, 'inventory.json'), JSON.stringify(buildExampleSnapshot()));
    planArgs = ['plan', '--repo', EXAMPLE_DIR, '--inventory', join(dir, 'inventory.json'), '--output', 'markdown'];
    plainPlan = await runCli(planArgs);
  }, 60_000);

  afterAll(async () => {
    await bundle?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('plan --progress writes its phases with counts to stderr and leaves stdout byte-identical', async () => {
    const plain = plainPlan;
    const shown = await runCli([...planArgs, '--progress']);

    expect(plain.exitCode).toBe(2);
    expect(shown.exitCode).toBe(2);
    expect(plain.stderr).toBe('');
    expect(shown.stdout).toBe(plain.stdout);
    expect(plain.stdout).toContain('Plan: ');
    const lines = shown.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(PLAN_PHASES.length);
    lines.forEach((line, index) => expect(line).toMatch(PLAN_PHASES[index] ?? /^$/));
  }, 60_000);

  it('plan is silent on stderr with --quiet, even when --progress is given', async () => {
    const quiet = await runCli([...planArgs, '--progress', '--quiet']);

    expect(quiet.exitCode).toBe(2);
    expect(quiet.stderr).toBe('');
  }, 60_000);

  it('validate --progress keeps the problems of an invalid repository on stdout, byte for byte', async () => {
    const broken = join(dir, 'broken');
    await cp(EXAMPLE_DIR, broken, { recursive: true });
    await writeFile(join(broken, 'nodes', 'broken.yaml'), 'apiVersion: plinth/v1\nkind: Node\nmetadata: { name: broken }\nspec:\n  colour: blue\n');

    const plain = await runCli(['validate', broken]);
    const shown = await runCli(['validate', broken, '--progress']);

    expect(shown.exitCode).toBe(1);
    expect(shown.stdout).toBe(plain.stdout);
    expect(plain.stdout).toContain('nodes/broken.yaml:5:3');
    expect(shown.stderr).toMatch(/^load manifests \d+ files \(.*\)\nvalidate \d+ manifests \(.*\)\nreport 1 problems \(.*\)\nvalidate: done in .*\n$/);
  }, 60_000);

  it('validate --progress names the phase a failed run stopped in, apart from the error message', async () => {
    const shown = await runCli(['validate', join(dir, 'missing'), '--progress']);

    expect(shown.exitCode).toBe(2);
    expect(shown.stdout).toBe('');
    expect(shown.stderr).toMatch(/^load manifests \(.*\)\nvalidate: failed after .* in load manifests\nplinth: cannot read repository .*missing.*\n$/);
  }, 60_000);

  it('inventory export --progress counts the machines it reads, and its snapshot on stdout is unchanged', async () => {
    const db = join(dir, 'plinth.db');
    const store = SqliteStore.open(db);
    for (const serial of ['SN001', 'SN002', 'SN003']) {
      const inventory = sampleInventory(serial);
      await ingestInventory(store, inventory);
    }
    await store.close();
    const withoutTime = (text: string): unknown => ({ ...(JSON.parse(text) as object), exportedAt: undefined });

    const plain = await runCli(['inventory', 'export', '--db', db]);
    const shown = await runCli(['inventory', 'export', '--db', db, '--progress']);

    expect(shown.exitCode).toBe(0);
    expect(withoutTime(shown.stdout)).toEqual(withoutTime(plain.stdout));
    expect(shown.stderr).toMatch(/^read nodes 3 nodes \(.*\)\nread allocations \(.*\)\ncheck snapshot 3 nodes \(.*\)\ninventory export: done in .* \(3 phases\)\n$/);
  }, 60_000);

  it('draws progress on a terminal without being asked, while stdout (redirected) stays the plain plan', async () => {
    const outFile = join(dir, 'plan.md');
    const command = [process.execPath, bundle?.path ?? '', ...planArgs].map((part) => `'${part}'`).join(' ');
    // script(1) gives the command a pseudo-terminal for stderr; stdout goes to a file, as `plinth plan > plan.md` would.
    const terminal = await execa('script', ['-qefc', `${command} > '${outFile}'`, '/dev/null'], { reject: false });

    expect(terminal.exitCode).toBe(2);
    expect(await readFile(outFile, 'utf8')).toBe(plainPlan.stdout);
    expect(terminal.stdout).toContain('\u001b[2K… classify');
    expect(terminal.stdout).toContain('✓ render');
    expect(terminal.stdout).toMatch(/plan: done in .* \(7 phases\)/);
  }, 60_000);

  it('stays silent on a terminal with --quiet', async () => {
    const command = [process.execPath, bundle?.path ?? '', ...planArgs, '--quiet'].map((part) => `'${part}'`).join(' ');
    const terminal = await execa('script', ['-qefc', `${command} > /dev/null`, '/dev/null'], { reject: false });

    expect(terminal.exitCode).toBe(2);
    expect(terminal.stdout).toBe('');
  }, 60_000);
});
