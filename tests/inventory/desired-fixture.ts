import { buildDesiredState, type DesiredState, type LocatedManifest } from '../../reconciler/manifests/desired-state.js';
import type { Cluster, GpuModel, HardwareProfile, Location, Manifest, Node } from '../../reconciler/manifests/kinds/index.js';
import { buildSnapshot } from '../../reconciler/inventory/build-snapshot.js';
import type { SnapshotNode } from '../../reconciler/inventory/snapshot.js';
import type { Inventory } from '../../reconciler/inventory/types.js';

/** Manifests written as plain objects, for the pure classification steps (no repository on disk needed). */

export function cluster(quarantine: NonNullable<Cluster['spec']['blackSheep']>['quarantine'] = []): Cluster {
  return {
    apiVersion: 'plinth/v1',
    kind: 'Cluster',
    metadata: { name: 'lab' },
    spec: { domain: 'lab.example.net', release: '2024.1', osSuite: 'bookworm', availabilityZones: [{ name: 'az-1' }, { name: 'az-2' }], blackSheep: { quarantine } },
  };
}

export function profile(name: string, spec: Partial<HardwareProfile['spec']> & Pick<HardwareProfile['spec'], 'match'>): HardwareProfile {
  return { apiVersion: 'plinth/v1', kind: 'HardwareProfile', metadata: { name }, spec: { priority: 10, role: 'compute', ...spec } };
}

export function location(name: string, switches: Location['spec']['switches']): Location {
  return { apiVersion: 'plinth/v1', kind: 'Location', metadata: { name }, spec: { switches } };
}

export function node(name: string, spec: Node['spec']): Node {
  return { apiVersion: 'plinth/v1', kind: 'Node', metadata: { name }, spec };
}

export function gpuModel(name: string, vendorId: string, productId: string): GpuModel {
  return { apiVersion: 'plinth/v1', kind: 'GpuModel', metadata: { name }, spec: { vendorId, productId, deviceType: 'type-PCI', alias: name } };
}

export function desiredState(manifests: readonly Manifest[], withCluster: Cluster = cluster()): DesiredState {
  const located: LocatedManifest[] = [withCluster, ...manifests].map((manifest, index) => ({ manifest, source: { file: 'inline.yaml', line: index + 1, col: 1 } }));
  return buildDesiredState(located, new Map());
}

export function snapshotNodes(inventories: readonly Inventory[]): SnapshotNode[] {
  return buildSnapshot(inventories.map((inventory) => ({ inventory })), '2026-01-01T00:00:00Z').nodes;
}
