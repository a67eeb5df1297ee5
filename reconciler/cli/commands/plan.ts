import { Option, type Command } from 'commander';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError, PlinthError } from '../../lib/errors.js';
import { addProgressOptions, startProgress, writersAround, type ProgressFlags } from '../../lib/progress-flags.js';
import type { ReportProgress } from '../../lib/progress.js';
import { buildSnapshot } from '../../inventory/build-snapshot.js';
import { readSnapshot } from '../../inventory/read-snapshot.js';
import type { InventorySnapshot } from '../../inventory/snapshot.js';
import type { DesiredState } from '../../manifests/desired-state.js';
import { validateRepository } from '../../manifests/validate-repository.js';
import { parseApprovalTrailers } from '../../plan/approvals.js';
import { describeAppliedRevision, planDesiredState } from '../../plan/plan-desired-state.js';
import { hasChanges } from '../../plan/plan-revision.js';
import { renderPlanJson } from '../../plan/render-json.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { AppliedNodeState, Plan } from '../../plan/types.js';
import { formatText } from '../../report/problem-formats/text.js';
import { createGit } from '../../source/git-client.js';
import { materializeRevision } from '../../source/materialize-revision.js';
import { parseRevision } from '../../source/revision.js';

type PlanOutput = 'text' | 'markdown' | 'json';

interface PlanFlags extends ProgressFlags {
  repo: string;
  base?: string;
  head?: string;
  inventory?: string;
  applied?: string;
  output: PlanOutput;
}

interface PlanIo {
  write(text: string): void;
  warn(text: string): void;
  /** Told each phase (read, validate, classify, compile, plan, render); never writes to stdout. */
  progress?: ReportProgress;
}

/** Exit codes as `terraform plan -detailed-exitcode`: CI tells "nothing to do" from "changes" from "broken". */
export const PLAN_EXIT = { noChanges: 0, error: 1, changes: 2 } as const;

const RENDERERS: Readonly<Record<PlanOutput, (plan: Plan) => string>> = { text: renderPlanText, markdown: renderPlanMarkdown, json: renderPlanJson };

/** `<branch>@sha1:<sha>` for a revision given as a branch name; `detached@sha1:…` for anything else git resolved. */
function nameRevision(given: string, sha: string): string {
  if (/@sha1:/.test(given)) return given;
  const branch = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(given) && !/^[0-9a-f]{7,40}$/.test(given) && given !== 'HEAD' ? given : 'detached';
  return `${branch}@sha1:${sha}`;
}

async function validateAt(dir: string, label: string, revision: string | undefined, io: PlanIo): Promise<DesiredState | undefined> {
  // The base's phases are told apart from the head's: both load and validate a whole repository.
  const onProgress = label === 'head' ? io.progress : io.progress && ((update: Parameters<ReportProgress>[0]) => io.progress?.({ ...update, phase: `${label} ${update.phase}` }));
  const result = await validateRepository(dir, { ...(revision === undefined ? {} : { revision }), onProgress });
  if (result.desired) return result.desired;
  io.warn(`plinth: the ${label} revision is invalid:\n${formatText(result.problems, { files: result.files, manifestCount: result.manifestCount })}`);
  return undefined;
}

async function readApplied(file: string): Promise<AppliedNodeState[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new PlinthError('PLAN_APPLIED_INVALID', `cannot read the applied state ${file}: ${describeError(error)}`, { cause: error });
  }
  const entries = Array.isArray(parsed) ? (parsed as unknown[]) : [];
  const bad = entries.findIndex((entry) => typeof entry !== 'object' || entry === null || typeof (entry as AppliedNodeState).nodeId !== 'string' || typeof (entry as AppliedNodeState).role !== 'string');
  if (!Array.isArray(parsed) || bad >= 0) {
    throw new PlinthError('PLAN_APPLIED_INVALID', `${file}${bad >= 0 ? `: /${bad}` : ''}: expected an array of applied node states (nodeId, role, lifecycle, …)`);
  }
  return entries as AppliedNodeState[];
}

interface Revisions {
  headDir: string;
  head: string;
  baseDir?: string;
  base?: string;
  approvalsText: string;
}

