import type { ActionKind, AppliedNodeState, NodeLifecycle, PlannedAction, PlanStep } from '../plan/types.js';
import type { ApplyNode } from './types.js';

/**
 * Steps that converge on a state (`ensure*`) may be repeated after a crash; events (a power cycle, an
 * image write, a Puppet run) may not: a step of those found started but unfinished is reported interrupted.
 */
export function isIdempotentStep(step: PlanStep): boolean {
  switch (step.op) {
    case 'dhcp-ensure':
    case 'dhcp-remove':
    case 'boot-device':
    case 'wait-state':
    case 'enc-publish':
    case 'disk-wipe':
      return true;
    case 'power':
      return step.action === 'on' || step.action === 'off';
    case 'image-deploy':
    case 'puppet-run':
      return false;
  }
}

/** The journal's name of a step: stable across restarts for the same revision and plan. */
export function stepKey(action: PlannedAction, index: number): string {
  const step = action.steps[index];
  return `${action.id}#${index}:${step?.op ?? 'unknown'}`;
}

const STARTING_LIFECYCLE: Record<ActionKind, NodeLifecycle | undefined> = {
  enrol: 'provisioning',
  reprovision: 'provisioning',
  wipe: 'provisioning',
  reconfigure: 'configuring',
  decommission: 'decommissioning',
  power: undefined,
  boot: undefined,
};

/** The lifecycle a node enters when an action of `kind` starts; undefined when it keeps its own. */
export function lifecycleOnStart(kind: ActionKind): NodeLifecycle | undefined {
  return STARTING_LIFECYCLE[kind];
}

/** The lifecycle a finished step proves, if any. */
export function lifecycleAfterStep(step: PlanStep): NodeLifecycle | undefined {
  if (step.op === 'wait-state' && step.state === 'installed') return 'installed';
  if (step.op === 'enc-publish') return 'configuring';
  if (step.op === 'puppet-run') return 'active';
  return undefined;
}

/**
 * The lifecycle a step skipped for want of a driver still proves: with the ENC delivered and no Puppet driver,
 * an installed machine stays `installed` (never `active`) unless the install itself was skipped.
 */
export function lifecycleAfterSkippedStep(step: PlanStep, reached: NodeLifecycle | undefined, installSkipped: boolean): NodeLifecycle | undefined {
  return step.op === 'puppet-run' && reached === 'configuring' && !installSkipped ? 'installed' : undefined;
}

/** The lifecycle once every step of an action succeeded; skipped steps leave the node where it got to. */
export function lifecycleOnSuccess(kind: ActionKind, reached: NodeLifecycle | undefined, anySkipped: boolean): NodeLifecycle | undefined {
  if (kind === 'decommission') return 'retired';
  if (anySkipped) return reached;
  if (kind === 'power' || kind === 'boot') return reached;
  return 'active';
}

/** The applied state after `step` succeeded: pure, so a restart rebuilds the same record. */
export function applyStepEffect(state: AppliedNodeState, step: PlanStep, node: ApplyNode): AppliedNodeState {
  switch (step.op) {
    case 'dhcp-ensure':
      return { ...state, dhcp: { mac: step.mac, ip: step.ip, hostname: step.hostname } };
    case 'dhcp-remove': {
      const { dhcp: _removed, ...rest } = state;
      return rest;
    }
    case 'boot-device':
      return { ...state, bootDevice: step.device };
    case 'power':
      return { ...state, power: step.action === 'off' || step.action === 'soft' ? 'off' : 'on' };
    case 'image-deploy':
      return { ...state, image: { name: step.image, sha256: step.sha256 } };
    case 'enc-publish':
      return { ...state, encDigest: step.encDigest, ...(node.encYaml === undefined ? {} : { encYaml: node.encYaml }) };
    case 'disk-wipe': {
      const { image: _erased, ...rest } = state;
      return rest;
    }
    case 'puppet-run':
    case 'wait-state':
      return state;
  }
}

/** A node's applied record before its first action: identity and target, nothing applied yet. */
export function startAppliedState(node: ApplyNode, revision: string, prior: AppliedNodeState | undefined): AppliedNodeState {
  if (prior) return prior;
  return { nodeId: node.nodeId, hostname: node.hostname, role: node.role, ...(node.profile ? { profile: node.profile } : {}), lifecycle: 'matched', revision };
}
