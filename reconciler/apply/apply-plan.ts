import type { AppliedNodeState, BlockedAction, Plan, PlannedAction } from '../plan/types.js';
import type { JournalEntry } from '../store/types.js';
import { gateActions } from '../plan/gate-actions.js';
import { groupWaves } from './gate-actions.js';
import { groupJournal } from './resume-step.js';
import { runAction } from './run-action.js';
import type { ActionResult, ApplyDeps, ApplyResult } from './types.js';

interface WaveState {
  deps: ApplyDeps;
  plan: Plan;
  journal: ReadonlyMap<string, JournalEntry[]>;
  applied: Map<string, AppliedNodeState>;
  results: Map<string, ActionResult>;
  /** One chain per node, so two actions of the same node never overlap. */
  nodeChains: Map<string, Promise<unknown>>;
}

/**
 * Executes a plan: waves in order with a barrier between them, at most `maxParallel` actions at once,
 * destructive actions only with approval and within budget, a wave stopped once too many of its actions
 * failed, and every step journaled so that a restart resumes where it stopped.
 *
 * @example const result = await applyPlan(plan, { store, execute, nodes, approvals, limits, log, now, sleep, isCurrent, signal });
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  // Apply's own guard on destructive actions, whatever the plan says: the planner's gate, run again on what it
  // let through (maintenance was already held back there).
  const budget = { maxPerCommit: deps.limits.maxDestructivePerCommit, maxPerAvailabilityZone: deps.limits.maxDestructivePerZone };
  const { runnable, blocked } = gateActions(plan.actions, { approvals: deps.approvals, budget, maintenance: new Set() });
  const state: WaveState = {
    deps,
    plan,
    journal: groupJournal(await deps.store.listJournal({ revision: plan.revision })),
    // Only the nodes this plan acts on: the applied states of every other node are not needed while applying.
    applied: new Map((await deps.store.listAppliedStates({ nodeIds: plan.actions.map((action) => action.nodeId) })).map((entry) => [entry.nodeId, entry])),
    results: new Map(),
    nodeChains: new Map(),
  };
  let stopReason: string | undefined;
  for (const wave of groupWaves(runnable)) {
    if (stopReason === undefined && (!deps.isCurrent() || deps.signal.aborted)) stopReason = 'superseded by a newer revision or shutting down';
    if (stopReason !== undefined) {
      for (const action of wave) record(state, action, 'skipped', stopReason);
      continue;
    }
    stopReason = await runWave(state, wave);
  }
  const results = [...[...plan.blocked, ...blocked].map(toBlockedResult), ...runnable.map((action) => state.results.get(action.id) as ActionResult)];
  return { revision: plan.revision, results, cancelled: !deps.isCurrent() || deps.signal.aborted };
}

/** Runs one wave; returns why later waves must not start, if they must not. */
async function runWave(state: WaveState, wave: readonly PlannedAction[]): Promise<string | undefined> {
  const { deps } = state;
  const queue = [...wave];
  let failed = 0;
  let halted: string | undefined;
  const threshold = (deps.limits.stopOnFailurePercent / 100) * wave.length;
  const worker = async (): Promise<void> => {
    for (let action = queue.shift(); action; action = queue.shift()) {
      const blocker = halted ?? findBlocker(state, action);
      if (blocker !== undefined) {
        record(state, action, 'skipped', blocker);
        continue;
      }
      const result = await runSerialized(state, action);
      if (result.outcome === 'failed' || result.outcome === 'interrupted') failed += 1;
      if (halted === undefined && failed > 0 && failed >= threshold) halted = `wave ${action.wave} stopped: ${failed} of ${wave.length} actions failed`;
      if (halted === undefined && (!deps.isCurrent() || deps.signal.aborted)) halted = 'superseded by a newer revision or shutting down';
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.limits.maxParallel, wave.length) }, worker));
  return halted;
}

/** An unmet dependency: a prerequisite that did not succeed in this pass. */
function findBlocker(state: WaveState, action: PlannedAction): string | undefined {
  for (const id of action.dependsOn) {
    const prerequisite = state.results.get(id);
    const planned = state.plan.actions.some((candidate) => candidate.id === id);
    if (planned && prerequisite?.outcome !== 'succeeded') return `depends on ${id}, which did not succeed`;
  }
  return undefined;
}

async function runSerialized(state: WaveState, action: PlannedAction): Promise<ActionResult> {
  const previous = state.nodeChains.get(action.nodeId) ?? Promise.resolve();
  const current = previous.then(() => runOne(state, action));
  state.nodeChains.set(action.nodeId, current.catch(() => undefined));
  return current;
}

async function runOne(state: WaveState, action: PlannedAction): Promise<ActionResult> {
  const node = state.deps.nodes.get(action.nodeId);
  if (!node) return record(state, action, 'failed', `no target for node ${action.nodeId}`);
  try {
    const { result, applied } = await runAction(action, node, state.plan.revision, state.applied.get(action.nodeId), state.journal, state.deps);
    state.applied.set(action.nodeId, applied);
    state.results.set(action.id, result);
    return result;
  } catch (error) {
    // A store failure mid-action: the journal holds what is known; the action is reported, not retried here.
    state.deps.log.error({ err: error, action: action.id }, 'action aborted by an internal error');
    return record(state, action, 'failed', `internal error: ${(error as Error).message}`);
  }
}

function record(state: WaveState, action: PlannedAction, outcome: ActionResult['outcome'], reason: string): ActionResult {
  const result: ActionResult = { actionId: action.id, nodeId: action.nodeId, hostname: action.hostname, kind: action.kind, outcome, reason, stepsRun: 0 };
  state.results.set(action.id, result);
  return result;
}

function toBlockedResult(blocked: BlockedAction): ActionResult {
  const { action } = blocked;
  return { actionId: action.id, nodeId: action.nodeId, hostname: action.hostname, kind: action.kind, outcome: 'blocked', reason: blocked.message, stepsRun: 0 };
}
