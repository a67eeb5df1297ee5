import { Type, type Static } from '@sinclair/typebox';
import { macAddress, manifestSchema, nameReference, SecretReferenceSchema, SettingsSchema, strictObject } from './common.js';

/** ipmi://host[:port], redfish+https://host[:port][/path], redfish+http://... */
export const BMC_ADDRESS_PATTERN = '^(ipmi|redfish\\+https|redfish\\+http)://[^\\s/:@]+(:[0-9]{1,5})?(/[^\\s]*)?$';

const BmcSchema = strictObject(
  {
    address: Type.String({
      pattern: BMC_ADDRESS_PATTERN,
      description: 'BMC URL: `ipmi://host[:port]`, `redfish+https://host[:port]` or `redfish+http://host[:port]`.',
    }),
    username: Type.String({ minLength: 1, description: 'BMC user name.' }),
    passwordFrom: SecretReferenceSchema,
    caCertificate: Type.Optional(Type.String({ minLength: 1, description: 'Path of the CA bundle that signs the Redfish TLS certificate; system CAs when absent.' })),
  },
  'How plinth reaches the machine\'s BMC. The password is a reference, never inline.',
);

export const NodeSpecSchema = strictObject(
  {
    serial: Type.Optional(Type.String({ minLength: 1, description: 'Chassis serial number that identifies the machine (as the hardware report gives it).' })),
    mac: Type.Optional(macAddress('MAC address that identifies the machine when its serial is unusable')),
    hostname: Type.Optional(Type.String({ description: 'Fixed hostname (short name or FQDN in the cluster domain); generated from the pattern when absent.' })),
    role: Type.Optional(nameReference('Role the machine takes; overrides the role of the matched profile.')),
    profile: Type.Optional(nameReference('HardwareProfile the machine takes without matching.')),
    location: Type.Optional(nameReference('Location of the machine when LLDP cannot tell.')),
    bmc: Type.Optional(BmcSchema),
    addresses: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' }), Type.String({ pattern: '^[0-9a-fA-F:.]+$' }), {
        additionalProperties: false, description: 'Network name → fixed address of the machine on it.',
      }),
    ),
    maintenance: Type.Optional(Type.Boolean({ description: 'Leave the machine alone: no power, boot or ENC change.' })),
    decommission: Type.Optional(Type.Boolean({ description: 'Drain, wipe and retire the machine; its name and addresses are kept.' })),
    replaces: Type.Optional(Type.String({ minLength: 1, description: 'Serial of the machine this one replaces: it adopts that node\'s name and addresses.' })),
    image: Type.Optional(nameReference('Image that overrides the profile\'s.')),
    cpu: Type.Optional(strictObject({ model: nameReference('A CpuModel; overrides the profile and cluster.') }, 'CPU model of this compute.')),
    settings: Type.Optional(SettingsSchema),
  },
  'A machine pinned by serial number or MAC.',
);

export const NodeSchema = manifestSchema('Node', 'node', NodeSpecSchema, 'An explicit machine: identity, hostname, role, BMC and fixed addresses.');
export type Node = Static<typeof NodeSchema>;
