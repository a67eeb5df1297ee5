import { Type, type Static } from '@sinclair/typebox';

/**
 * The normalised inventory of one machine: what the controller knows about its hardware after parsing a
 * report. Profile matching, placement and peer comparison read this shape only, never raw tool output.
 * Unknown text values are empty strings and unknown numbers are absent, so consumers need no null checks
 * for the fields every machine has.
 */

const Text = (description: string) => Type.String({ description });
const Count = (description: string) => Type.Integer({ description, minimum: 0 });

export const SystemSchema = Type.Object(
  {
    manufacturer: Text('System manufacturer (dmidecode type 1).'),
    productName: Text('System product name, e.g. "PowerEdge R640".'),
    serialNumber: Text('System serial number as reported, placeholders included.'),
    uuid: Text('System UUID as reported, lowercased.'),
    sku: Type.Optional(Text('SKU number.')),
    family: Type.Optional(Text('Product family.')),
  },
  { description: 'The machine as its firmware names it.' },
);

export const BaseboardSchema = Type.Object(
  {
    manufacturer: Text('Base board manufacturer (dmidecode type 2).'),
    productName: Text('Base board product name, e.g. "0W23H8".'),
    serialNumber: Text('Base board serial number as reported.'),
  },
  { description: 'The main board.' },
);

export const ChassisSchema = Type.Object(
  {
    serialNumber: Text('Chassis serial number as reported (dmidecode type 3); the preferred identity.'),
    type: Text('Chassis type, e.g. "Rack Mount Chassis".'),
  },
  { description: 'The enclosure.' },
);

export const BiosSchema = Type.Object(
  {
    vendor: Text('Firmware vendor.'),
    version: Text('Firmware version.'),
    releaseDate: Text('Firmware release date as printed (usually MM/DD/YYYY).'),
  },
  { description: 'System firmware (BIOS/UEFI).' },
);

export const CpuSchema = Type.Object(
  {
    socket: Text('Socket designation, e.g. "CPU1".'),
    manufacturer: Text('CPU manufacturer.'),
    model: Text('CPU model string (dmidecode Version, or lscpu/cpuinfo model name).'),
    cores: Count('Physical cores in this socket.'),
    threads: Count('Hardware threads in this socket.'),
    speedMHz: Type.Optional(Count('Current speed in MHz, where known.')),
  },
  { description: 'One populated CPU socket.' },
);

export const DimmSchema = Type.Object(
  {
    locator: Text('Slot name, e.g. "A1".'),
    sizeBytes: Count('Module size in bytes.'),
    type: Text('Memory type, e.g. "DDR4".'),
    speedMTs: Type.Optional(Count('Rated speed in MT/s.')),
    manufacturer: Type.Optional(Text('Module manufacturer.')),
    serialNumber: Type.Optional(Text('Module serial number.')),
    partNumber: Type.Optional(Text('Module part number.')),
  },
  { description: 'One populated memory module.' },
);

export const MemorySchema = Type.Object(
  {
    totalBytes: Count('Sum of the populated modules, or MemTotal from /proc/meminfo when no module is listed.'),
    dimms: Type.Array(DimmSchema, { description: 'Populated modules only.' }),
    emptySlots: Count('Memory slots with no module.'),
  },
  { description: 'Installed memory.' },
);

export const DiskSchema = Type.Object(
  {
    name: Text('Kernel name, e.g. "sda" or "nvme0n1".'),
    path: Text('Device path, e.g. "/dev/sda".'),
    sizeBytes: Count('Size in bytes.'),
    rotational: Type.Boolean({ description: 'True for spinning disks.' }),
    type: Type.Union([Type.Literal('hdd'), Type.Literal('ssd'), Type.Literal('nvme')], { description: 'Kind of disk.' }),
    model: Text('Model string.'),
    serial: Text('Serial number.'),
    wwn: Text('World Wide Name, where the disk has one.'),
  },
  { description: 'One whole disk (partitions, loop and RAM devices excluded).' },
);

export const LldpNeighbourSchema = Type.Object(
  {
    switchName: Text('LLDP system name of the switch.'),
    portId: Text('Switch port id.'),
    portDescription: Type.Optional(Text('Switch port description.')),
  },
  { description: 'The switch port this NIC is cabled to, as LLDP reports it.' },
);

export const NicSchema = Type.Object(
  {
    name: Text('Interface name in the live system.'),
    mac: Text('Permanent MAC address, lowercase colon-separated.'),
    driver: Type.Optional(Text('Kernel driver.')),
    speedMbps: Type.Optional(Count('Negotiated speed in Mb/s.')),
    link: Type.Optional(Type.Boolean({ description: 'True when a carrier is detected.' })),
    lldp: Type.Optional(LldpNeighbourSchema),
  },
  { description: 'One physical Ethernet interface.' },
);

