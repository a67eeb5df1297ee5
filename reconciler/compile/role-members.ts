import type { GpuModel } from '../manifests/kinds/index.js';
import { renderPciAlias } from './node-facts.js';
import type { NodePlan } from './node-target.js';

/** What cluster facts read from the machines: role → hostnames (both sorted), and the distinct GPU aliases (sorted). */
export interface Membership {
  members: Map<string, string[]>;
  gpuAliases: string[];
}

function groupMembers(plans: readonly NodePlan[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const plan of plans) {
    const hosts = members.get(plan.role.metadata.name);
    if (hosts) hosts.push(plan.hostname);
    else members.set(plan.role.metadata.name, [plan.hostname]);
  }
  return new Map([...members].sort(([a], [b]) => (a < b ? -1 : 1)).map(([role, hosts]) => [role, hosts.sort()]));
}

function collectGpuAliases(plans: readonly NodePlan[]): string[] {
  const models = new Set<GpuModel>();
  for (const plan of plans) for (const model of plan.gpuModels) models.add(model);
  return [...new Set([...models].map(renderPciAlias))].sort();
}

function isSameModels(a: readonly GpuModel[], b: readonly GpuModel[]): boolean {
  return a === b || (a.length === b.length && a.every((model, index) => model === b[index]));
}

/** Whether every machine has the same role, hostname and GPU models as in the previous list, in the same order. */
function isSameMembership(previous: readonly NodePlan[], plans: readonly NodePlan[]): boolean {
  if (previous.length !== plans.length) return false;
  for (let index = 0; index < plans.length; index += 1) {
    const [a, b] = [previous[index] as NodePlan, plans[index] as NodePlan];
    if (a !== b && (a.hostname !== b.hostname || a.role.metadata.name !== b.role.metadata.name || !isSameModels(a.gpuModels, b.gpuModels))) return false;
  }
  return true;
}

/**
 * Creates a function giving the membership of a list of plans, computed again only when a machine came, went,
 * or changed role, hostname or GPU models: a profile or settings change elsewhere costs one pass of comparisons
 * instead of sorting every hostname of the cluster. The result must be treated as immutable.
 */
export function createMembership(): (plans: readonly NodePlan[]) => Membership {
  let last: { plans: readonly NodePlan[]; membership: Membership } | undefined;
  return (plans) => {
    if (!last || !isSameMembership(last.plans, plans)) last = { plans, membership: { members: groupMembers(plans), gpuAliases: collectGpuAliases(plans) } };
    else last = { plans, membership: last.membership };
    return last.membership;
  };
}
