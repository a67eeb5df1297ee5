import type { DesiredState } from './desired-state.js';
import { DEFAULT_HOSTNAME_PATTERN, DEFAULT_MAX_PARALLEL_PROVISIONING } from './kinds/cluster.js';

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', `${title}:`, ...lines.map((line) => `  ${line}`)];
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function describeCounts(desired: DesiredState): string[] {
  const counts: [string, number][] = [
    ['Network', desired.networks.size],
    ['Location', desired.locations.size],
    ['HardwareProfile', desired.profiles.size],
    ['GpuModel', desired.gpuModels.size],
    ['CpuModel', desired.cpuModels.size],
    ['Node', desired.nodes.size],
    ['Image', desired.images.size],
    ['Role', desired.roles.size],
  ];
  // Roles count the built-in catalog with the repository's own.
  return counts.map(([kind, count]) => `${pad(kind, 16)} ${count}`);
}

function describeLocations(desired: DesiredState): string[] {
  return [...desired.locations.values()].flatMap((location) =>
    location.spec.switches.map((entry) => {
      const switchName = 'name' in entry && entry.name !== undefined ? entry.name : `/${'pattern' in entry ? entry.pattern : ''}/`;
      const place = [entry.datacenter, entry.row, entry.rack].filter((part) => part !== undefined).join('/');
      return `${pad(location.metadata.name, 14)} ${pad(switchName, 22)} ${pad(place, 16)} az ${entry.availabilityZone}${entry.aggregates?.length ? ` aggregates ${entry.aggregates.join(',')}` : ''}`;
    }),
  );
}

function describeProfiles(desired: DesiredState): string[] {
  return [...desired.profiles.values()]
    .sort((a, b) => b.spec.priority - a.spec.priority || a.metadata.name.localeCompare(b.metadata.name))
    .map((profile) => {
      const role = desired.roles.get(profile.spec.role);
      const quota = profile.spec.quota?.max === undefined ? '' : ` (at most ${profile.spec.quota.max})`;
      return `${pad(profile.metadata.name, 20)} → ${pad(profile.spec.role, 11)} wave ${role?.spec.installWave ?? '?'}, priority ${profile.spec.priority}${quota}`;
    });
}

function describeNodes(desired: DesiredState): string[] {
  return [...desired.nodes.values()].map((node) => {
    const spec = node.spec;
    const identity = spec.serial ?? spec.mac ?? '?';
    const flags = [spec.maintenance ? 'maintenance' : '', spec.decommission ? 'decommission' : '', spec.replaces ? `replaces ${spec.replaces}` : ''].filter(Boolean);
    const role = spec.role ?? (spec.profile ? desired.profiles.get(spec.profile)?.spec.role : undefined) ?? 'by match';
    return `${pad(node.metadata.name, 20)} ${pad(identity, 18)} ${pad(role, 11)} ${spec.hostname ?? ''}${flags.length ? ` [${flags.join(', ')}]` : ''}`.trimEnd();
  });
}

/** A plan-less summary of what the repository declares, for a reviewer or a newcomer. */
export function summarizeDesiredState(desired: DesiredState): string {
  const { cluster } = desired;
  const spec = cluster.spec;
  const lines = [
    `Cluster ${cluster.metadata.name} (${spec.domain}): OpenStack ${spec.release} on ${spec.osSuite}${desired.revision ? ` at ${desired.revision}` : ''}`,
    `  hostnames ${spec.hostnamePattern ?? DEFAULT_HOSTNAME_PATTERN}; at most ${spec.rollout?.maxParallelProvisioning ?? DEFAULT_MAX_PARALLEL_PROVISIONING} machines provisioned at once`,
    `  availability zones: ${spec.availabilityZones.map((zone) => zone.name).join(', ')}`,
    ...section('Manifests', describeCounts(desired)),
    ...section(
      'Networks',
      [...desired.networks.values()]
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .map((network) => `${pad(network.metadata.name, 14)} ${pad(network.spec.purpose, 13)} ${pad(network.spec.cidr, 18)}${network.spec.vlan === undefined ? 'untagged' : `vlan ${network.spec.vlan}`}`),
    ),
    ...section('Locations', describeLocations(desired)),
    ...section('Hardware profiles (highest priority first)', describeProfiles(desired)),
    ...section('Pinned nodes', describeNodes(desired)),
  ];
  return `${lines.join('\n')}\n`;
}
