import type { Inventory, InventoryCpu, InventoryDimm } from '../inventory/types.js';
import { selectDmiRecords, type DmiRecord, type DmiSelection } from './parse/dmidecode.js';

/**
 * Builds the firmware-described parts of the inventory from dmidecode records (SMBIOS types 0 BIOS,
 * 1 system, 2 base board, 3 chassis, 4 processor, 17 memory device).
 */
export type DmiInventory = Pick<Inventory, 'system' | 'baseboard' | 'chassis' | 'bios' | 'cpus' | 'emptyCpuSockets'> & {
  dimms: InventoryDimm[];
  emptyMemorySlots: number;
};

const FIELDS_READ = [
  ...['Manufacturer', 'Product Name', 'Serial Number', 'UUID', 'SKU Number', 'Family', 'Type'],
  ...['Vendor', 'Version', 'Release Date'],
  ...['Status', 'Socket Designation', 'Core Count', 'Thread Count', 'Current Speed'],
  ...['Size', 'Locator', 'Speed', 'Part Number'],
] as const;

/** A field this module reads; `field()` takes only these, so the parser's selection cannot miss one. */
type DmiField = (typeof FIELDS_READ)[number];

/** The structures (types 0, 1, 2, 3, 4, 17) and fields read below; the parser skips the rest, most of a dump. */
export const DMI_INVENTORY_SELECTION: DmiSelection = { types: new Set([0, 1, 2, 3, 4, 17]), fields: new Set(FIELDS_READ) };

const SIZE_UNITS: Record<string, number> = { B: 1, BYTES: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

function field(record: DmiRecord | undefined, key: DmiField): string {
  return record?.fields[key] ?? '';
}

/** `16384 MB`, `32 GB` → bytes; `No Module Installed`, `Not Installed`, `Unknown` → undefined. */
export function parseDmiSize(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?B|bytes)$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toUpperCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

/** `2666 MT/s`, `2400 MHz` → 2666, 2400; `Unknown` → undefined. */
function parseLeadingInteger(value: string): number | undefined {
  const match = /^(\d+)/.exec(value.trim());
  return match ? Number(match[1]) : undefined;
}

function isUnset(value: string): boolean {
  return /^(|not specified|unknown|not provided|none)$/i.test(value.trim());
}

function optionalText(value: string): string | undefined {
  return isUnset(value) ? undefined : value;
}

/** A socket is empty when the firmware says so, or names no CPU in it (some firmware omits the status). */
function isPopulatedSocket(record: DmiRecord): boolean {
  const status = field(record, 'Status');
  if (/unpopulated/i.test(status)) return false;
  return !isUnset(field(record, 'Version'));
}

function toCpu(record: DmiRecord): InventoryCpu {
  const cores = parseLeadingInteger(field(record, 'Core Count')) ?? 0;
  const cpu: InventoryCpu = {
    socket: field(record, 'Socket Designation'),
    manufacturer: field(record, 'Manufacturer'),
    model: field(record, 'Version'),
    cores,
    threads: parseLeadingInteger(field(record, 'Thread Count')) ?? cores,
  };
  const speed = parseLeadingInteger(field(record, 'Current Speed'));
  if (speed !== undefined && speed > 0) cpu.speedMHz = speed;
  return cpu;
}

function toDimm(record: DmiRecord, sizeBytes: number): InventoryDimm {
  const dimm: InventoryDimm = { locator: field(record, 'Locator'), sizeBytes, type: field(record, 'Type') };
  const speed = parseLeadingInteger(field(record, 'Speed'));
  if (speed !== undefined) dimm.speedMTs = speed;
  const manufacturer = optionalText(field(record, 'Manufacturer'));
  if (manufacturer !== undefined) dimm.manufacturer = manufacturer;
  const serialNumber = optionalText(field(record, 'Serial Number'));
  if (serialNumber !== undefined) dimm.serialNumber = serialNumber;
  const partNumber = optionalText(field(record, 'Part Number'));
  if (partNumber !== undefined) dimm.partNumber = partNumber;
  return dimm;
}

function buildSystem(record: DmiRecord | undefined): Inventory['system'] {
  const system: Inventory['system'] = {
    manufacturer: field(record, 'Manufacturer'),
    productName: field(record, 'Product Name'),
    serialNumber: field(record, 'Serial Number'),
    uuid: field(record, 'UUID').toLowerCase(),
  };
  const sku = optionalText(field(record, 'SKU Number'));
  if (sku !== undefined) system.sku = sku;
  const family = optionalText(field(record, 'Family'));
  if (family !== undefined) system.family = family;
  return system;
}

export function buildDmiInventory(records: readonly DmiRecord[]): DmiInventory {
  const board = selectDmiRecords(records, 2)[0];
  const chassis = selectDmiRecords(records, 3)[0];
  const bios = selectDmiRecords(records, 0)[0];
  const sockets = selectDmiRecords(records, 4);
  const populated = sockets.filter(isPopulatedSocket);
  const dimms: InventoryDimm[] = [];
  let emptyMemorySlots = 0;
  for (const device of selectDmiRecords(records, 17)) {
    const size = parseDmiSize(field(device, 'Size'));
    if (size === undefined || size === 0) emptyMemorySlots += 1;
    else dimms.push(toDimm(device, size));
  }
  return {
    system: buildSystem(selectDmiRecords(records, 1)[0]),
    baseboard: {
      manufacturer: field(board, 'Manufacturer'),
      productName: field(board, 'Product Name'),
      serialNumber: field(board, 'Serial Number'),
    },
    chassis: { serialNumber: field(chassis, 'Serial Number'), type: field(chassis, 'Type') },
    bios: { vendor: field(bios, 'Vendor'), version: field(bios, 'Version'), releaseDate: field(bios, 'Release Date') },
    cpus: populated.map(toCpu),
    emptyCpuSockets: sockets.length - populated.length,
    dimms,
    emptyMemorySlots,
  };
}
