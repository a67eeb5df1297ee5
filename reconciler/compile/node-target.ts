import type { Classification } from '../inventory/classification.js';
import type { SnapshotNode } from '../inventory/snapshot.js';
import type { DesiredState } from '../manifests/desired-state.js';
import type { GpuModel, Node, Role } from '../manifests/kinds/index.js';
import { buildEnc } from './build-enc.js';
import type { ClusterFacts } from './cluster-facts.js';
import { listEncSecrets } from './enc-secrets.js';
import { chooseBootMac, decideCpuFacts, decideGpuFacts } from './node-facts.js';
import { digestEncYaml, renderEncYaml } from './render-enc.js';
import type { CompileProblem, EncValue, NodeTarget } from './types.js';

/** One machine compile gives a target to, with everything that decides it. */
export interface NodePlan {
  classification: Classification;
  snapshotNode: SnapshotNode;
  node?: Node;
  role: Role;
  gpuModels: GpuModel[];
  hostname: string;
  addresses: Record<string, string>;
}

const PKI_DIRECTORY = '/etc/plinth/pki';

/** Where the node finds its certificates; the PKI step writes them there under these names. */
function certificatePaths(hostname: string, role: string): Record<string, EncValue> {
  const paths: Record<string, EncValue> = {
    ca: `${PKI_DIRECTORY}/ca.pem`,
    certificate: `${PKI_DIRECTORY}/${hostname}.pem`,
    key: `${PKI_DIRECTORY}/${hostname}.key`,
    client_certificate: `${PKI_DIRECTORY}/${hostname}-client.pem`,
    client_key: `${PKI_DIRECTORY}/${hostname}-client.key`,
  };
  if (role === 'controller') Object.assign(paths, { api_certificate: `${PKI_DIRECTORY}/api.pem`, api_key: `${PKI_DIRECTORY}/api.key` });
  return paths;
}

function managementAddress(desired: DesiredState, addresses: Readonly<Record<string, string>>): string {
  const names = Object.keys(addresses).sort();
  const name = names.find((candidate) => desired.networks.get(candidate)?.spec.purpose === 'management');
  return name === undefined ? '' : (addresses[name] ?? '');
}

function placementParameters(classification: Classification): Record<string, EncValue> {
  const placement = classification.placement;
  if (!placement) return {};
  const place: Record<string, EncValue> = { location: placement.location, aggregates: [...placement.aggregates].sort() };
  for (const key of ['datacenter', 'row', 'rack'] as const) if (placement[key] !== undefined) place[key] = placement[key] ?? '';
  if (placement.rackUnit !== undefined) place.rack_unit = placement.rackUnit;
  return place;
}

/** Renders one machine's target: its facts, its ENC (secrets as placeholders), and the ENC's digest. */
export function buildNodeTarget(desired: DesiredState, cluster: ClusterFacts, plan: NodePlan): { target?: NodeTarget; problems: CompileProblem[] } {
  const { classification, role, hostname, addresses } = plan;
  const roleName = role.metadata.name;
  const availabilityZone = classification.placement?.availabilityZone ?? '';
  const gpuFacts = roleName === 'compute' ? decideGpuFacts(plan.gpuModels) : decideGpuFacts([]);
  const rebootRequired = gpuFacts.blacklist_nouveau === true;
  const facts: Record<string, EncValue> = {
    ...cluster.facts,
    ...decideCpuFacts(desired, classification.profile, plan.node),
    ...gpuFacts,
    hostname,
    short_hostname: hostname.split('.')[0] ?? hostname,
    management_address: managementAddress(desired, addresses),
    availability_zone: availabilityZone,
  };
  const parameters: Record<string, EncValue> = {
    plinth_hostname: hostname,
    plinth_role: roleName,
    plinth_profile: classification.profile ?? '',
    plinth_cluster: desired.cluster.metadata.name,
    plinth_domain: desired.cluster.spec.domain,
    plinth_addresses: addresses,
    plinth_availability_zone: availabilityZone,
    plinth_placement: placementParameters(classification),
    plinth_install_wave: role.spec.installWave,
    plinth_topology: cluster.topology,
    plinth_certificates: certificatePaths(hostname, roleName),
    plinth_reboot_required: rebootRequired,
  };
  const profile = classification.profile === undefined ? undefined : desired.profiles.get(classification.profile);
  const { enc, problems } = buildEnc({
    nodeId: classification.nodeId,
    role,
    environment: desired.cluster.spec.puppetEnvironment ?? 'production',
    facts,
    settings: [desired.cluster.spec.settings, profile?.spec.settings, plan.node?.spec.settings],
    parameters,
  });
  if (problems.length > 0) return { problems };
  const encYaml = renderEncYaml(enc);
  const target: NodeTarget = {
    nodeId: classification.nodeId,
    hostname,
    role: roleName,
    ...(classification.profile === undefined ? {} : { profile: classification.profile }),
    installWave: role.spec.installWave,
    addresses,
    availabilityZone,
    enc,
    encYaml,
    encDigest: digestEncYaml(encYaml),
    secretNames: listEncSecrets(encYaml),
    rebootRequired,
    bootMac: chooseBootMac(plan.snapshotNode.inventory),
    maintenance: plan.node?.spec.maintenance ?? false,
    decommission: plan.node?.spec.decommission ?? false,
  };
  return { target, problems: [] };
}
