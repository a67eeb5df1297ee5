import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InventorySnapshot } from '../../reconciler/inventory/snapshot.js';
import type { DesiredState } from '../../reconciler/manifests/desired-state.js';
import { validateRepository } from '../../reconciler/manifests/validate-repository.js';
import { describeAppliedRevision, planDesiredState } from '../../reconciler/plan/plan-desired-state.js';
import type { Approvals, Plan } from '../../reconciler/plan/types.js';

export const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'cluster-repo-example');
export const PROFILES_FILE = join('hardware', 'profiles', 'control-plane.yaml');
export const BASE_REVISION = `main@sha1:${'b'.repeat(40)}`;
export const HEAD_REVISION = `feature@sha1:${'c'.repeat(40)}`;

/** A copy of the example repository in a temp directory, to edit as a pull request would. */
export async function copyExample(): Promise<{ dir: string; edit(file: string, change: (text: string) => string): Promise<void>; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'plinth-plan-example-'));
  const dir = join(root, 'repo');
  await cp(EXAMPLE_DIR, dir, { recursive: true });
  return {
    dir,
    edit: async (file, change) => writeFile(join(dir, file), change(await readFile(join(dir, file), 'utf8'))),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** The YAML documents of a file without the one that defines `name`. */
export function dropDocument(text: string, name: string): string {
  return text.split(/^---$/m).filter((document) => !new RegExp(`^\\s+name: ${name}$`, 'm').test(document)).join('---');
}

export async function loadValid(dir: string): Promise<DesiredState> {
  const { desired, problems } = await validateRepository(dir);
  if (!desired) throw new Error(`invalid repository: ${problems.map((problem) => problem.message).join('; ')}`);
  return desired;
}

/** Plans `head` against `base` applied in full, as `plinth plan --base --head` does. */
export function planPullRequest(base: DesiredState, head: DesiredState, snapshot: InventorySnapshot, approvals: Approvals = { byKind: {} }): Plan {
  const applied = describeAppliedRevision(base, snapshot, BASE_REVISION);
  return planDesiredState({ desired: head, snapshot: applied.snapshot, applied: applied.applied, approvals, revision: HEAD_REVISION, baseRevision: BASE_REVISION }).plan;
}
