import { toMacKey } from '../lib/mac-address.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { Node } from '../manifests/kinds/index.js';
import type { Classification, PeerFlag, ProfileEvaluation } from './classification.js';
import { compareText, matchProfiles } from './match-profile.js';
import { FLAG_CATEGORIES, findPeerFlags, selectQuarantineFlags } from './peer-flags.js';
import { placeNode } from './place-node.js';
import type { SnapshotNode } from './snapshot.js';

export interface ClassifyOptions {
  /** Smallest group of same-profile machines compared for black sheep (default 3). */
  minPeerGroupSize?: number;
}

type Decision = Pick<Classification, 'state' | 'reason' | 'profile' | 'role'>;

interface Pins {
  bySerial: Map<string, Node>;
  byMac: Map<string, Node>;
}

function normaliseSerial(serial: string): string {
  return serial.trim().toUpperCase();
}

function indexPins(nodes: ReadonlyMap<string, Node>): Pins {
  const pins: Pins = { bySerial: new Map(), byMac: new Map() };
  for (const node of nodes.values()) {
    if (node.spec.serial !== undefined) pins.bySerial.set(normaliseSerial(node.spec.serial), node);
    if (node.spec.mac !== undefined) pins.byMac.set(toMacKey(node.spec.mac), node);
  }
  return pins;
}

/** A Node manifest names a machine by the serial its report gives (chassis or system) or by one of its MACs. */
function findPin(pins: Pins, node: SnapshotNode): Node | undefined {
  const { chassis, system, nics } = node.inventory;
  for (const serial of [node.id, chassis.serialNumber, system.serialNumber]) {
    const pin = serial.trim() === '' ? undefined : pins.bySerial.get(normaliseSerial(serial));
    if (pin) return pin;
  }
  for (const mac of [node.id, ...nics.map((nic) => nic.mac)]) {
    const pin = pins.byMac.get(toMacKey(mac));
    if (pin) return pin;
  }
  return undefined;
}

function listFailures(evaluation: ProfileEvaluation): string {
  return evaluation.criteria.filter((result) => !result.pass).map((result) => `${result.criterion} (${result.observed})`).join(', ');
}

/** The profile that came closest: fewest failed criteria, then highest priority. */
function describeNearest(evaluations: readonly ProfileEvaluation[]): string {
  const failures = (evaluation: ProfileEvaluation) => evaluation.criteria.filter((result) => !result.pass).length;
  const nearest = [...evaluations].sort((a, b) => failures(a) - failures(b) || b.priority - a.priority)[0];
  return nearest ? `; nearest is ${nearest.profile}, which fails ${listFailures(nearest)}` : '; no HardwareProfile is declared';
}

/** Profiles that match at the highest priority any matching profile has. */
function findWinners(evaluations: readonly ProfileEvaluation[]): ProfileEvaluation[] {
  const matched = evaluations.filter((evaluation) => evaluation.matched);
  const top = Math.max(...matched.map((evaluation) => evaluation.priority));
  return matched.filter((evaluation) => evaluation.priority === top);
}

function decideByMatching(desired: DesiredState, evaluations: readonly ProfileEvaluation[], quotaUsed: Map<string, number>): Decision {
  const winners = findWinners(evaluations);
  const [winner, ...others] = winners;
  if (!winner) return { state: 'unmatched', reason: `no profile matches${describeNearest(evaluations)}` };
  if (others.length > 0) {
    const names = winners.map((evaluation) => evaluation.profile).join(', ');
    return { state: 'ambiguous', reason: `profiles ${names} all match at priority ${winner.priority}; give one a higher priority or narrow its criteria` };
  }
  const profile = desired.profiles.get(winner.profile);
  const max = profile?.spec.quota?.max;
  const used = quotaUsed.get(winner.profile) ?? 0;
  if (max !== undefined && used >= max) {
    return { state: 'unmatched', reason: `matches profile ${winner.profile}, but quota of ${max} reached: machines already in service, then those first by identity, hold it` };
  }
  quotaUsed.set(winner.profile, used + 1);
  const lower = evaluations.filter((evaluation) => evaluation.matched && evaluation !== winner).map((evaluation) => `${evaluation.profile} (priority ${evaluation.priority})`);
  const why = lower.length > 0 ? `the highest priority among the matching profiles; ${lower.join(', ')} also match but rank lower` : 'the only profile whose criteria all hold';
  return { state: 'matched', reason: `matches profile ${winner.profile} (priority ${winner.priority}), ${why}`, profile: winner.profile, role: profile?.spec.role };
}

function decidePinnedProfile(desired: DesiredState, pin: Node, profileName: string, evaluations: readonly ProfileEvaluation[]): Decision {
  const evaluation = evaluations.find((candidate) => candidate.profile === profileName);
  const failing = evaluation && !evaluation.matched ? `, although it fails ${listFailures(evaluation)}` : '';
  const role = pin.spec.role ?? desired.profiles.get(profileName)?.spec.role;
  return { state: 'matched', reason: `Node ${pin.metadata.name} pins profile ${profileName}${failing}`, profile: profileName, role };
}

