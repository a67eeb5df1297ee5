import type { AppliedNodeState, PlannedAction } from './types.js';

const HOSTNAME_TOKEN = /[a-z0-9][a-z0-9.-]*[a-z0-9]/g;

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Waves first (the role catalog's install order), then hostname, then kind: the order apply starts them in. */
export function sortActions<T extends Pick<PlannedAction, 'wave' | 'hostname' | 'kind' | 'nodeId'>>(actions: readonly T[]): T[] {
  return [...actions].sort((a, b) => a.wave - b.wave || compareText(a.hostname, b.hostname) || compareText(a.kind, b.kind) || compareText(a.nodeId, b.nodeId));
}

/** Hostnames named on the changed lines of an ENC diff (the `+`/`-` lines, not their headers). */
function collectChangedNames(encDiff: string): Set<string> {
  const names = new Set<string>();
  for (const line of encDiff.split('\n')) {
    if (!(line.startsWith('+') || line.startsWith('-')) || line.startsWith('+++') || line.startsWith('---')) continue;
    for (const token of line.toLowerCase().match(HOSTNAME_TOKEN) ?? []) names.add(token);
  }
  return names;
}

/**
 * Makes explicit that a configuration change caused by the cluster's composition waits for the machines that
 * change it: a reconfigure depends on the enrolments whose hostnames its ENC diff names (a new controller in
 * every topology) and on every enrolment of a role the cluster did not have before (the first messaging node
 * moves notifications off the controllers). Mutates `dependsOn` of the reconfigure actions.
 */
export function linkCompositionDependencies(actions: readonly PlannedAction[], applied: readonly AppliedNodeState[]): void {
  const enrolments = actions.filter((action) => action.kind === 'enrol' || action.kind === 'reprovision');
  if (enrolments.length === 0) return;
  const byName = new Map<string, string>();
  for (const action of enrolments) {
    byName.set(action.hostname.toLowerCase(), action.id);
    byName.set((action.hostname.split('.')[0] ?? action.hostname).toLowerCase(), action.id);
  }
  const appliedRoles = new Set(applied.filter((state) => state.lifecycle !== 'retired').map((state) => state.role));
  const newRoleIds = enrolments.filter((action) => !appliedRoles.has(action.role)).map((action) => action.id);
  for (const action of actions) {
    if (action.kind !== 'reconfigure' || action.encDiff === undefined) continue;
    const depends = new Set(action.dependsOn);
    for (const id of newRoleIds) depends.add(id);
    for (const name of collectChangedNames(action.encDiff)) {
      const id = byName.get(name);
      if (id !== undefined && id !== action.id) depends.add(id);
    }
    action.dependsOn = [...depends].sort(compareText);
  }
}
