import { PlinthError } from '../../lib/errors.js';
import type { BlockDisk } from './root-disk.js';

/** The command that lists a node's disks with every column, sizes in bytes. */
export const LSBLK_COMMAND = 'lsblk -J -b -O';

type LsblkDevice = Record<string, unknown> & { children?: LsblkDevice[] };

/**
 * Reads `lsblk -J -b -O` output into whole disks. Older util-linux prints numbers and booleans
 * as strings ("0", "1", "500107862016"), so both forms are accepted.
 * Example: `parseLsblk((await session.exec(LSBLK_COMMAND)).stdout)`.
 */
export function parseLsblk(text: string): BlockDisk[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalidListing('it is not JSON', error);
  }
  const devices = (document as { blockdevices?: unknown } | null)?.blockdevices;
  if (!Array.isArray(devices)) throw invalidListing('it has no "blockdevices" array');
  return devices.map((device, index) => toDisk(device as LsblkDevice, index));
}

function toDisk(device: LsblkDevice, index: number): BlockDisk {
  const name = asText(device.kname) ?? asText(device.name);
  const size = asNumber(device.size);
  if (name === null || size === null) throw invalidListing(`device ${index} lacks a name or a size`);
  return {
    name,
    path: asText(device.path) ?? `/dev/${name}`,
    type: asText(device.type) ?? 'unknown',
    sizeBytes: size,
    model: asText(device.model),
    vendor: asText(device.vendor),
    serial: asText(device.serial),
    wwn: asText(device.wwn),
    rotational: asFlag(device.rota),
    readOnly: asFlag(device.ro),
    removable: asFlag(device.rm),
    inUse: isMounted(device),
  };
}

function isMounted(device: LsblkDevice): boolean {
  const points = [device.mountpoint, ...(Array.isArray(device.mountpoints) ? device.mountpoints : [])];
  if (points.some((point) => typeof point === 'string' && point !== '')) return true;
  return (device.children ?? []).some((child) => isMounted(child));
}

function asText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

function asFlag(value: unknown): boolean {
  return value === true || value === '1' || value === 1;
}

function invalidListing(reason: string, cause?: unknown): PlinthError {
  return new PlinthError('IMAGE_DISK_LIST', `The node's disk listing (${LSBLK_COMMAND}) could not be read: ${reason}`, { cause });
}