/** A role pinned without a profile gives the machine its role whatever matching concluded. */
function applyPinnedRole(decision: Decision, pin: Node | undefined): Decision {
  const role = pin?.spec.role;
  if (!pin || role === undefined) return decision;
  if (decision.state === 'matched') return { ...decision, role };
  return { state: 'matched', reason: `Node ${pin.metadata.name} pins role ${role} (${decision.reason})`, role };
}

function describeFlags(flags: readonly PeerFlag[]): string {
  return flags.map((flag) => `${flag.flag} (${FLAG_CATEGORIES[flag.flag]}: ${flag.message})`).join('; ');
}

/** Compares machines of each profile with their peers, and quarantines those whose flags the Cluster says to. */
function applyPeerFlags(desired: DesiredState, nodes: readonly SnapshotNode[], classifications: Classification[], options: ClassifyOptions): void {
  const groups = new Map<string, { nodeId: string; inventory: SnapshotNode['inventory'] }[]>();
  classifications.forEach((classification, index) => {
    const node = nodes[index];
    if (classification.state !== 'matched' || classification.profile === undefined || !node) return;
    const group = groups.get(classification.profile) ?? [];
    group.push({ nodeId: node.id, inventory: node.inventory });
    groups.set(classification.profile, group);
  });
  const flagsById = new Map<string, PeerFlag[]>();
  const peerOptions = options.minPeerGroupSize === undefined ? {} : { minGroupSize: options.minPeerGroupSize };
  for (const members of groups.values()) {
    for (const [nodeId, flags] of findPeerFlags(members, peerOptions)) flagsById.set(nodeId, flags);
  }
  for (const classification of classifications) {
    classification.flags = flagsById.get(classification.nodeId) ?? [];
    const quarantine = selectQuarantineFlags(classification.flags, desired.cluster);
    if (quarantine.length === 0) continue;
    classification.state = 'quarantined';
    classification.reason = `${classification.reason}; quarantined because it differs from its peers: ${describeFlags(quarantine)}`;
  }
}

/** Lifecycle states in which a machine has been given its profile's role: it keeps its place in a quota. */
const IN_SERVICE = new Set(['provisioning', 'installed', 'configuring', 'active', 'failed', 'draining']);

interface Draft {
  node: SnapshotNode;
  pin: Node | undefined;
  evaluations: ProfileEvaluation[];
}

/**
 * Machines already in service fill quotas first, so that a newly racked machine whose serial sorts
 * earlier never takes the place of a running controller; then identity order decides.
 */
function orderForQuota(drafts: readonly Draft[]): Draft[] {
  const inService = (draft: Draft) => (IN_SERVICE.has(draft.node.state ?? '') ? 0 : 1);
  return [...drafts].sort((a, b) => inService(a) - inService(b) || compareText(a.node.id, b.node.id));
}

/** Profile and role of every machine; pinned machines hold their places in a quota before any that merely match. */
function decideProfiles(desired: DesiredState, drafts: readonly Draft[]): Map<SnapshotNode, Decision> {
  const quotaUsed = new Map<string, number>();
  for (const { pin } of drafts) {
    const profile = pin?.spec.profile;
    if (profile !== undefined && !pin?.spec.decommission) quotaUsed.set(profile, (quotaUsed.get(profile) ?? 0) + 1);
  }
  const decisions = new Map<SnapshotNode, Decision>();
  for (const { node, pin, evaluations } of orderForQuota(drafts)) {
    const pinnedProfile = pin?.spec.profile;
    const decision =
      pin && pinnedProfile !== undefined
        ? decidePinnedProfile(desired, pin, pinnedProfile, evaluations)
        : applyPinnedRole(decideByMatching(desired, evaluations, quotaUsed), pin);
    decisions.set(node, decision);
  }
  return decisions;
}

function withoutUndefined(decision: Decision): Decision {
  return Object.fromEntries(Object.entries(decision).filter(([, value]) => value !== undefined)) as Decision;
}

/**
 * Decides what each machine is: its profile and role (a Node manifest's pin wins over matching; otherwise
 * the highest-priority matching profile, with quotas filled by machines in service first, then in identity
 * order, so the result is the same on every run), where it stands, and how it differs from its peers. Pure.
 * Example: `classifyNodes(desired, snapshot.nodes).find((c) => c.nodeId === 'CZ2034')?.state`.
 */
export function classifyNodes(desired: DesiredState, nodes: readonly SnapshotNode[], options: ClassifyOptions = {}): Classification[] {
  const sorted = [...nodes].sort((a, b) => compareText(a.id, b.id));
  const pins = indexPins(desired.nodes);
  const drafts = sorted.map((node): Draft => ({ node, pin: findPin(pins, node), evaluations: matchProfiles(desired.profiles, node.inventory, desired.gpuModels) }));
  const decisions = decideProfiles(desired, drafts);
  const classifications = drafts.map(({ node, pin, evaluations }): Classification => {
    const decision = decisions.get(node) ?? { state: 'unmatched', reason: 'not classified' };
    const placed = placeNode(node.inventory, desired.locations, pin?.spec.location);
    return {
      nodeId: node.id,
      ...withoutUndefined(decision),
      ...(pin ? { pinnedBy: pin.metadata.name } : {}),
      evaluations,
      ...(placed.placement ? { placement: placed.placement } : {}),
      placementStatus: placed.status,
      placementReason: placed.reason,
      flags: [],
    };
  });
  applyPeerFlags(desired, sorted, classifications, options);
  return classifications;
}
