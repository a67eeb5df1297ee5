import { Type, type Static } from '@sinclair/typebox';

/**
 * The hardware report a booting node's discovery agent POSTs to the controller: raw tool outputs, one per
 * section, exactly as the tools printed them. Parsing happens in the controller (see `normalise.ts`), so an
 * agent can stay a small shell script and an old agent keeps working when the parsers improve.
 * Every section is optional: a tool missing from the live system simply leaves its section out.
 */

const KIB = 1024;
const MIB = 1024 * KIB;

/** A raw text section; the limit is generous (multi-GPU `lspci -vvnn` dumps run past 500 kB) yet bounded. */
function rawText(description: string, maxLength: number) {
  return Type.String({ description, maxLength });
}

/** A parsed JSON section kept loose on purpose: the tools' JSON shapes vary across versions. */
function looseObject(description: string) {
  return Type.Object({}, { description, additionalProperties: true });
}

const InterfaceName = Type.String({
  description: 'A Linux network interface name (at most 15 characters).',
  pattern: '^[A-Za-z0-9_.:@-]{1,15}$',
});

export const ReportAgentSchema = Type.Object(
  {
    version: Type.String({ description: 'Version of the discovery agent that built the report.', minLength: 1, maxLength: 64 }),
    bootId: Type.Optional(
      Type.String({
        description: 'The live system kernel boot id (/proc/sys/kernel/random/boot_id), distinguishing boots of one machine.',
        maxLength: 64,
        pattern: '^[0-9A-Fa-f-]{1,64}$',
      }),
    ),
    token: Type.Optional(
      Type.String({
        description: 'Enrolment token from the kernel command line (plinth.token=), when not sent as a bearer header. Secret: never logged.',
        maxLength: 512,
      }),
    ),
  },
  { description: 'The agent that sent the report.', additionalProperties: false },
);

export const ReportEfiSchema = Type.Object(
  {
    uefi: Type.Boolean({ description: 'True when the live system booted through UEFI (/sys/firmware/efi exists).' }),
    secureBoot: Type.Optional(
      Type.Union([Type.Boolean(), Type.Null()], {
        description: 'Secure Boot state from the SecureBoot EFI variable; null when it could not be read.',
      }),
    ),
  },
  { description: 'Firmware boot mode of the live system.', additionalProperties: false },
);

export const ReportSectionsSchema = Type.Object(
  {
    dmidecode: Type.Optional(rawText('Output of `dmidecode` (text).', 2 * MIB)),
    lspci: Type.Optional(rawText('Output of `lspci -vvnn` or `lspci -nnmm` (text).', 4 * MIB)),
    lsblk: Type.Optional(looseObject('Output of `lsblk -J -b -O` (JSON, with its `blockdevices` array).')),
    ipAddr: Type.Optional(
      Type.Array(looseObject('One interface as printed by `ip -j addr`.'), {
        description: 'Output of `ip -j addr` (JSON array of interfaces).',
        maxItems: 4096,
      }),
    ),
    ipLink: Type.Optional(
      Type.Array(looseObject('One interface as printed by `ip -j link`.'), {
        description: 'Output of `ip -j link` (JSON array of interfaces).',
        maxItems: 4096,
      }),
    ),
    ethtool: Type.Optional(
      Type.Record(InterfaceName, rawText('Output of `ethtool IFACE` (text).', 64 * KIB), {
        description: 'Output of `ethtool` per interface name.',
        maxProperties: 512,
        additionalProperties: false,
      }),
    ),
    lldp: Type.Optional(looseObject('Output of `lldpctl -f json` (JSON): the switch name and port seen on each interface.')),
    ipmiLan: Type.Optional(rawText('Output of `ipmitool lan print` (text): the BMC address and MAC.', 64 * KIB)),
    lscpu: Type.Optional(looseObject('Output of `lscpu -J` (JSON, with its `lscpu` array of field/data pairs).')),
    cpuinfo: Type.Optional(rawText('Contents of /proc/cpuinfo (text).', 4 * MIB)),
    meminfo: Type.Optional(rawText('Contents of /proc/meminfo (text).', 64 * KIB)),
    efi: Type.Optional(ReportEfiSchema),
    sshHostKeys: Type.Optional(
      Type.Array(
        Type.String({
          description: 'One OpenSSH public host key line (`TYPE BASE64 [COMMENT]`).',
          maxLength: 16 * KIB,
          pattern: '^(ssh-|ecdsa-|sk-)[A-Za-z0-9@._-]+ [A-Za-z0-9+/=]+( [^\\n]*)?$',
        }),
        { description: 'Public SSH host keys of the live system, so the controller can pin them.', maxItems: 16 },
      ),
    ),
  },
  { description: 'Raw tool outputs; each is optional and an unknown section is rejected.', additionalProperties: false },
);

/**
 * Sent only by an installed operating system, once, when it boots: a report without it comes from the live
 * (deploy) system. This is how the controller tells "the machine is back in the deploy environment" from
 * "the machine booted what was written to its disk".
 */
export const ReportOsSchema = Type.Object(
  {
    bootedFrom: Type.Literal('disk', { description: 'Where the reporting system booted from; an installed system boots from its disk.' }),
    image: Type.Optional(
      Type.String({ description: 'Name of the Image manifest the installed system was written from.', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9._:+-]+$' }),
    ),
  },
  { description: 'The installed operating system that sent the report; absent in reports from the live system.', additionalProperties: false },
);

export const HardwareReportSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'Report format version.' }),
    agent: ReportAgentSchema,
    collectedAt: Type.String({
      description: 'When the agent collected the sections (RFC 3339, from the live system clock, which may be wrong).',
      format: 'date-time',
      maxLength: 64,
    }),
    sections: ReportSectionsSchema,
    os: Type.Optional(ReportOsSchema),
  },
  {
    $id: 'https://plinth.dev/schemas/hardware-report.json',
    title: 'HardwareReport',
    description: 'A hardware report POSTed by the discovery agent of a booting node to /v1/reports.',
    additionalProperties: false,
  },
);

export type HardwareReport = Static<typeof HardwareReportSchema>;
export type ReportSections = Static<typeof ReportSectionsSchema>;
export type ReportOs = Static<typeof ReportOsSchema>;
