import type { InventoryNic, LldpNeighbour } from '../inventory/types.js';
import type { EthtoolFacts } from './parse/ethtool.js';
import type { IpInterface } from './parse/ip-link.js';

/** Joins the physical interfaces with their ethtool facts and LLDP neighbours, sorted by name. */
export function buildNics(
  interfaces: readonly IpInterface[],
  ethtool: ReadonlyMap<string, EthtoolFacts>,
  lldp: ReadonlyMap<string, LldpNeighbour>,
): InventoryNic[] {
  return interfaces
    .filter((entry) => entry.physical)
    .map((entry) => {
      const nic: InventoryNic = { name: entry.name, mac: entry.mac };
      const facts = ethtool.get(entry.name);
      if (facts?.driver !== undefined) nic.driver = facts.driver;
      if (facts?.speedMbps !== undefined) nic.speedMbps = facts.speedMbps;
      nic.link = facts?.link ?? entry.operUp;
      const neighbour = lldp.get(entry.name);
      if (neighbour) nic.lldp = neighbour;
      return nic;
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
