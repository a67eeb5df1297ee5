import type { InventoryDisk } from '../../inventory/types.js';
import { isObject, readBoolean, readNumber, readObjects, readString, type JsonObject } from './json-access.js';

/**
 * Reads the whole disks of `lsblk -J -b -O`. Partitions, loop, RAM and zram devices, optical drives and
 * empty devices are left out: they are not disks a profile could count or an installer could use.
 */
export function parseLsblk(json: unknown): InventoryDisk[] {
  if (!isObject(json)) return [];
  return readObjects(json.blockdevices).filter(isWholeDisk).map(toDisk);
}

function isWholeDisk(device: JsonObject): boolean {
  const name = readString(device, 'name') ?? '';
  if (readString(device, 'type') !== 'disk') return false;
  if (/^(zram|ram|loop)\d/.test(name)) return false;
  return (readNumber(device, 'size') ?? 0) > 0;
}

function toDisk(device: JsonObject): InventoryDisk {
  const name = readString(device, 'name') ?? '';
  const rotational = readBoolean(device, 'rota') ?? false;
  const isNvme = readString(device, 'tran') === 'nvme' || name.startsWith('nvme');
  return {
    name,
    path: readString(device, 'path') ?? `/dev/${name}`,
    sizeBytes: readNumber(device, 'size') ?? 0,
    rotational,
    type: isNvme ? 'nvme' : rotational ? 'hdd' : 'ssd',
    model: (readString(device, 'model') ?? '').trim(),
    serial: (readString(device, 'serial') ?? '').trim(),
    wwn: (readString(device, 'wwn') ?? '').trim(),
  };
}
