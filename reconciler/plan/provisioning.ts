import type { NodeTarget } from '../compile/types.js';
import type { Classification } from '../inventory/classification.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { AppliedNodeState } from './types.js';

/** What installing a machine depends on beyond its ENC: a change in any of these means reinstalling. */
export interface NodeProvisioning {
  dhcp: { mac: string; ip: string; hostname: string };
  image?: { name: string; sha256: string };
  /** Canonical JSON of the profile's RAID layout. */
  raid?: string;
}

/** The network a machine PXE-boots on: provisioning, else management, else the first by name. */
function pickDhcpAddress(desired: DesiredState, addresses: Readonly<Record<string, string>>): string {
  const names = Object.keys(addresses).sort();
  for (const purpose of ['provisioning', 'management']) {
    const name = names.find((candidate) => desired.networks.get(candidate)?.spec.purpose === purpose);
    if (name !== undefined) return addresses[name] ?? '';
  }
  const first = names[0];
  return first === undefined ? '' : (addresses[first] ?? '');
}

/** A Node's image wins over its profile's; with neither, the cluster's only Image (the schema's rule). */
function pickImage(desired: DesiredState, target: NodeTarget, classification: Classification | undefined): NodeProvisioning['image'] {
  const pinned = classification?.pinnedBy === undefined ? undefined : desired.nodes.get(classification.pinnedBy);
  const profile = target.profile === undefined ? undefined : desired.profiles.get(target.profile);
  const only = desired.images.size === 1 ? [...desired.images.keys()][0] : undefined;
  const name = pinned?.spec.image ?? profile?.spec.image ?? only;
  if (name === undefined) return undefined;
  const image = desired.images.get(name);
  // A recipe has no file digest; its content (suite, packages) stands for it so a changed recipe reinstalls.
  const sha256 = image?.spec.sha256 ?? (image?.spec.recipe ? `recipe:${JSON.stringify(image.spec.recipe)}` : '');
  return { name, sha256 };
}

function describeRaid(desired: DesiredState, target: NodeTarget): string | undefined {
  const raid = target.profile === undefined ? undefined : desired.profiles.get(target.profile)?.spec.raid;
  if (!raid) return undefined;
  return JSON.stringify({ kind: raid.kind, level: raid.level, devices: raid.devices });
}

/**
 * Per machine, the DHCP entry, image and RAID layout the desired state implies (pure).
 * Example: `planRevision({ ..., provisioning: describeProvisioning(desired, result.targets, classifications) })`.
 */
export function describeProvisioning(desired: DesiredState, targets: readonly NodeTarget[], classifications: readonly Classification[]): Map<string, NodeProvisioning> {
  const byNode = new Map(classifications.map((classification) => [classification.nodeId, classification]));
  const described = new Map<string, NodeProvisioning>();
  for (const target of targets) {
    const image = pickImage(desired, target, byNode.get(target.nodeId));
    const raid = describeRaid(desired, target);
    described.set(target.nodeId, {
      dhcp: { mac: target.bootMac, ip: pickDhcpAddress(desired, target.addresses), hostname: target.hostname },
      ...(image === undefined ? {} : { image }),
      ...(raid === undefined ? {} : { raid }),
    });
  }
  return described;
}

/**
 * What the machines would look like had `targets` been applied in full: how `plinth plan --base` shows a pull
 * request's effect without reaching the controller.
 */
export function describeAppliedTargets(targets: readonly NodeTarget[], provisioning: ReadonlyMap<string, NodeProvisioning>, revision: string): AppliedNodeState[] {
  return targets
    .filter((target) => !target.decommission)
    .map((target) => {
      const facts = provisioning.get(target.nodeId);
      return {
        nodeId: target.nodeId,
        hostname: target.hostname,
        role: target.role,
        ...(target.profile === undefined ? {} : { profile: target.profile }),
        lifecycle: 'active',
        revision,
        encDigest: target.encDigest,
        encYaml: target.encYaml,
        ...(facts ? { dhcp: facts.dhcp } : {}),
        ...(facts?.image ? { image: facts.image } : {}),
        raid: facts?.raid ?? 'none',
        rebootRequired: target.rebootRequired,
        bootDevice: 'disk',
        power: 'on',
      };
    });
}
