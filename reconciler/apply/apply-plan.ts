import type { AppliedNodeState, BlockedAction, Plan, PlannedAction } from '../plan/types.js';
import type { JournalEntry } from '../store/types.js';
import { gateActions, holdDependents } from '../plan/gate-actions.js';
import { groupJournal } from './resume-step.js';
import { runAction } from './run-action.js';
import type { ActionResult, ApplyDeps, ApplyExtensions, ApplyNode, ApplyResult } from './types.js';

interface ApplyState {
  deps: ApplyDeps;
  revision: string;
  /** Ids of every action this apply was given (its plan and any extension): the prerequisites it knows of. */
  planned: Set<string>;
  /** Nodes this apply acts on or holds back; an extension brings only others. */
  known: Set<string>;
  nodes: Map<string, ApplyNode>;
  journal: Map<string, JournalEntry[]>;
  applied: Map<string, AppliedNodeState>;
  results: Map<string, ActionResult>;
  /** One chain per node, so two actions of the same node never overlap. */
  nodeChains: Map<string, Promise<unknown>>;
  /** Actions taken from a wave's queue and not yet ended: a dependent taken by another worker waits for them. */
  inFlight: Map<string, Promise<void>>;
  /** What passed apply's own gate, in the order it was given: the order of the results. */
  admitted: PlannedAction[];
  blocked: BlockedAction[];
  /** Waves not started yet, by wave number. */
  waiting: Map<number, PlannedAction[]>;
  running: RunningWave | undefined;
  /** Why no further action may start (a wave stopped on failures, a newer revision, a shutdown). */
  stopReason: string | undefined;
  extending: Promise<void> | undefined;
  extendAgain: boolean;
}

interface RunningWave {
  number: number;
  queue: PlannedAction[];
  /** Actions of this wave, including any that joined it while it ran. */
  total: number;
  failed: number;
  /** Failures repeated from an earlier pass (`ApplyDeps.failedEarlier`): added to `failed` when the wave ends. */
  repeated: number;
  active: number;
  halted: string | undefined;
  finish: () => void;
}

const SUPERSEDED = 'superseded by a newer revision or shutting down';

/**
 * Executes a plan: waves in order with a barrier between them, at most `maxParallel` actions at once,
 * destructive actions only with approval and within budget, a wave stopped once too many of its actions
 * failed, and every step journaled so that a restart resumes where it stopped. Machines that report while
 * it runs join it through `deps.extensions`: into the running wave when theirs is not later, else into theirs.
 *
 * @example const result = await applyPlan(plan, { store, execute, nodes, approvals, limits, log, now, sleep, isCurrent, signal });
 */
export async function applyPlan(plan: Plan, deps: ApplyDeps): Promise<ApplyResult> {
  const state: ApplyState = {
    deps,
    revision: plan.revision,
    planned: new Set(),
    known: new Set([...plan.actions, ...plan.blocked.map((entry) => entry.action)].map((action) => action.nodeId)),
    nodes: new Map(deps.nodes),
    journal: groupJournal(await deps.store.listJournal({ revision: plan.revision })),
    // Only the nodes this plan acts on: the applied states of every other node are not needed while applying.
    applied: new Map((await deps.store.listAppliedStates({ nodeIds: plan.actions.map((action) => action.nodeId) })).map((entry) => [entry.nodeId, entry])),
    results: new Map(),
    nodeChains: new Map(),
    inFlight: new Map(),
    admitted: [],
    blocked: [...plan.blocked],
    waiting: new Map(),
    running: undefined,
    stopReason: undefined,
    extending: undefined,
    extendAgain: false,
  };
  admit(state, plan.actions);
  const unsubscribe = deps.extensions?.subscribe(() => requestExtension(state));
  try {
    for (;;) {
      const number = Math.min(...state.waiting.keys());
      const wave = state.waiting.get(number);
      if (!wave) {
        // Nothing left to start; an extension being planned may still bring some.
        if (state.extending) await state.extending;
        if (state.waiting.size > 0) continue;
        break;
      }
      state.waiting.delete(number);
      if (state.stopReason === undefined && stopped(deps)) state.stopReason = SUPERSEDED;
      if (state.stopReason !== undefined) {
        for (const action of wave) skip(state, action, state.stopReason);
        continue;
      }
      const halted = await runWave(state, number, wave);
      if (halted !== undefined) state.stopReason ??= halted;
    }
  } finally {
    unsubscribe?.();
  }
  const results = [...state.blocked.map(toBlockedResult), ...state.admitted.map((action) => state.results.get(action.id) as ActionResult)];
  return { revision: plan.revision, results, cancelled: stopped(deps) };
}

function stopped(deps: ApplyDeps): boolean {
  return !deps.isCurrent() || deps.signal.aborted;
}

/**
 * Apply's own guard on destructive actions, whatever the plan says: the planner's gate, run again on what it let
 * through (maintenance was already held back there), over everything this apply admitted before these actions,
 * so an extension spends only what the budget has left. Admitted actions join the running wave or wait for theirs.
 */
