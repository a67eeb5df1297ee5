import type { TSchema } from '@sinclair/typebox';
import { ClusterSchema, type Cluster } from './cluster.js';
import { CpuModelSchema, type CpuModel } from './cpu-model.js';
import { GpuModelSchema, type GpuModel } from './gpu-model.js';
import { HardwareProfileSchema, type HardwareProfile } from './hardware-profile.js';
import { ImageSchema, type Image } from './image.js';
import { LocationSchema, type Location } from './location.js';
import { NetworkSchema, type Network } from './network.js';
import { NodeSchema, type Node } from './node.js';
import { RoleSchema, type Role } from './role.js';

export type { Cluster, CpuModel, GpuModel, HardwareProfile, Image, Location, Network, Node, Role };
export { API_VERSION, SCHEMA_BASE } from './common.js';
export type { SecretReference, IntegerRange, Settings, Metadata } from './common.js';

/** Every manifest kind, by its `kind` field. The order is the order `schemas/` and the docs list them. */
export const kinds = {
  Cluster: ClusterSchema,
  Network: NetworkSchema,
  Location: LocationSchema,
  HardwareProfile: HardwareProfileSchema,
  GpuModel: GpuModelSchema,
  CpuModel: CpuModelSchema,
  Node: NodeSchema,
  Image: ImageSchema,
  Role: RoleSchema,
} as const satisfies Record<string, TSchema>;

export type KindName = keyof typeof kinds;
export type Manifest = Cluster | Network | Location | HardwareProfile | GpuModel | CpuModel | Node | Image | Role;
/** The manifest of one kind, e.g. `ManifestOf<'Node'>`. */
export type ManifestOf<K extends KindName> = Extract<Manifest, { kind: K }>;

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && Object.hasOwn(kinds, value);
}

/** `HardwareProfile` → `hardware-profile`: the schema file name of a kind. */
export function kebabKind(kind: KindName): string {
  return kind.replace(/[a-z][A-Z]/g, (pair) => `${pair[0]}-${pair[1]}`).toLowerCase();
}
