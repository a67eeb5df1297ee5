import { toMacKey } from '../../lib/mac-address.js';
import { isObject, readObjects, readString, type JsonObject } from './json-access.js';

/** One Ethernet interface of the live system, from `ip -j [-d] link` or `ip -j addr`. */
export interface IpInterface {
  name: string;
  /** The permanent MAC when the kernel reports one apart (bond members), else the current address. */
  mac: string;
  operUp: boolean;
  /** True when the interface sits on a bus (PCI, virtio, USB): a real NIC rather than a bridge, VLAN or tunnel. */
  physical: boolean;
  addresses: string[];
}

/**
 * Reads the Ethernet interfaces of `ip -j link` and `ip -j addr` (either or both; `ip -d` adds the
 * `parentbus`/`linkinfo` details that tell real NICs from virtual ones). Without details, every Ethernet
 * interface that declares no virtual kind counts as physical.
 */
export function parseIpInterfaces(link: unknown, addr: unknown): IpInterface[] {
  const byName = new Map<string, JsonObject>();
  for (const entry of [...readObjects(addr), ...readObjects(link)]) {
    const name = readString(entry, 'ifname');
    if (name !== undefined) byName.set(name, { ...byName.get(name), ...entry });
  }
  const entries = [...byName.values()];
  const detailed = entries.some((entry) => 'parentbus' in entry || 'linkinfo' in entry);
  return entries.filter((entry) => readString(entry, 'link_type') === 'ether').map((entry) => toInterface(entry, detailed));
}

function toInterface(entry: JsonObject, detailed: boolean): IpInterface {
  const mac = readString(entry, 'permaddr') ?? readString(entry, 'address') ?? '';
  const flags = Array.isArray(entry.flags) ? entry.flags : [];
  const physical = detailed ? typeof entry.parentbus === 'string' : !isObject(entry.linkinfo);
  return {
    name: readString(entry, 'ifname') ?? '',
    mac: toMacKey(mac),
    operUp: readString(entry, 'operstate') === 'UP' || flags.includes('LOWER_UP'),
    physical,
    addresses: readObjects(entry.addr_info)
      .map((info) => readString(info, 'local'))
      .filter((local): local is string => local !== undefined),
  };
}
