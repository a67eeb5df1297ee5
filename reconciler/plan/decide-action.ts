import type { NodeTarget } from '../compile/types.js';
import { buildDecommissionSteps, buildInstallSteps, buildReconfigureSteps } from './build-steps.js';
import { diffLines } from './diff.js';
import type { NodeProvisioning } from './provisioning.js';
import type { ActionKind, AppliedNodeState, NodeLifecycle, PlannedAction, PlanStep } from './types.js';

/** States in which nothing was ever installed (or what was is gone): the machine needs a full enrolment. */
const NOT_INSTALLED: ReadonlySet<NodeLifecycle> = new Set(['discovered', 'matched', 'unmatched', 'ambiguous', 'quarantined', 'retired']);
const DESTRUCTIVE: ReadonlySet<ActionKind> = new Set(['reprovision', 'wipe', 'decommission']);

interface Decision {
  kind: ActionKind;
  reason: string;
  steps: PlanStep[];
  encDiff?: string;
}

function makeAction(target: NodeTarget, decision: Decision): PlannedAction {
  const destructive = DESTRUCTIVE.has(decision.kind) || decision.steps.some((step) => step.op === 'power' && step.action === 'off');
  return {
    id: `${target.nodeId}/${decision.kind}`,
    nodeId: target.nodeId,
    hostname: target.hostname,
    role: target.role,
    availabilityZone: target.availabilityZone,
    kind: decision.kind,
    destructive,
    wave: target.installWave,
    reason: decision.reason,
    steps: decision.steps,
    dependsOn: [],
    ...(decision.encDiff === undefined || decision.encDiff === '' ? {} : { encDiff: decision.encDiff }),
  };
}

/** Why the machine must be reinstalled, or undefined when what is installed still fits. */
function explainReinstall(target: NodeTarget, facts: NodeProvisioning | undefined, applied: AppliedNodeState): string | undefined {
  if (applied.role !== target.role) return `role changed from ${applied.role} to ${target.role}`;
  const image = facts?.image;
  if (image && applied.image && (image.name !== applied.image.name || image.sha256 !== applied.image.sha256)) {
    return image.name === applied.image.name ? `image ${image.name} has a new digest` : `image changed from ${applied.image.name} to ${image.name}`;
  }
  // An applied state without a RAID record (older controllers) cannot tell; one with it can.
  const raid = facts?.raid ?? 'none';
  if (applied.raid !== undefined && raid !== applied.raid) {
    return `RAID layout changed from ${applied.raid} to ${raid}${target.profile === applied.profile ? '' : ` (profile ${applied.profile ?? 'none'} → ${target.profile ?? 'none'})`}`;
  }
  return undefined;
}

function describeEncDiff(target: NodeTarget, applied: AppliedNodeState): string | undefined {
  if (applied.encYaml === undefined) return undefined;
  return diffLines(applied.encYaml, target.encYaml, { fromName: `${target.hostname} (applied ${applied.revision})`, toName: `${target.hostname} (planned)` });
}

function sameDhcp(facts: NodeProvisioning | undefined, applied: AppliedNodeState): boolean {
  if (!facts) return true;
  const before = applied.dhcp;
  return before !== undefined && before.mac === facts.dhcp.mac && before.ip === facts.dhcp.ip && before.hostname === facts.dhcp.hostname;
}

function decideUpdate(target: NodeTarget, facts: NodeProvisioning | undefined, applied: AppliedNodeState): Decision | undefined {
  const enc = applied.encDigest !== target.encDigest;
  const dhcp = !sameDhcp(facts, applied);
  const reboot = enc && target.rebootRequired && applied.rebootRequired !== true;
  if (enc || dhcp) {
    const reasons = [enc ? (target.profile !== applied.profile ? `ENC changed (profile ${applied.profile ?? 'none'} → ${target.profile ?? 'none'})` : 'ENC changed') : '', dhcp ? `DHCP entry changed (${applied.dhcp?.ip ?? 'none'} → ${facts?.dhcp.ip ?? 'none'})` : '', reboot ? 'a reboot is now required' : ''];
    const encDiff = enc ? describeEncDiff(target, applied) : undefined;
    return { kind: 'reconfigure', reason: reasons.filter((reason) => reason !== '').join('; '), steps: buildReconfigureSteps(target, facts, { dhcp, enc, reboot }), ...(encDiff === undefined ? {} : { encDiff }) };
  }
  if (applied.power === 'off') return { kind: 'power', reason: 'machine is powered off', steps: [{ op: 'power', action: 'on' }] };
  if (applied.bootDevice === 'pxe') return { kind: 'boot', reason: 'machine still boots from the network', steps: [{ op: 'boot-device', device: 'disk', persistent: true, efi: true }] };
  return undefined;
}

/**
 * What one machine must undergo to match its target, or undefined when it already does (pure).
 * Example: `decideAction(target, facts, undefined)` → an `enrol` with the full install steps.
 */
export function decideAction(target: NodeTarget, facts: NodeProvisioning | undefined, applied: AppliedNodeState | undefined): PlannedAction | undefined {
  const installed = applied !== undefined && !NOT_INSTALLED.has(applied.lifecycle);
  if (target.decommission) {
    if (!installed || applied.lifecycle === 'decommissioning') return undefined;
    return makeAction(target, { kind: 'decommission', reason: 'Node manifest asks for decommission: drain, wipe and retire', steps: buildDecommissionSteps(applied.dhcp?.mac ?? target.bootMac) });
  }
  if (!facts) return undefined;
  if (!installed) return makeAction(target, { kind: 'enrol', reason: `new ${target.role} machine${target.profile === undefined ? '' : ` (profile ${target.profile})`}`, steps: buildInstallSteps(target, facts) });
  const reinstall = explainReinstall(target, facts, applied);
  if (reinstall !== undefined) {
    const encDiff = describeEncDiff(target, applied);
    return makeAction(target, { kind: 'reprovision', reason: reinstall, steps: buildInstallSteps(target, facts), ...(encDiff === undefined ? {} : { encDiff }) });
  }
  const update = decideUpdate(target, facts, applied);
  return update === undefined ? undefined : makeAction(target, update);
}
