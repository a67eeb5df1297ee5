import type { ActionResult } from '../apply/types.js';
import type { ControllerStore } from '../store/controller-types.js';

/** Where a revision's record keeps the per-node results of its reconciles so far. */
export const ACTION_RESULTS_KEY = 'actionResults';

/**
 * The action results of earlier reconciles of `revision` (reports re-plan a revision without a new commit), so
 * that its summary and note cover every node it acted on, not only those of its last pass. Read before the
 * revision is recorded as picked up again, which resets its stored summary.
 */
export async function readEarlierResults(controllerStore: Pick<ControllerStore, 'listRevisions'>, revision: string): Promise<ActionResult[]> {
  const record = (await controllerStore.listRevisions(5)).find((candidate) => candidate.revision === revision);
  const stored = record?.summary[ACTION_RESULTS_KEY];
  return Array.isArray(stored) ? (stored as ActionResult[]) : [];
}

/** One result per node: this pass's where it acted on the node, else the earlier pass's. Example: `mergeActionResults(earlier, result.results)`. */
export function mergeActionResults(earlier: readonly ActionResult[], current: readonly ActionResult[]): ActionResult[] {
  const actedOn = new Set(current.map((result) => result.nodeId));
  return [...earlier.filter((result) => !actedOn.has(result.nodeId)), ...current];
}