function admit(state: ApplyState, actions: readonly PlannedAction[]): PlannedAction[] {
  const { limits, approvals } = state.deps;
  const budget = { maxPerCommit: limits.maxDestructivePerCommit, maxPerAvailabilityZone: limits.maxDestructivePerZone };
  const fresh = new Set(actions.map((action) => action.id));
  // A dependent of an action the budget now blocks is held back with it, as the planner does.
  const gated = holdDependents(gateActions([...state.admitted, ...actions], { approvals, budget, maintenance: new Set() }));
  const runnable = gated.runnable.filter((action) => fresh.has(action.id));
  state.blocked.push(...gated.blocked.filter((entry) => fresh.has(entry.action.id)));
  for (const action of actions) {
    state.planned.add(action.id);
    state.known.add(action.nodeId);
  }
  state.admitted.push(...runnable);
  const running = state.running;
  for (const action of runnable) {
    if (state.stopReason !== undefined) skip(state, action, state.stopReason);
    else if (running && action.wave <= running.number) {
      // Its wave is running or over: it runs now rather than wait for one that will not come again.
      running.queue.push(action);
      running.total += 1;
    } else {
      const waiting = state.waiting.get(action.wave);
      if (waiting) waiting.push(action);
      else state.waiting.set(action.wave, [action]);
    }
  }
  if (running) startWorkers(state, running);
  return runnable;
}

/** New machines reported: plan them in (one extension at a time; requests meanwhile make one more). */
function requestExtension(state: ApplyState): void {
  const { extensions, log } = state.deps;
  if (!extensions || stopped(state.deps) || state.stopReason !== undefined) return;
  if (state.extending) {
    state.extendAgain = true;
    return;
  }
  state.extending = (async () => {
    do {
      state.extendAgain = false;
      try {
        await extendOnce(state, extensions);
      } catch (error) {
        // The next reconcile plans these machines anyway; the running apply goes on.
        log.warn({ err: error }, 'could not add newly reported machines to the running apply');
      }
    } while (state.extendAgain && !stopped(state.deps));
  })().finally(() => {
    state.extending = undefined;
  });
}

async function extendOnce(state: ApplyState, extensions: ApplyExtensions): Promise<void> {
  const extension = await extensions.plan(new Set(state.known));
  // Nodes this apply already acts on or holds back stay with the plan that has them.
  const actions = extension.actions.filter((action) => !state.known.has(action.nodeId));
  const blocked = extension.blocked.filter((entry) => !state.known.has(entry.action.nodeId));
  if (actions.length === 0 && blocked.length === 0) return;
  const nodeIds = [...new Set(actions.map((action) => action.nodeId))];
  // The journal read when the apply started holds every entry of this revision, the new nodes' included.
  for (const entry of await state.deps.store.listAppliedStates({ nodeIds })) if (!state.applied.has(entry.nodeId)) state.applied.set(entry.nodeId, entry);
  for (const [nodeId, node] of extension.nodes) if (!state.nodes.has(nodeId)) state.nodes.set(nodeId, node);
  for (const entry of blocked) state.known.add(entry.action.nodeId);
  state.blocked.push(...blocked);
  const runnable = admit(state, actions);
  state.deps.log.info({ nodes: nodeIds.length, actions: runnable.length, blocked: actions.length - runnable.length + blocked.length }, 'machines that reported during the apply joined it');
}

/** Runs one wave; resolves with why later waves must not start, if they must not. */
function runWave(state: ApplyState, number: number, actions: readonly PlannedAction[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const wave: RunningWave = { number, queue: [...actions], total: actions.length, failed: 0, repeated: 0, active: 0, halted: undefined, finish: () => resolve(wave.halted) };
    state.running = wave;
    startWorkers(state, wave);
  });
}

function startWorkers(state: ApplyState, wave: RunningWave): void {
  while (wave.active < state.deps.limits.maxParallel && wave.queue.length > 0) {
    wave.active += 1;
    void work(state, wave);
  }
  if (wave.active === 0) endWave(state, wave);
}

/** Stops the wave once `stopOnFailurePercent` of its actions failed. */
function haltOnFailures(state: ApplyState, wave: RunningWave): void {
  const threshold = (state.deps.limits.stopOnFailurePercent / 100) * wave.total;
  if (wave.halted === undefined && wave.failed > 0 && wave.failed >= threshold) wave.halted = `wave ${wave.number} stopped: ${wave.failed} of ${wave.total} actions failed`;
}

function endWave(state: ApplyState, wave: RunningWave): void {
  wave.failed += wave.repeated;
  wave.repeated = 0;
  haltOnFailures(state, wave);
  if (state.running === wave) state.running = undefined;
  wave.finish();
}

