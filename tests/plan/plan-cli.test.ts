import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PLAN_EXIT, runPlan } from '../../reconciler/cli/commands/plan.js';
import type { Plan } from '../../reconciler/plan/types.js';
import { buildExampleSnapshot } from '../support/example-inventory.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { dropDocument, EXAMPLE_DIR, PROFILES_FILE } from './example-repo.js';

async function readTree(root: string, dir = root): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, await readTree(root, path));
    else files[relative(root, path)] = await readFile(path, 'utf8');
  }
  return files;
}

function capture(): { out: string[]; err: string[]; io: { write(text: string): void; warn(text: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { write: (text) => out.push(text), warn: (text) => err.push(text) } };
}

describe('plinth plan on a Git repository', () => {
  let fixture: GitFixture;
  let inventory: string;
  const commits = { withoutMessaging: '', withMessaging: '', invalid: '', roleChanged: '', approved: '' };

  beforeAll(async () => {
    fixture = await createGitFixture('plinth-plan-cli-');
    inventory = join(fixture.root, 'inventory.json');
    await writeFile(inventory, JSON.stringify(buildExampleSnapshot()));
    const tree = await readTree(EXAMPLE_DIR);
    const profiles = tree[PROFILES_FILE] ?? '';
    commits.withoutMessaging = await fixture.commitFiles({ ...tree, [PROFILES_FILE]: dropDocument(profiles, 'messaging') }, 'Example cluster without messaging');
    commits.withMessaging = await fixture.commitFiles({ [PROFILES_FILE]: profiles }, 'Add the messaging profile');
    commits.invalid = await fixture.commitFiles({ 'cluster.yaml': 'apiVersion: plinth/v1\nkind: Cluster\nmetadata: { name: pub1 }\nspec: [oops\n' }, 'Break the cluster');
    const roleChanged = profiles.replace('  role: network\n', '  role: compute\n');
    commits.roleChanged = await fixture.commitFiles({ 'cluster.yaml': tree['cluster.yaml'] ?? '', [PROFILES_FILE]: roleChanged }, 'Turn the network node into a compute');
    commits.approved = await fixture.commitFiles({}, 'Approve the reinstall\n\nPlinth-Approve: reprovision *');
  });
  afterAll(async () => fixture.remove());

  it('exits 2 and shows the enrolment and the reconfigures when the head changes machines', async () => {
    const { out, io } = capture();
    const code = await runPlan({ repo: fixture.workDir, base: commits.withoutMessaging, head: commits.withMessaging, inventory, output: 'markdown' }, io);
    expect(code).toBe(PLAN_EXIT.changes);
    const markdown = out.join('');
    expect(markdown).toContain(`**Base** \`detached@sha1:${commits.withoutMessaging}\` → **head** \`detached@sha1:${commits.withMessaging}\``);
    expect(markdown).toContain('| `+` | `pub1-messaging-1` | messaging |');
    expect(markdown.trimEnd().split('\n').pop()).toBe('Plan: 1 to enrol, 15 to change, 0 to reprovision, 0 to wipe/decommission.');
  });

  it('reads approvals from the commit trailers between base and head', async () => {
    const blocked = capture();
    expect(await runPlan({ repo: fixture.workDir, base: commits.withMessaging, head: commits.roleChanged, inventory, output: 'json' }, blocked.io)).toBe(PLAN_EXIT.changes);
    const before = JSON.parse(blocked.out.join('')) as Plan;
    expect(before.blocked.map((entry) => [entry.action.kind, entry.code])).toEqual([['reprovision', 'approval-required']]);
    const approved = capture();
    expect(await runPlan({ repo: fixture.workDir, base: commits.withMessaging, head: commits.approved, inventory, output: 'json' }, approved.io)).toBe(PLAN_EXIT.changes);
    const after = JSON.parse(approved.out.join('')) as Plan;
    expect(after.blocked).toEqual([]);
    expect(after.actions.filter((action) => action.kind === 'reprovision').map((action) => action.reason)).toEqual(['role changed from network to compute']);
  });

  it('exits 0 when base and head compile to the same machines', async () => {
    const { out, io } = capture();
    const code = await runPlan({ repo: fixture.workDir, base: commits.withMessaging, head: commits.withMessaging, inventory, output: 'text' }, io);
    expect(code).toBe(PLAN_EXIT.noChanges);
    expect(out.join('')).toContain('Plan: 0 to enrol, 0 to change, 0 to reprovision, 0 to wipe/decommission.');
  });

  it('exits 1 with located errors on stderr when the head is invalid', async () => {
    const { out, err, io } = capture();
    const code = await runPlan({ repo: fixture.workDir, base: commits.withMessaging, head: commits.invalid, inventory, output: 'markdown' }, io);
    expect(code).toBe(PLAN_EXIT.error);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/the head revision is invalid:[\s\S]*cluster\.yaml:\d+:\d+/);
  });

  it('exits 1 on a revision that is not in the repository', async () => {
    const { err, io } = capture();
    expect(await runPlan({ repo: fixture.workDir, base: 'no-such-branch', head: commits.withMessaging, inventory, output: 'text' }, io)).toBe(PLAN_EXIT.error);
    expect(err.join('')).toContain('no-such-branch');
  });

  it('sets the process exit code through the CLI entry point: 1 for an invalid head, 2 for changes', async () => {
    const cli = join(import.meta.dirname, '..', '..', 'reconciler', 'cli', 'main.ts');
    const result = await execa('npx', ['tsx', cli, 'plan', '--repo', fixture.workDir, '--base', commits.withoutMessaging, '--head', commits.invalid, '--inventory', inventory, '--output', 'json'], { reject: false, timeout: 120_000 });
    expect(result.exitCode).toBe(PLAN_EXIT.error);
    const json = await execa('npx', ['tsx', cli, 'plan', '--repo', fixture.workDir, '--base', commits.withoutMessaging, '--head', commits.withMessaging, '--inventory', inventory, '--output', 'json'], { reject: false, timeout: 120_000 });
    expect(json.exitCode).toBe(PLAN_EXIT.changes);
    expect((JSON.parse(json.stdout) as { summary: { enrol: number } }).summary.enrol).toBe(1);
  }, 240_000);
});
