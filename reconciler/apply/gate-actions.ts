import type { PlannedAction } from '../plan/types.js';

/** Actions grouped by wave, lowest first, each wave keeping the plan's order. */
export function groupWaves(actions: readonly PlannedAction[]): PlannedAction[][] {
  const waves = new Map<number, PlannedAction[]>();
  for (const action of actions) {
    const wave = waves.get(action.wave);
    if (wave) wave.push(action);
    else waves.set(action.wave, [action]);
  }
  return [...waves].sort(([a], [b]) => a - b).map(([, group]) => group);
}
