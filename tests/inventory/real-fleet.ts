import { normaliseReport } from '../../reconciler/discovery/normalise.js';
import type { Inventory } from '../../reconciler/inventory/types.js';
import { buildHardwareReport, macsFor, type ReportSpec } from '../support/hardware-report.js';

/**
 * Inventories of real machines: the published dmidecode/lspci dumps, run through the same normalisation
 * as a live report, with the NIC speeds and LLDP neighbours a racked machine would add.
 */
export interface RealMachine {
  /** vendor/model/id under tests/fixtures/hardware; the id (the dump's folder) becomes the serial. */
  fixture: string;
  /** Speed of every NIC, in Mb/s. */
  nicSpeedMbps?: number;
  nicCount?: number;
  /** Switch name and port per NIC, in NIC order (eno1, eno2, ...). */
  lldp?: { switchName: string; portId: string }[];
  disks?: ReportSpec['disks'];
}

export const R640 = {
  first: 'dell/poweredge-r640/8885D8B6E2FE',
  second: 'dell/poweredge-r640/953E314D7CA9',
  odd: 'dell/poweredge-r640/1917FF5F0757',
} as const;

function ethtoolText(name: string, speedMbps: number): string {
  return [`Settings for ${name}:`, `\tSpeed: ${speedMbps}Mb/s`, '\tDuplex: Full', '\tLink detected: yes', 'driver: bnxt_en', ''].join('\n');
}

function lldpDocument(neighbours: NonNullable<RealMachine['lldp']>): Record<string, unknown> {
  return {
    lldp: {
      interface: neighbours.map((neighbour, index) => ({
        [`eno${index + 1}`]: {
          via: 'LLDP',
          chassis: { [neighbour.switchName]: { id: { type: 'mac', value: '3c:fd:fe:00:00:01' } } },
          port: { id: { type: 'ifname', value: neighbour.portId } },
        },
      })),
    },
  };
}

/** The serial is the fixture's folder name: the published dumps have their serials blanked. */
export function serialOf(fixture: string): string {
  return fixture.split('/').at(-1) ?? fixture;
}

export function buildRealInventory(machine: RealMachine, index: number): Inventory {
  const macs = macsFor(index + 1, machine.nicCount ?? 2);
  const spec: ReportSpec = { fixture: machine.fixture, serial: serialOf(machine.fixture), macs };
  if (machine.disks) spec.disks = machine.disks;
  const report = buildHardwareReport(spec);
  if (machine.nicSpeedMbps !== undefined) {
    const speed = machine.nicSpeedMbps;
    report.sections.ethtool = Object.fromEntries(macs.map((_, port) => [`eno${port + 1}`, ethtoolText(`eno${port + 1}`, speed)]));
  }
  if (machine.lldp) report.sections.lldp = lldpDocument(machine.lldp);
  return normaliseReport(report).inventory;
}