export const PciDeviceSchema = Type.Object(
  {
    address: Text('PCI address, e.g. "0000:18:00.0".'),
    vendorId: Text('Vendor id, 4 lowercase hex digits.'),
    deviceId: Text('Device id, 4 lowercase hex digits.'),
    class: Text('Class code, 4 lowercase hex digits, e.g. "0302".'),
    className: Type.Optional(Text('Class name, e.g. "3D controller".')),
    description: Type.Optional(Text('Vendor and device names as lspci printed them.')),
    vendorName: Type.Optional(Text('Vendor name from the PCI id database (machine-readable lspci output only).')),
    deviceName: Type.Optional(Text('Device name from the PCI id database (machine-readable lspci output only).')),
    subsystemVendorId: Type.Optional(Text('Subsystem vendor id.')),
    subsystemDeviceId: Type.Optional(Text('Subsystem device id.')),
    driver: Type.Optional(Text('Kernel driver in use.')),
  },
  { description: 'One PCI function.' },
);

export const BmcSchema = Type.Object(
  {
    address: Type.Optional(Text('BMC IPv4 address from `ipmitool lan print`.')),
    mac: Type.Optional(Text('BMC MAC address, lowercase colon-separated.')),
  },
  { description: 'The baseboard management controller.' },
);

export const BootSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('uefi'), Type.Literal('bios'), Type.Literal('unknown')], { description: 'Firmware boot mode.' }),
    secureBoot: Type.Optional(Type.Boolean({ description: 'Secure Boot state, where known.' })),
  },
  { description: 'How the live system booted.' },
);

export const IdentitySourceSchema = Type.Union(
  [
    Type.Literal('chassis-serial'),
    Type.Literal('system-serial'),
    Type.Literal('board-serial'),
    Type.Literal('system-uuid'),
    Type.Literal('mac'),
  ],
  { description: 'Which fact the identity was taken from.' },
);

export const IdentitySchema = Type.Object(
  {
    id: Text('The identity of the machine; empty when the report holds no usable fact.'),
    source: IdentitySourceSchema,
    placeholdersSkipped: Type.Array(Text('A field skipped because it held a vendor placeholder, e.g. "chassis-serial: --".'), {
      description: 'Fields passed over before the identity was found, with their values.',
    }),
  },
  { description: 'The stable identity of the machine and how it was chosen.' },
);

export const InventorySchema = Type.Object(
  {
    system: SystemSchema,
    baseboard: BaseboardSchema,
    chassis: ChassisSchema,
    bios: BiosSchema,
    cpus: Type.Array(CpuSchema, { description: 'Populated sockets only.' }),
    emptyCpuSockets: Count('Sockets with no CPU.'),
    cpuFlags: Type.Array(Text('A CPU feature flag, e.g. "avx512f".'), { description: 'CPU feature flags, sorted.' }),
    memory: MemorySchema,
    disks: Type.Array(DiskSchema),
    nics: Type.Array(NicSchema),
    pciDevices: Type.Array(PciDeviceSchema),
    gpus: Type.Array(PciDeviceSchema, {
      description: 'Display and accelerator PCI devices, excluding BMC and onboard VGA (see `selectGpus`).',
    }),
    bmc: BmcSchema,
    boot: BootSchema,
    sshHostKeys: Type.Array(Text('An OpenSSH public host key line.')),
    identity: IdentitySchema,
    os: Type.Optional(
      Type.Object(
        { bootedFrom: Type.Literal('disk', { description: 'The installed system booted from its disk.' }), image: Type.Optional(Text('Image the system was written from.')) },
        { description: 'Present when the report came from the installed system rather than the live system.' },
      ),
    ),
  },
  { $id: 'https://plinth.dev/schemas/inventory.json', title: 'Inventory', description: 'The normalised hardware inventory of one machine.' },
);

export type Inventory = Static<typeof InventorySchema>;
export type InventorySystem = Static<typeof SystemSchema>;
export type InventoryCpu = Static<typeof CpuSchema>;
export type InventoryDimm = Static<typeof DimmSchema>;
export type InventoryDisk = Static<typeof DiskSchema>;
export type InventoryNic = Static<typeof NicSchema>;
export type InventoryPciDevice = Static<typeof PciDeviceSchema>;
export type LldpNeighbour = Static<typeof LldpNeighbourSchema>;
export type IdentitySource = Static<typeof IdentitySourceSchema>;
export type InventoryIdentity = Static<typeof IdentitySchema>;
