import type { NodeTarget } from '../compile/types.js';
import type { AppliedNodeState } from '../plan/types.js';
import type { ControllerStore } from '../store/controller-types.js';

/**
 * The applied state of every node as a plan needs it, without holding every applied ENC text twice: a node
 * whose applied ENC digest equals its target's shares the target's text (same sha256, same bytes), and only
 * the ENCs that changed are read from the store for their diffs.
 */
export async function readAppliedStates(store: ControllerStore, targets: readonly NodeTarget[]): Promise<AppliedNodeState[]> {
  const byNode = new Map(targets.map((target) => [target.nodeId, target]));
  const states = await store.listAppliedStates({ elideEncYaml: true });
  const sameAsTarget = (state: AppliedNodeState): NodeTarget | undefined => {
    const target = byNode.get(state.nodeId);
    return state.encDigest !== undefined && target?.encDigest === state.encDigest ? target : undefined;
  };
  // An elided text is '' ; a state that never recorded one (older controllers) has none and stays so.
  const changed = states.filter((state) => state.encYaml !== undefined && sameAsTarget(state) === undefined).map((state) => state.nodeId);
  const encs = await store.readAppliedEncs(changed);
  for (const state of states) {
    if (state.encYaml === undefined) continue;
    const encYaml = sameAsTarget(state)?.encYaml ?? encs.get(state.nodeId);
    if (encYaml === undefined) delete state.encYaml;
    else state.encYaml = encYaml;
  }
  return states;
}