/** Writes the head (and base) trees into `scratch` and reads the pull request's commit messages for approvals. */
async function materialize(flags: PlanFlags, scratch: string): Promise<Revisions> {
  const headGiven = flags.head ?? 'HEAD';
  const headDir = join(scratch, 'head');
  const headSha = await materializeRevision(flags.repo, headGiven, headDir);
  const head = nameRevision(headGiven, headSha);
  const git = createGit(flags.repo);
  if (flags.base === undefined) return { headDir, head, approvalsText: await git.raw(['log', '-1', '--format=%B', headSha]) };
  const baseDir = join(scratch, 'base');
  const baseSha = await materializeRevision(flags.repo, flags.base, baseDir);
  const approvalsText = await git.raw(['log', '--format=%B', `${baseSha}..${headSha}`]);
  return { headDir, head, baseDir, base: nameRevision(flags.base, baseSha), approvalsText };
}

async function planWith(flags: PlanFlags, revisions: Revisions, io: PlanIo): Promise<number> {
  if (flags.inventory !== undefined) io.progress?.({ phase: 'read inventory' });
  let snapshot: InventorySnapshot = flags.inventory === undefined ? buildSnapshot([], '1970-01-01T00:00:00Z') : await readSnapshot(flags.inventory);
  if (flags.inventory !== undefined) io.progress?.({ phase: 'read inventory', done: snapshot.nodes.length, unit: 'nodes' });
  const desired = await validateAt(revisions.headDir, 'head', revisions.head, io);
  if (!desired) return PLAN_EXIT.error;
  let applied: AppliedNodeState[] = [];
  if (flags.applied !== undefined) applied = await readApplied(flags.applied);
  else if (revisions.baseDir !== undefined && revisions.base !== undefined) {
    const base = await validateAt(revisions.baseDir, 'base', revisions.base, io);
    if (!base) return PLAN_EXIT.error;
    io.progress?.({ phase: 'base compile', total: snapshot.nodes.length, unit: 'nodes' });
    ({ applied, snapshot } = describeAppliedRevision(base, snapshot, revisions.base));
  }
  const { plan } = planDesiredState({
    desired, snapshot, applied, approvals: parseApprovalTrailers(revisions.approvalsText), revision: revisions.head,
    ...(revisions.base === undefined ? {} : { baseRevision: revisions.base }), onProgress: io.progress,
  });
  io.progress?.({ phase: 'render', total: plan.actions.length, unit: 'actions' });
  io.write(RENDERERS[flags.output](plan));
  return hasChanges(plan) ? PLAN_EXIT.changes : PLAN_EXIT.noChanges;
}

/**
 * `plinth plan`: what each machine will undergo at a revision. With `--base/--head` the repository is read
 * from Git at both commits and the base stands for what is applied (unless `--applied` says otherwise).
 * Example: `plinth plan --repo . --base origin/main --head HEAD --inventory inventory.json --output markdown`.
 */
export async function runPlan(flags: PlanFlags, io: PlanIo): Promise<number> {
  const fromGit = flags.base !== undefined || flags.head !== undefined;
  const scratch = fromGit ? await mkdtemp(join(tmpdir(), 'plinth-plan-')) : undefined;
  try {
    if (flags.head !== undefined && /@/.test(flags.head)) parseRevision(flags.head);
    if (scratch !== undefined) io.progress?.({ phase: 'read revisions from git' });
    const revisions: Revisions = scratch === undefined ? { headDir: flags.repo, head: 'working-tree', approvalsText: '' } : await materialize(flags, scratch);
    return await planWith(flags, revisions, io);
  } catch (error) {
    io.warn(`plinth: ${describeError(error)}\n`);
    return PLAN_EXIT.error;
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description('show what each machine will undergo at a revision (exit 0 no changes, 2 changes, 1 error)')
    .option('--repo <path>', 'cluster repository (a Git repository with --base/--head)', '.')
    .option('--base <rev>', 'revision the change starts from; its compile output stands for the applied state')
    .option('--head <rev>', 'revision to plan (default HEAD when --base is given)')
    .option('--inventory <file>', 'inventory snapshot (JSON) as `plinth inventory export` writes it')
    .option('--applied <file>', 'applied node states (JSON array), instead of the base revision')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'));
  addProgressOptions(command).action(async (flags: PlanFlags) => {
    const progress = startProgress(flags, process.stderr, 'plan');
    process.exitCode = await runPlan(flags, { ...writersAround(progress), progress: progress?.report });
    progress?.finish(process.exitCode === PLAN_EXIT.error ? 'failed' : 'done');
  });
}
