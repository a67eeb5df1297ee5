import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../lib/logger.js';
import { PlinthError } from '../lib/errors.js';
import type { Plan, PlannedAction, PlanStep } from '../plan/types.js';
import { SqliteControllerStore } from '../store/sqlite/sqlite-controller-store.js';
import { openDatabase } from '../store/sqlite/open-database.js';
import { summarizeApply } from '../controller/summarize-apply.js';
import { applyPlan } from './apply-plan.js';
import type { ActionResult, ApplyDeps, ApplyExtension, ApplyExtensions, ApplyNode, StepExecutor } from './types.js';

const REVISION = `main@sha1:${'a'.repeat(40)}`;

function action(nodeId: string, overrides: Partial<PlannedAction> = {}): PlannedAction {
  const steps: PlanStep[] = [{ op: 'dhcp-ensure', mac: '02:00:00:00:00:01', ip: '10.0.0.1', hostname: nodeId }, { op: 'power', action: 'cycle' }, { op: 'enc-publish', encDigest: 'd' }];
  return { id: `${nodeId}/enrol`, nodeId, hostname: `${nodeId}.example.net`, role: 'compute', availabilityZone: 'az-1', kind: 'enrol', destructive: false, wave: 1, reason: 'new', steps, dependsOn: [], ...overrides };
}

function plan(actions: PlannedAction[]): Plan {
  return { cluster: 'c1', revision: REVISION, actions, blocked: [], problems: [], summary: { enrol: actions.length, change: 0, reprovision: 0, wipe: 0, destructive: 0, blocked: 0 } };
}

/** An in-memory store holding enrolled nodes `ids` (the journal and applied state refer to nodes). */
function createStore(ids: readonly string[]): SqliteControllerStore {
  const db = openDatabase(':memory:');
  const insert = db.prepare(`INSERT INTO nodes (id, identity_source, state, first_seen, last_seen) VALUES (?, 'serial', 'discovered', 'T0', 'T0')`);
  for (const id of ids) insert.run(id);
  return new SqliteControllerStore(db);
}

function nodesFor(ids: readonly string[]): Map<string, ApplyNode> {
  return new Map(ids.map((id, index) => [id, { nodeId: id, hostname: `${id}.example.net`, role: 'compute', encYaml: 'x: 1\n', addresses: { provisioning: `10.0.0.${index + 1}` }, hostnameIndex: index + 1 }]));
}

function createDeps(store: SqliteControllerStore, ids: readonly string[], execute: StepExecutor, overrides: Partial<ApplyDeps> = {}): ApplyDeps {
  let tick = 0;
  return {
    store, execute, nodes: nodesFor(ids), approvals: { byKind: {} },
    limits: { maxParallel: 20, stopOnFailurePercent: 100, maxAttempts: 3 }, log: silentLogger(),
    now: () => `2026-01-01T00:00:${String(tick++ % 60).padStart(2, '0')}.000Z`,
    sleep: async () => undefined, isCurrent: () => true, signal: new AbortController().signal, ...overrides,
  };
}