async function work(state: ApplyState, wave: RunningWave): Promise<void> {
  const { deps } = state;
  try {
    for (let action = wave.queue.shift(); action; action = wave.queue.shift()) {
      // Known as in flight from the moment it leaves the queue: a dependent taken by another worker waits for it.
      const id = action.id;
      const handled = handle(state, wave, action);
      state.inFlight.set(id, handled);
      await handled.finally(() => state.inFlight.delete(id));
    }
  } catch (error) {
    deps.log.error({ err: error }, 'apply worker stopped by an internal error');
  } finally {
    wave.active -= 1;
    if (wave.active === 0) endWave(state, wave);
  }
}

/** One action of a running wave: skipped, its earlier failure repeated, or run; then the wave's failure count. */
async function handle(state: ApplyState, wave: RunningWave, action: PlannedAction): Promise<void> {
  // A prerequisite still in flight (both joined the running wave together) is waited for, not taken as failed.
  await Promise.all(action.dependsOn.map((id) => state.inFlight.get(id)?.catch(() => undefined)));
  const blocker = wave.halted === undefined ? findBlocker(state, action) : { reason: wave.halted, byFailure: wave.halted !== SUPERSEDED };
  if (blocker !== undefined) {
    skip(state, action, blocker.reason, blocker.byFailure);
    return;
  }
  const repeated = repeatFailure(state, action);
  const result = repeated ?? (await runSerialized(state, action));
  // A failure found in this pass stops the rest of its wave; one repeated from an earlier pass stops only the
  // later waves (counted at the wave's end), so a machine left failed does not hold back new machines of its wave.
  if (repeated) wave.repeated += 1;
  else if (result.outcome === 'failed' || result.outcome === 'interrupted') wave.failed += 1;
  if (!repeated) haltOnFailures(state, wave);
  if (wave.halted === undefined && stopped(state.deps)) wave.halted = SUPERSEDED;
}

/** An unmet dependency: a prerequisite that did not succeed in this pass (`byFailure` when a failure is why). */
function findBlocker(state: ApplyState, action: PlannedAction): { reason: string; byFailure: boolean } | undefined {
  for (const id of action.dependsOn) {
    const prerequisite = state.results.get(id);
    if (!state.planned.has(id) || prerequisite?.outcome === 'succeeded') continue;
    const byFailure = prerequisite !== undefined && (prerequisite.outcome === 'failed' || prerequisite.outcome === 'interrupted' || prerequisite.heldByFailure === true);
    return { reason: `depends on ${id}, which did not succeed`, byFailure };
  }
  return undefined;
}

async function runSerialized(state: ApplyState, action: PlannedAction): Promise<ActionResult> {
  const previous = state.nodeChains.get(action.nodeId) ?? Promise.resolve();
  const current = previous.then(() => runOne(state, action));
  state.nodeChains.set(action.nodeId, current.catch(() => undefined));
  return current;
}

async function runOne(state: ApplyState, action: PlannedAction): Promise<ActionResult> {
  const node = state.nodes.get(action.nodeId);
  if (!node) return record(state, action, 'failed', `no target for node ${action.nodeId}`);
  try {
    const { result, applied } = await runAction(action, node, state.revision, state.applied.get(action.nodeId), state.journal, state.deps);
    state.applied.set(action.nodeId, applied);
    state.results.set(action.id, result);
    return result;
  } catch (error) {
    // A store failure mid-action: the journal holds what is known; the action is reported, not retried here.
    state.deps.log.error({ err: error, action: action.id }, 'action aborted by an internal error');
    return record(state, action, 'failed', `internal error: ${(error as Error).message}`);
  }
}

/** The earlier failure of an action that is not tried again in this pass (see `ApplyDeps.failedEarlier`). */
function repeatFailure(state: ApplyState, action: PlannedAction): ActionResult | undefined {
  const earlier = state.deps.failedEarlier?.get(action.id);
  if (earlier?.outcome !== 'failed') return undefined;
  state.deps.log.info({ action: action.id, reason: earlier.reason }, 'not tried again: it failed earlier at this revision and its machine has not reported since');
  const result: ActionResult = { ...earlier, hostname: action.hostname, stepsRun: 0, repeated: true };
  state.results.set(action.id, result);
  return result;
}

/**
 * An action not started. Held back by a failure (its wave stopped, a prerequisite failed), it waits for the machine
 * that failed to report again or for the next commit; held back by a newer revision or a shutdown, it is pending.
 */
function skip(state: ApplyState, action: PlannedAction, reason: string, byFailure = reason !== SUPERSEDED): ActionResult {
  const result = record(state, action, 'skipped', reason);
  if (byFailure) result.heldByFailure = true;
  return result;
}

function record(state: ApplyState, action: PlannedAction, outcome: ActionResult['outcome'], reason: string): ActionResult {
  const result: ActionResult = { actionId: action.id, nodeId: action.nodeId, hostname: action.hostname, kind: action.kind, outcome, reason, stepsRun: 0 };
  state.results.set(action.id, result);
  return result;
}

function toBlockedResult(blocked: BlockedAction): ActionResult {
  const { action } = blocked;
  return { actionId: action.id, nodeId: action.nodeId, hostname: action.hostname, kind: action.kind, outcome: 'blocked', reason: blocked.message, stepsRun: 0 };
}
