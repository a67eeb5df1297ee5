import { Type, type Static } from '@sinclair/typebox';
import { integerRange, manifestSchema, nameReference, SettingsSchema, strictObject } from './common.js';

const MatchSchema = strictObject(
  {
    productName: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'DMI product names; any of them matches.' })),
    memoryGiB: Type.Optional(integerRange('Installed memory in GiB.')),
    cpuModel: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression over the CPU model name, e.g. `^AMD EPYC 7742`.' })),
    cpuCount: Type.Optional(integerRange('Number of CPU sockets.')),
    disks: Type.Optional(
      strictObject(
        {
          count: Type.Optional(integerRange('Number of disks that meet the type and size criteria.')),
          type: Type.Optional(Type.Union([Type.Literal('hdd'), Type.Literal('ssd'), Type.Literal('nvme')], { description: 'Kind of disk counted.' })),
          minSizeGB: Type.Optional(Type.Integer({ minimum: 1, description: 'Smallest size (GB, 10^9 bytes) of a disk counted.' })),
        },
        'Disk criteria.',
      ),
    ),
    nics: Type.Optional(
      strictObject(
        {
          count: Type.Optional(integerRange('Number of NICs that meet the speed criterion.')),
          minSpeedMbps: Type.Optional(Type.Integer({ minimum: 1, description: 'Slowest link speed (Mbit/s) of a NIC counted.' })),
        },
        'Network interface criteria.',
      ),
    ),
    gpus: Type.Optional(
      Type.Array(
        strictObject(
          {
            model: nameReference('A GpuModel.'),
            count: Type.Optional(integerRange('How many GPUs of this model (default at least one).')),
          },
          'GPUs of one model the machine must carry.',
        ),
        { description: 'GPU criteria; every entry must hold.' },
      ),
    ),
    raidController: Type.Optional(Type.String({ minLength: 1, description: 'Regular expression over the RAID controller\'s PCI description.' })),
  },
  'What a machine must have to match; every criterion given must hold.',
);

const RaidSchema = strictObject(
  {
    kind: Type.Union([Type.Literal('hardware'), Type.Literal('software'), Type.Literal('none')], { description: 'Who builds the array.' }),
    level: Type.Optional(Type.Union([0, 1, 5, 6, 10].map((level) => Type.Literal(level)), { description: 'RAID level.' })),
    devices: Type.Optional(Type.Integer({ minimum: 1, description: 'How many disks the array uses.' })),
  },
  'RAID layout of the system disk.',
);

const RootDeviceHintsSchema = strictObject(
  {
    model: Type.Optional(Type.String({ description: 'Disk model, as the kernel reports it.' })),
    vendor: Type.Optional(Type.String({ description: 'Disk vendor.' })),
    serial: Type.Optional(Type.String({ description: 'Disk serial number.' })),
    minSizeGB: Type.Optional(Type.Integer({ minimum: 1, description: 'Smallest disk (GB) to install on.' })),
    rotational: Type.Optional(Type.Boolean({ description: 'Whether the disk spins.' })),
    byPath: Type.Optional(Type.String({ pattern: '^/dev/disk/by-path/', description: 'Stable device path.' })),
  },
  'How to pick the disk the OS goes on; the first disk that meets every hint.',
);

export const HardwareProfileSpecSchema = strictObject(
  {
    match: MatchSchema,
    priority: Type.Integer({ minimum: 0, maximum: 1000, description: 'When several profiles match, the highest priority wins; equal priorities are ambiguous.' }),
    quota: Type.Optional(
      strictObject(
        {
          min: Type.Optional(Type.Integer({ minimum: 0, description: 'How many machines the cluster needs with this profile; fewer is reported.' })),
          max: Type.Optional(Type.Integer({ minimum: 0, description: 'Most machines that may take this profile (e.g. 3 controllers); extra matches stay unassigned.' })),
        },
        'How many machines may take this profile.',
      ),
    ),
    role: nameReference('Role that a matching machine takes: a built-in role or a Role manifest.'),
    raid: Type.Optional(RaidSchema),
    rootDeviceHints: Type.Optional(RootDeviceHintsSchema),
    cpu: Type.Optional(strictObject({ model: nameReference('A CpuModel; overrides the cluster default.') }, 'CPU model of computes with this profile.')),
    image: Type.Optional(nameReference('Image to install; the cluster\'s only Image when absent.')),
    settings: Type.Optional(SettingsSchema),
  },
  'What hardware matches, and what a match implies.',
);

export const HardwareProfileSchema = manifestSchema(
  'HardwareProfile',
  'hardware-profile',
  HardwareProfileSpecSchema,
  'A class of machines: match criteria, priority, quota, and the role, RAID and image a match implies.',
);
export type HardwareProfile = Static<typeof HardwareProfileSchema>;
