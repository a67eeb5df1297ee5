import { describeError, isPlinthError, isTransient } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { AppliedNodeState, NodeLifecycle, PlannedAction, PlanStep } from '../plan/types.js';
import type { JournalEntry } from '../store/types.js';
import { resumeStep } from './resume-step.js';
import { applyStepEffect, isIdempotentStep, lifecycleAfterSkippedStep, lifecycleAfterStep, lifecycleOnStart, lifecycleOnSuccess, startAppliedState, stepKey } from './step-effects.js';
import type { ActionResult, ApplyDeps, ApplyNode, StepContext, StepOutcome } from './types.js';

/** The state one action carries from step to step. */
interface ActionRun {
  action: PlannedAction;
  node: ApplyNode;
  revision: string;
  deps: ApplyDeps;
  journal: ReadonlyMap<string, JournalEntry[]>;
  applied: AppliedNodeState;
  reached?: NodeLifecycle;
  anySkipped: boolean;
  /** An image-deploy step had no driver: no installed system, so a skipped Puppet run cannot leave it `installed`. */
  installSkipped: boolean;
  puppetSkipped: boolean;
  stepsRun: number;
  /** When the last power step of the action started: a machine's news must be newer than its last reboot. */
  since: string;
  log: Logger;
}

type StepEnd = { kind: 'ok'; outcome: StepOutcome } | { kind: 'failed'; error: unknown } | { kind: 'cancelled' };

const BACKOFF_BASE_MS = 1_000;

/**
 * Runs one action's steps in order, journaling each before it starts and after it ends, skipping those
 * the journal shows done. The applied state is written only once the whole action succeeded: until then
 * the next plan proposes the same action again, and the journal resumes it where it stopped.
 */
export async function runAction(
  action: PlannedAction,
  node: ApplyNode,
  revision: string,
  prior: AppliedNodeState | undefined,
  journal: ReadonlyMap<string, JournalEntry[]>,
  deps: ApplyDeps,
): Promise<{ result: ActionResult; applied: AppliedNodeState }> {
  const run: ActionRun = {
    action, node, revision, deps, journal,
    applied: startAppliedState(node, revision, prior),
    anySkipped: false, installSkipped: false, puppetSkipped: false, stepsRun: 0, since: deps.now(),
    log: deps.log.child({ node: node.hostname, action: action.kind }),
  };
  const starting = lifecycleOnStart(action.kind);
  if (starting) await changeLifecycle(run, starting);
  for (let index = 0; index < action.steps.length; index += 1) {
    const verdict = await runStepAt(run, index);
    if (verdict) return finish(run, verdict.outcome, verdict.reason);
  }
  return finish(run, 'succeeded');
}

async function runStepAt(run: ActionRun, index: number): Promise<{ outcome: ActionResult['outcome']; reason: string } | undefined> {
  const step = run.action.steps[index] as PlanStep;
  const key = stepKey(run.action, index);
  const resumption = resumeStep(run.journal.get(key) ?? [], isIdempotentStep(step));
  const { deps } = run;
  if (resumption.kind === 'done') {
    const done = run.journal.get(key)?.at(-1);
    if (step.op === 'power' && done?.startedAt) run.since = done.startedAt;
    if (done?.detail['skipped'] === undefined) run.applied = applyStepEffect(run.applied, step, run.node);
    else noteSkipped(run, step);
    return undefined;
  }
  if (resumption.abandonId !== undefined) {
    await deps.store.transitionJournal(resumption.abandonId, { state: 'interrupted', at: deps.now(), detail: { reason: 'controller stopped during the step' } });
  }
  if (resumption.kind === 'interrupted') {
    return { outcome: 'interrupted', reason: `${step.op} was interrupted by a controller stop and is not safe to repeat` };
  }
  if (!deps.isCurrent() || deps.signal.aborted) return { outcome: 'skipped', reason: 'superseded before this step started' };
  const entryId = resumption.plannedId ?? (await deps.store.appendJournal({ revision: run.revision, nodeId: run.node.nodeId, action: key, plannedAt: deps.now(), detail: { op: step.op, actionId: run.action.id } })).id;
  if (step.op === 'power') run.since = deps.now();
  await startStep(run, entryId);
  run.stepsRun += 1;
  const end = await executeWithRetries(run, step);
  return recordStepEnd(run, step, entryId, end);
}

/** Enrolment holds the node's addresses and hostname in the same transaction that marks its first step started. */
async function startStep(run: ActionRun, entryId: number): Promise<void> {
  const { deps, node } = run;
  const at = deps.now();
  if (run.action.kind !== 'enrol' || run.stepsRun > 0) {
    await deps.store.transitionJournal(entryId, { state: 'started', at });
    return;
  }
  const addresses = Object.entries(node.addresses).map(([network, address]) => ({ network, address }));
  const hostname = node.hostnameIndex === undefined ? undefined : { nodeId: node.nodeId, role: node.role, index: node.hostnameIndex, hostname: node.hostname };
  await deps.store.recordEnrolment({ nodeId: node.nodeId, addresses, ...(hostname ? { hostname } : {}), at }, entryId);
}

