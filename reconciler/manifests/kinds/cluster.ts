import { Type, type Static } from '@sinclair/typebox';
import { manifestSchema, nameReference, SettingsSchema, strictObject } from './common.js';

export const DEFAULT_HOSTNAME_PATTERN = '{cluster}-{role}-{n}.{domain}';
export const DEFAULT_MAX_PARALLEL_PROVISIONING = 20;

const ClusterCpuSchema = strictObject(
  {
    mode: Type.Optional(
      Type.Union([Type.Literal('host-passthrough'), Type.Literal('host-model'), Type.Literal('custom')], {
        description: 'Default Nova CPU mode of every compute.',
      }),
    ),
    model: Type.Optional(nameReference('Default CpuModel of every compute; a HardwareProfile or Node may override it.')),
  },
  'Cluster-wide CPU model defaults for Nova.',
);

const BackendsSchema = strictObject(
  {
    glance: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('ceph'), Type.Literal('swift'), Type.Literal('file')], {
        description: 'Where Glance stores images; `auto` follows the cluster composition (Ceph, then Swift, then local files).',
      }),
    ),
    cinderBackup: Type.Optional(
      Type.Union([Type.Literal('auto'), Type.Literal('ceph'), Type.Literal('swift'), Type.Literal('none')], {
        description: 'Where Cinder backups go; `auto` uses Swift when this or a linked cluster has it.',
      }),
    ),
  },
  'Storage back-end preferences.',
);

const TlsSchema = strictObject(
  {
    publicEndpoint: Type.Optional(Type.String({ description: 'FQDN of the public API endpoint, as it appears in the certificate.' })),
    certificateFrom: Type.Optional(
      Type.Union(
        [
          strictObject({ file: Type.String({ minLength: 1, description: 'Path of the PEM certificate chain on the controller.' }) }, 'A file on the controller.'),
          strictObject({ store: Type.String({ minLength: 1, description: 'Key of the certificate in the secret store.' }) }, 'The secret store.'),
        ],
        { description: 'Where the public certificate chain is read from; when absent the cluster CA issues one.' },
      ),
    ),
    internalCa: Type.Optional(Type.Boolean({ description: 'Whether plinth runs a cluster CA for internal endpoints (default true).' })),
  },
  'TLS of the API endpoints.',
);

const RolloutSchema = strictObject(
  {
    maxParallelProvisioning: Type.Optional(
      Type.Integer({ minimum: 1, description: `How many machines are provisioned at once (default ${DEFAULT_MAX_PARALLEL_PROVISIONING}).` }),
    ),
    disruptionBudget: Type.Optional(
      strictObject(
        {
          maxPerCommit: Type.Optional(Type.Integer({ minimum: 0, description: 'Most destructive actions (reprovision, wipe, power-off) one commit may cause.' })),
          maxPerAvailabilityZone: Type.Optional(Type.Integer({ minimum: 0, description: 'Most machines disrupted at once in one availability zone.' })),
        },
        'Limits on destructive actions.',
      ),
    ),
    stopOnFailurePercent: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'A wave stops when this share of its machines has failed.' }),
    ),
  },
  'How changes roll out.',
);

const AvailabilityZoneSchema = strictObject(
  {
    name: nameReference('Name of the availability zone, as Nova and Cinder show it.'),
    description: Type.Optional(Type.String({ description: 'Free text for humans.' })),
  },
  'An availability zone of the cluster.',
);

export const ClusterSpecSchema = strictObject(
  {
    domain: Type.String({ pattern: '^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$', description: 'DNS domain of every host of the cluster.' }),
    release: Type.String({ minLength: 1, description: 'OpenStack release to install, e.g. `2024.1` or `caracal`.' }),
    osSuite: Type.String({ minLength: 1, description: 'Debian suite of the installed systems, e.g. `bookworm`.' }),
    puppetEnvironment: Type.Optional(Type.String({ pattern: '^[a-z0-9_]+$', description: 'Puppet environment the ENC assigns (default `production`).' })),
    hostnamePattern: Type.Optional(
      Type.String({
        description: `How hostnames are made (default \`${DEFAULT_HOSTNAME_PATTERN}\`). Placeholders: {cluster}, {role}, {n}, {domain}, {datacenter}, {row}, {rack}, {az}. {n} is never reused.`,
      }),
    ),
    availabilityZones: Type.Array(AvailabilityZoneSchema, { minItems: 1, description: 'The availability zones that Locations place machines in.' }),
    cpu: Type.Optional(ClusterCpuSchema),
    backends: Type.Optional(BackendsSchema),
    tls: Type.Optional(TlsSchema),
    rollout: Type.Optional(RolloutSchema),
    linkedClusters: Type.Optional(
      Type.Array(
        strictObject(
          {
            name: nameReference('Name of the other cluster.'),
            purpose: Type.Union([Type.Literal('swift'), Type.Literal('ceph'), Type.Literal('keystone')], {
              description: 'What this cluster uses from the other one.',
            }),
            endpoint: Type.Optional(Type.String({ format: 'uri', description: 'URL of the service in the other cluster.' })),
          },
          'A cluster whose services this one uses.',
        ),
        { description: 'Other clusters this one uses, e.g. a Swift cluster for Glance and Cinder backup.' },
      ),
    ),
    blackSheep: Type.Optional(
      strictObject(
        {
          quarantine: Type.Array(
            Type.Union([
              Type.Literal('memory-outlier'),
              Type.Literal('cpu-outlier'),
              Type.Literal('disk-outlier'),
              Type.Literal('nic-speed-outlier'),
              Type.Literal('firmware-outlier'),
            ]),
            { description: 'Which health-check findings put a machine in quarantine instead of provisioning it.' },
          ),
        },
        'Machines that differ from their peers of the same profile.',
      ),
    ),
    reports: Type.Optional(
      strictObject(
        {
          trustedNetworks: Type.Array(Type.String({ description: 'A CIDR.' }), { description: 'Networks (CIDRs) from which hardware reports are accepted.' }),
        },
        'The discovery API that booting machines report to.',
      ),
    ),
    settings: Type.Optional(SettingsSchema),
  },
  'The cluster as a whole.',
);

export const ClusterSchema = manifestSchema('Cluster', 'cluster', ClusterSpecSchema, 'An OpenStack cluster: release, naming, placement zones and rollout limits. Exactly one per repository.');
export type Cluster = Static<typeof ClusterSchema>;
