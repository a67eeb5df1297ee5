import type { ActionResult } from '../apply/types.js';
import type { ActionKind, NodeLifecycle } from '../plan/types.js';
import type { ControllerStore } from '../store/controller-types.js';
import type { JournalEntry, Store } from '../store/types.js';

/** What the journal lets a summary say of an action, without the plan that ran it. */
export interface JournalLookups {
  hostnameOf: (nodeId: string) => string | undefined;
  lifecycleOf: (nodeId: string) => NodeLifecycle | undefined;
}

/**
 * The results of a revision's actions as its journal records them, for a pass whose own summary was lost: the
 * controller stopped (or was killed) before the pass ended, and the next pass only plans what is left. Each
 * action ends where its last journaled step ended: `failed` or `interrupted` with the step's reason, `succeeded`
 * when its last step succeeded. An action whose last step never ended is left out (the next pass resumes it).
 * One cut short between two steps also reads `succeeded`: its node's target is not reached, so the next pass plans
 * it again, and that pass's own result, which takes precedence (see `mergeActionResults`), replaces this one.
 *
 * @example const recovered = resultsFromJournal(await store.listJournal({ revision }), { hostnameOf, lifecycleOf });
 */
export function resultsFromJournal(journal: readonly JournalEntry[], lookups: JournalLookups): ActionResult[] {
  const last = new Map<string, JournalEntry>();
  for (const entry of [...journal].sort((a, b) => a.id - b.id)) {
    const actionId = entry.detail['actionId'];
    if (typeof actionId === 'string' && entry.nodeId !== undefined) last.set(actionId, entry);
  }
  const results: ActionResult[] = [];
  for (const [actionId, entry] of last) {
    const nodeId = entry.nodeId as string;
    const op = String(entry.detail['op'] ?? 'step');
    const kind = actionId.slice(actionId.lastIndexOf('/') + 1) as ActionKind;
    const base = { actionId, nodeId, hostname: lookups.hostnameOf(nodeId) ?? nodeId, kind, stepsRun: 0 };
    const lifecycle = lookups.lifecycleOf(nodeId);
    const withLifecycle = lifecycle === undefined ? {} : { lifecycle };
    if (entry.state === 'succeeded') results.push({ ...base, outcome: 'succeeded', ...withLifecycle });
    else if (entry.state === 'failed') results.push({ ...base, outcome: 'failed', reason: `${op} failed: ${String(entry.detail['message'] ?? 'no reason recorded')}`, ...withLifecycle });
    else if (entry.state === 'interrupted') results.push({ ...base, outcome: 'interrupted', reason: `${op} was interrupted: ${String(entry.detail['reason'] ?? 'the controller stopped')}`, ...withLifecycle });
  }
  return results;
}

/**
 * `resultsFromJournal` for `revision`, with hostnames from its compile (`hostnames`, node id → hostname) and each
 * node's lifecycle from the store. Reads nothing more when the journal holds nothing for the revision.
 */
export async function recoverResults(
  stores: { store: Pick<Store, 'getNode'>; controllerStore: Pick<ControllerStore, 'listJournal'> },
  revision: string,
  hostnames: ReadonlyMap<string, string>,
): Promise<ActionResult[]> {
  const journal = await stores.controllerStore.listJournal({ revision });
  if (journal.length === 0) return [];
  const lifecycles = new Map<string, NodeLifecycle>();
  for (const nodeId of new Set(journal.flatMap((entry) => (entry.nodeId === undefined ? [] : [entry.nodeId])))) {
    const node = await stores.store.getNode(nodeId);
    if (node) lifecycles.set(nodeId, node.state);
  }
  return resultsFromJournal(journal, { hostnameOf: (nodeId) => hostnames.get(nodeId), lifecycleOf: (nodeId) => lifecycles.get(nodeId) });
}
