import type { Cluster, CpuModel, GpuModel, HardwareProfile, Image, KindName, Location, Manifest, Network, Node, Role } from './kinds/index.js';

/** Where an object was defined: the file (relative to the repository root), and the line/column of its document. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/**
 * The cluster as the repository declares it, built only from a valid set of documents.
 * `revision` is the commit it was read from, when it came from Git.
 */
export interface DesiredState {
  revision?: string;
  cluster: Cluster;
  networks: ReadonlyMap<string, Network>;
  locations: ReadonlyMap<string, Location>;
  profiles: ReadonlyMap<string, HardwareProfile>;
  gpuModels: ReadonlyMap<string, GpuModel>;
  cpuModels: ReadonlyMap<string, CpuModel>;
  nodes: ReadonlyMap<string, Node>;
  images: ReadonlyMap<string, Image>;
  /** Custom roles declared in the repository merged over the built-in catalog (`roles/`). */
  roles: ReadonlyMap<string, Role>;
  /** `Kind/name` → where it was defined (see `sourceKey`). */
  sources: ReadonlyMap<string, SourceLocation>;
}

/** Key of `DesiredState.sources`, e.g. `Node/compute-17`. */
export function sourceKey(kind: KindName, name: string): string {
  return `${kind}/${name}`;
}

export interface LocatedManifest {
  manifest: Manifest;
  source: SourceLocation;
}

function collect<M extends Manifest>(manifests: readonly LocatedManifest[], kind: M['kind']): Map<string, M> {
  const byName = new Map<string, M>();
  for (const { manifest } of manifests) {
    if (manifest.kind === kind) byName.set(manifest.metadata.name, manifest as M);
  }
  return byName;
}

/**
 * Assembles the desired state from manifests that passed validation (exactly one Cluster, unique names).
 * Built-in roles come first so that a repository's Role of the same name would win; validation forbids that clash.
 */
export function buildDesiredState(
  manifests: readonly LocatedManifest[],
  builtinRoles: ReadonlyMap<string, Role>,
  revision?: string,
): DesiredState {
  const cluster = manifests.find((entry) => entry.manifest.kind === 'Cluster')?.manifest as Cluster | undefined;
  if (!cluster) throw new Error('buildDesiredState needs a validated set of manifests with one Cluster');
  const sources = new Map<string, SourceLocation>();
  for (const { manifest, source } of manifests) sources.set(sourceKey(manifest.kind, manifest.metadata.name), source);
  return {
    ...(revision === undefined ? {} : { revision }),
    cluster,
    networks: collect<Network>(manifests, 'Network'),
    locations: collect<Location>(manifests, 'Location'),
    profiles: collect<HardwareProfile>(manifests, 'HardwareProfile'),
    gpuModels: collect<GpuModel>(manifests, 'GpuModel'),
    cpuModels: collect<CpuModel>(manifests, 'CpuModel'),
    nodes: collect<Node>(manifests, 'Node'),
    images: collect<Image>(manifests, 'Image'),
    roles: new Map([...builtinRoles, ...collect<Role>(manifests, 'Role')]),
    sources,
  };
}