describe('applyPlan', () => {
  it('journals every step before and after it runs, and records allocations with the enrolment', async () => {
    const store = createStore(['n1']);
    const ran: string[] = [];
    const result = await applyPlan(plan([action('n1')]), createDeps(store, ['n1'], async (step) => (ran.push(step.op), {})));

    expect(result.results.map((entry) => entry.outcome)).toEqual(['succeeded']);
    expect(ran).toEqual(['dhcp-ensure', 'power', 'enc-publish']);
    expect((await store.listJournal({ revision: REVISION })).map((entry) => [entry.action, entry.state])).toEqual([
      ['n1/enrol#0:dhcp-ensure', 'succeeded'], ['n1/enrol#1:power', 'succeeded'], ['n1/enrol#2:enc-publish', 'succeeded'],
    ]);
    expect((await store.listLiveAllocations()).map((entry) => entry.address)).toEqual(['10.0.0.1']);
    expect((await store.listAppliedStates())[0]).toMatchObject({ nodeId: 'n1', encDigest: 'd', power: 'on', lifecycle: 'active' });
  });

  it('skips steps the journal shows done and reports a started power cycle as interrupted instead of repeating it', async () => {
    const store = createStore(['n1', 'n2', 'n3']);
    const first = await store.appendJournal({ revision: REVISION, nodeId: 'n1', action: 'n1/enrol#0:dhcp-ensure', plannedAt: 'T', detail: { op: 'dhcp-ensure' } });
    await store.transitionJournal(first.id, { state: 'started', at: 'T' });
    await store.transitionJournal(first.id, { state: 'succeeded', at: 'T' });
    const second = await store.appendJournal({ revision: REVISION, nodeId: 'n1', action: 'n1/enrol#1:power', plannedAt: 'T', detail: { op: 'power' } });
    await store.transitionJournal(second.id, { state: 'started', at: 'T' });
    const ran: string[] = [];

    // n2 depends on n1 (a later wave; n3 keeps wave 1 under its failure threshold): it waits for the interruption to
    // be dealt with, and is not pending meanwhile.
    const dependent = action('n2', { wave: 2, dependsOn: ['n1/enrol'] });
    const result = await applyPlan(plan([action('n1'), action('n3'), dependent]), createDeps(store, ['n1', 'n2', 'n3'], async (step, context) => (ran.push(`${context.node.nodeId}:${step.op}`), {})));

    expect(ran.filter((entry) => !entry.startsWith('n3:'))).toEqual([]);
    expect(result.results[0]).toMatchObject({ outcome: 'interrupted' });
    expect(result.results[2]).toMatchObject({ actionId: 'n2/enrol', outcome: 'skipped', reason: 'depends on n1/enrol, which did not succeed', heldByFailure: true });
    expect((await store.listJournal({ revision: REVISION, nodeId: 'n1' })).map((entry) => entry.state)).toEqual(['succeeded', 'interrupted']);
  });

  it('finishes a wave before starting the next, and starts no later wave after a failure', async () => {
    const store = createStore(['a', 'b', 'c']);
    const order: string[] = [];
    const execute: StepExecutor = async (step, context) => {
      order.push(`${context.node.nodeId}:${step.op}`);
      if (context.node.nodeId === 'b' && step.op === 'power') throw new PlinthError('BMC_AUTH', 'refused');
      return {};
    };
    const actions = [action('a', { wave: 1 }), action('b', { wave: 1 }), action('c', { wave: 2 })];

    const result = await applyPlan(plan(actions), createDeps(store, ['a', 'b', 'c'], execute, { limits: { maxParallel: 1, stopOnFailurePercent: 0, maxAttempts: 3 } }));

    expect(result.results.map((entry) => [entry.actionId, entry.outcome])).toEqual([['a/enrol', 'succeeded'], ['b/enrol', 'failed'], ['c/enrol', 'skipped']]);
    expect(order.some((entry) => entry.startsWith('c:'))).toBe(false);
    // Held back by the failure, not pending: the commit's outcome is final (see summarizeApply).
    expect(result.results[2]).toMatchObject({ heldByFailure: true });
    expect(summarizeApply(plan(actions), result)).toMatchObject({ pending: 0, counts: { enrol: { succeeded: 1, failed: 1, skipped: 1 } } });
  });

  it('does not run again an action that failed earlier at this revision: its failure stands and stops the later waves, the machine is not touched', async () => {
    const store = createStore(['a', 'b', 'c', 'd', 'e']);
    const order: string[] = [];
    const execute: StepExecutor = async (step, context) => (order.push(`${context.node.nodeId}:${step.op}`), {});
    const actions = [action('a', { wave: 1 }), action('b', { wave: 1 }), action('d', { wave: 1 }), action('e', { wave: 1 }), action('c', { wave: 2 })];
    const earlier = { actionId: 'b/enrol', nodeId: 'b', hostname: 'b.example.net', kind: 'enrol' as const, outcome: 'failed' as const, reason: 'power failed: refused', stepsRun: 2, lifecycle: 'failed' as const };
    // An interrupted action is resumed whatever the map says: only failures stand.
    const interrupted = { ...earlier, actionId: 'a/enrol', nodeId: 'a', outcome: 'interrupted' as const };

    const result = await applyPlan(plan(actions), createDeps(store, ['a', 'b', 'c', 'd', 'e'], execute, {
      limits: { maxParallel: 1, stopOnFailurePercent: 0, maxAttempts: 3 },
      failedEarlier: new Map<string, ActionResult>([['b/enrol', earlier], ['a/enrol', interrupted]]),
    }));

    // New machines of the same wave (d, e) still run; the next wave does not start.
    expect(result.results.map((entry) => [entry.actionId, entry.outcome, entry.reason])).toEqual([
      ['a/enrol', 'succeeded', undefined], ['b/enrol', 'failed', 'power failed: refused'], ['d/enrol', 'succeeded', undefined], ['e/enrol', 'succeeded', undefined], ['c/enrol', 'skipped', 'wave 1 stopped: 1 of 4 actions failed'],
    ]);
    expect(result.results[1]).toMatchObject({ lifecycle: 'failed', stepsRun: 0, repeated: true });
    expect(order.filter((entry) => entry.startsWith('b:') || entry.startsWith('c:'))).toEqual([]);
    expect(await store.listJournal({ nodeId: 'b' })).toEqual([]);
  });

  it('never runs a destructive action without approval, and reports it blocked with the trailer to add', async () => {
    const store = createStore(['n1']);
    const ran: string[] = [];
    const destructive = action('n1', { id: 'n1/reprovision', kind: 'reprovision', destructive: true });

    const result = await applyPlan(plan([destructive]), createDeps(store, ['n1'], async (step) => (ran.push(step.op), {})));

    expect(ran).toEqual([]);
    expect(result.results[0]).toMatchObject({ outcome: 'blocked', reason: expect.stringContaining('Plinth-Approve: reprovision n1') });
  });

  it('keeps at most maxParallel actions in flight', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const store = createStore(ids);
    let inFlight = 0;
    let most = 0;
    const execute: StepExecutor = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return {};
    };
    await applyPlan(plan(ids.map((id) => action(id))), createDeps(store, ids, execute, { limits: { maxParallel: 2, stopOnFailurePercent: 100, maxAttempts: 1 } }));

    expect(most).toBe(2);
  });

  it('stops at the next safe point once a newer revision arrives, leaving later steps unstarted', async () => {
    const store = createStore(['n1']);
    let current = true;
    const ran: string[] = [];
    const execute: StepExecutor = async (step) => {
      ran.push(step.op);
      current = false; // a newer commit arrived while the first step ran
      return {};
    };

    const result = await applyPlan(plan([action('n1')]), createDeps(store, ['n1'], execute, { isCurrent: () => current }));

    expect(ran).toEqual(['dhcp-ensure']);
    expect(result).toMatchObject({ cancelled: true, results: [{ outcome: 'skipped' }] });
    expect(result.results[0]?.heldByFailure).toBeUndefined();
    expect(summarizeApply(plan([action('n1')]), result).pending).toBe(1);
  });

  it('retries a transient failure of a converging step but never of a power cycle', async () => {
    const store = createStore(['n1']);
    const attempts: string[] = [];
    const execute: StepExecutor = async (step) => {
      attempts.push(step.op);
      if (step.op === 'dhcp-ensure' && attempts.length === 1) throw new PlinthError('DHCP_IO', 'busy', { transient: true });
      if (step.op === 'power') throw new PlinthError('BMC_TIMEOUT', 'no answer', { transient: true });
      return {};
    };

    const result = await applyPlan(plan([action('n1')]), createDeps(store, ['n1'], execute));

    expect(attempts).toEqual(['dhcp-ensure', 'dhcp-ensure', 'power']);
    expect(result.results[0]).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('power failed') });
  });

  describe('machines that report while it runs', () => {
    /** Extensions the test drives: `announce()` is what the controller does when new machines reported. */
    function extensions(next: (known: ReadonlySet<string>) => ApplyExtension): ApplyExtensions & { announce: () => void; asked: ReadonlySet<string>[] } {
      let listener: (() => void) | undefined;
      const asked: ReadonlySet<string>[] = [];
      return {
        asked,
        subscribe: (callback) => {
          listener = callback;
          return () => (listener = undefined);
        },
        plan: async (known) => (asked.push(known), next(known)),
        announce: () => listener?.(),
      };
    }

    /** An executor whose `held` node stops at its power step until `release()`. */
    function holding(held: string): { execute: StepExecutor; ran: string[]; reached: Promise<void>; release: () => void } {
      const ran: string[] = [];
      let release = (): void => undefined;
      let reachedResolve = (): void => undefined;
      const reached = new Promise<void>((resolve) => (reachedResolve = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      const execute: StepExecutor = async (step, context) => {
        ran.push(`${context.node.nodeId}:${step.op}`);
        if (context.node.nodeId === held && step.op === 'power') {
          reachedResolve();
          await gate;
        }
        return {};
      };
      return { execute, ran, reached, release: () => release() };
    }

    const until = async (check: () => boolean): Promise<void> => {
      for (let round = 0; round < 1000 && !check(); round += 1) await new Promise((resolve) => setImmediate(resolve));
    };

    it('runs a new machine of the running wave at once, while an earlier machine still waits', async () => {
      const store = createStore(['a', 'b']);
      const hold = holding('a');
      const more = extensions(() => ({ actions: [action('b')], blocked: [], nodes: nodesFor(['a', 'b']) }));
      const applying = applyPlan(plan([action('a')]), createDeps(store, ['a'], hold.execute, { extensions: more }));
      await hold.reached;

      more.announce();
      await until(() => hold.ran.includes('b:enc-publish'));
      const doneBeforeRelease = [...hold.ran];
      hold.release();
      const result = await applying;

      expect(doneBeforeRelease).toEqual(['a:dhcp-ensure', 'a:power', 'b:dhcp-ensure', 'b:power', 'b:enc-publish']);
      expect([...(more.asked[0] ?? [])]).toEqual(['a']);
      expect(result.results.map((entry) => [entry.actionId, entry.outcome])).toEqual([['a/enrol', 'succeeded'], ['b/enrol', 'succeeded']]);
      expect((await store.listJournal({ revision: REVISION, nodeId: 'b' })).map((entry) => entry.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    });

    it('runs a joining action after a prerequisite that joined with it, even when both join a later running wave', async () => {
      const store = createStore(['a', 'x', 'y']);
      const hold = holding('a');
      // x is slow: its dependent y, admitted into the same running wave, must wait for it rather than call it failed.
      let releaseX = (): void => undefined;
      const xGate = new Promise<void>((resolve) => (releaseX = resolve));
      const execute: StepExecutor = async (step, context) => {
        if (context.node.nodeId === 'x' && step.op === 'power') await xGate;
        return hold.execute(step, context);
      };
      const joining = [action('x', { wave: 1 }), action('y', { id: 'y/reconfigure', kind: 'reconfigure', wave: 2, dependsOn: ['x/enrol'] })];
      const more = extensions(() => ({ actions: joining, blocked: [], nodes: nodesFor(['a', 'x', 'y']) }));
      const applying = applyPlan(plan([action('a', { wave: 3 })]), createDeps(store, ['a'], execute, { extensions: more }));
      await hold.reached;

      more.announce();
      await until(() => hold.ran.includes('x:dhcp-ensure'));
      releaseX();
      await until(() => hold.ran.includes('y:enc-publish'));
      hold.release();
      const result = await applying;

      expect(result.results.map((entry) => [entry.actionId, entry.outcome])).toEqual([['a/enrol', 'succeeded'], ['x/enrol', 'succeeded'], ['y/reconfigure', 'succeeded']]);
      expect(hold.ran.indexOf('y:dhcp-ensure')).toBeGreaterThan(hold.ran.indexOf('x:enc-publish'));
    });

    it('keeps a new machine of a later wave behind the barrier of the running one', async () => {
      const store = createStore(['a', 'c']);
      const hold = holding('a');
      const more = extensions(() => ({ actions: [action('c', { wave: 2 })], blocked: [], nodes: nodesFor(['a', 'c']) }));
      const applying = applyPlan(plan([action('a')]), createDeps(store, ['a'], hold.execute, { extensions: more }));
      await hold.reached;

      more.announce();
      await until(() => more.asked.length > 0);
      for (let round = 0; round < 50; round += 1) await new Promise((resolve) => setImmediate(resolve));
      const beforeRelease = [...hold.ran];
      hold.release();
      const result = await applying;

      expect(beforeRelease.some((entry) => entry.startsWith('c:'))).toBe(false);
      expect(hold.ran.filter((entry) => entry.startsWith('c:'))).toEqual(['c:dhcp-ensure', 'c:power', 'c:enc-publish']);
      expect(result.results.map((entry) => entry.outcome)).toEqual(['succeeded', 'succeeded']);
    });

    it('spends only the disruption budget the running apply left, and never takes a node it already has', async () => {
      const store = createStore(['a', 'b']);
      const hold = holding('a');
      const reprovision = (id: string): PlannedAction => action(id, { id: `${id}/reprovision`, kind: 'reprovision', destructive: true });
      const more = extensions(() => ({ actions: [reprovision('a'), reprovision('b')], blocked: [], nodes: nodesFor(['a', 'b']) }));
      const deps = createDeps(store, ['a'], hold.execute, {
        extensions: more,
        approvals: { byKind: { reprovision: ['*'] } },
        limits: { maxParallel: 20, stopOnFailurePercent: 100, maxAttempts: 3, maxDestructivePerCommit: 1 },
      });
      const applying = applyPlan(plan([reprovision('a')]), deps);
      await hold.reached;

      more.announce();
      await until(() => more.asked.length > 0);
      hold.release();
      const result = await applying;

      expect(result.results.map((entry) => [entry.actionId, entry.outcome])).toEqual([['b/reprovision', 'blocked'], ['a/reprovision', 'succeeded']]);
      expect(result.results[0]?.reason).toMatch(/disruption budget allows 1 destructive action/);
      expect(hold.ran.filter((entry) => entry.startsWith('b:'))).toEqual([]);
    });

    it('takes nobody on once a newer revision arrived', async () => {
      const store = createStore(['a', 'b']);
      const hold = holding('a');
      let current = true;
      const more = extensions(() => ({ actions: [action('b')], blocked: [], nodes: nodesFor(['a', 'b']) }));
      const applying = applyPlan(plan([action('a')]), createDeps(store, ['a'], hold.execute, { extensions: more, isCurrent: () => current }));
      await hold.reached;

      current = false;
      more.announce();
      hold.release();
      const result = await applying;

      expect(more.asked).toEqual([]);
      expect(result.results.map((entry) => entry.actionId)).toEqual(['a/enrol']);
    });
  });
});