async function recordStepEnd(run: ActionRun, step: PlanStep, entryId: number, end: StepEnd): Promise<{ outcome: ActionResult['outcome']; reason: string } | undefined> {
  const { deps } = run;
  if (end.kind === 'ok') {
    const detail = { ...end.outcome.detail, ...(end.outcome.skipped ? { skipped: end.outcome.skipped } : {}) };
    await deps.store.transitionJournal(entryId, { state: 'succeeded', at: deps.now(), detail });
    // A step with no driver changed nothing: the applied record must not claim its effect.
    if (end.outcome.skipped) noteSkipped(run, step);
    else run.applied = applyStepEffect(run.applied, step, run.node);
    const reached = end.outcome.skipped ? lifecycleAfterSkippedStep(step, run.reached, run.installSkipped) : lifecycleAfterStep(step);
    if (reached && !(reached === 'active' && run.anySkipped)) await changeLifecycle(run, reached);
    return undefined;
  }
  if (end.kind === 'cancelled') {
    await deps.store.transitionJournal(entryId, { state: 'interrupted', at: deps.now(), detail: { reason: 'superseded or shutting down' } });
    return { outcome: 'skipped', reason: `${step.op} stopped: a newer revision or a shutdown superseded it` };
  }
  const code = isPlinthError(end.error) ? end.error.code : 'APPLY_STEP_FAILED';
  const message = describeError(end.error);
  await deps.store.transitionJournal(entryId, { state: 'failed', at: deps.now(), detail: { errorType: code, message } });
  await changeLifecycle(run, 'failed', { type: code, message: `${step.op}: ${message}` });
  run.log.warn({ op: step.op, errorType: code }, 'step failed');
  return { outcome: 'failed', reason: `${step.op} failed: ${message}` };
}

/** Transient failures are retried with backoff; each wait is a safe point where a newer revision takes over. */
async function executeWithRetries(run: ActionRun, step: PlanStep): Promise<StepEnd> {
  const { deps } = run;
  const context: StepContext = { node: run.node, revision: run.revision, action: run.action, since: run.since, signal: deps.signal, log: run.log };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return { kind: 'ok', outcome: await deps.execute(step, context) };
    } catch (error) {
      if (deps.signal.aborted) return { kind: 'cancelled' };
      // An event (a power cycle) that timed out may still have happened: only converging steps are retried.
      if (!isTransient(error) || !isIdempotentStep(step) || attempt >= deps.limits.maxAttempts) return { kind: 'failed', error };
      run.log.info({ op: step.op, attempt }, 'transient step failure, retrying');
      try {
        await deps.sleep(BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), deps.signal);
      } catch {
        return { kind: 'cancelled' };
      }
      if (!deps.isCurrent()) return { kind: 'cancelled' };
    }
  }
}

function noteSkipped(run: ActionRun, step: PlanStep): void {
  run.anySkipped = true;
  if (step.op === 'image-deploy') run.installSkipped = true;
  if (step.op === 'puppet-run') run.puppetSkipped = true;
}

async function changeLifecycle(run: ActionRun, lifecycle: NodeLifecycle, error?: { type: string; message: string }): Promise<void> {
  run.reached = lifecycle;
  const status = error ? `${run.action.kind} failed` : `${run.action.kind} in progress`;
  await run.deps.store.setLifecycle({ nodeId: run.node.nodeId, lifecycle, at: run.deps.now(), status, ...(error ? { error } : {}) });
}

async function finish(run: ActionRun, outcome: ActionResult['outcome'], reason?: string): Promise<{ result: ActionResult; applied: AppliedNodeState }> {
  const { action, node, deps } = run;
  if (outcome === 'succeeded') {
    const final = lifecycleOnSuccess(action.kind, run.reached, run.anySkipped);
    run.applied = {
      ...run.applied, hostname: node.hostname, role: node.role, revision: run.revision,
      ...(node.profile ? { profile: node.profile } : {}),
      ...(node.raid === undefined ? {} : { raid: node.raid }),
      ...(node.rebootRequired === undefined ? {} : { rebootRequired: node.rebootRequired }),
    };
    run.applied = { ...run.applied, lifecycle: final ?? run.reached ?? run.applied.lifecycle };
    await deps.store.saveAppliedState(run.applied, deps.now());
    const status = run.applied.lifecycle === 'installed' && run.puppetSkipped
      ? `${action.kind} done: installed (ENC delivered; Puppet not run)`
      : run.anySkipped ? `${action.kind} done; some steps had no driver configured` : `${action.kind} done`;
    await deps.store.setLifecycle({ nodeId: node.nodeId, lifecycle: run.applied.lifecycle, at: deps.now(), status });
  } else if (outcome === 'interrupted') {
    await changeLifecycle(run, 'failed', { type: 'APPLY_INTERRUPTED', message: reason ?? 'interrupted' });
  }
  run.log.info({ outcome, stepsRun: run.stepsRun }, 'action finished');
  const lifecycle = outcome === 'succeeded' ? run.applied.lifecycle : run.reached;
  const result: ActionResult = {
    actionId: action.id, nodeId: node.nodeId, hostname: node.hostname, kind: action.kind, outcome, stepsRun: run.stepsRun,
    ...(reason ? { reason } : {}), ...(lifecycle ? { lifecycle } : {}),
  };
  return { result, applied: run.applied };
}
