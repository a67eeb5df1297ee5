import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HardwareReport } from '../../reconciler/discovery/report-schema.js';

/**
 * Builds realistic hardware reports from the real server dumps (dmidecode, lspci) under
 * tests/fixtures/hardware, adding the sections those dumps lack (ip link, lsblk, ipmitool lan print)
 * and a serial number, since the published dumps have their serials blanked.
 */
const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE_ROOTS = [join(here, '..', 'fixtures', 'hardware'), '/work/shared/fixtures/hardware'];

export function hardwareFixtureRoot(): string {
  const root = FIXTURE_ROOTS.find((candidate) => existsSync(candidate));
  if (!root) throw new Error(`no hardware fixtures in ${FIXTURE_ROOTS.join(' or ')}`);
  return root;
}

/** Machine folders (vendor/model/id) holding a dmidecode.txt, sorted. */
export function listHardwareFixtures(root = hardwareFixtureRoot()): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && depth < 3) walk(join(dir, entry.name), depth + 1);
      else if (entry.isFile() && entry.name === 'dmidecode.txt') found.push(relative(root, dir));
    }
  };
  walk(root, 0);
  return found.sort();
}

export interface ReportSpec {
  /** vendor/model/id under the fixture root. */
  fixture: string;
  serial: string;
  macs: string[];
  bmcMac?: string;
  bmcAddress?: string;
  /** Whole disks as `lsblk` would list them; defaults to two SSDs named after the serial. */
  disks?: { name: string; sizeBytes: number; serial: string }[];
}

/** Writes `serial` into the System and Chassis sections, where the identity is read from. */
function withSerial(dmidecode: string, serial: string): string {
  return dmidecode
    .split(/\n(?=Handle )/)
    .map((block) => (/\n(System|Chassis) Information\n/.test(block) ? block.replace(/^(\s+Serial Number:).*$/m, `$1 ${serial}`) : block))
    .join('\n');
}

function ipLink(macs: readonly string[]): Record<string, unknown>[] {
  return macs.map((mac, index) => ({
    ifindex: index + 2,
    ifname: `eno${index + 1}`,
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    mtu: 1500,
    operstate: 'UP',
    link_type: 'ether',
    address: mac,
    broadcast: 'ff:ff:ff:ff:ff:ff',
  }));
}

function lsblk(spec: ReportSpec): Record<string, unknown> {
  const disks = spec.disks ?? [1, 2].map((n) => ({ name: `sd${'ab'[n - 1]}`, sizeBytes: 480_103_981_056, serial: `${spec.serial}-D${n}` }));
  return {
    blockdevices: disks.map((disk) => ({ name: disk.name, path: `/dev/${disk.name}`, type: 'disk', size: disk.sizeBytes, rota: false, tran: 'sata', model: 'SSDSC2KB480G8R', serial: disk.serial, wwn: null })),
  };
}

function ipmiLanPrint(spec: ReportSpec): string {
  return [
    'Set in Progress         : Set Complete',
    'IP Address Source       : DHCP Address',
    `IP Address              : ${spec.bmcAddress ?? '10.10.0.10'}`,
    'Subnet Mask             : 255.255.255.0',
    `MAC Address             : ${spec.bmcMac ?? '00:00:00:00:00:00'}`,
    'Default Gateway IP      : 10.10.0.1',
  ].join('\n');
}

/** A report as the discovery agent would send it from the machine in `spec.fixture`. */
export function buildHardwareReport(spec: ReportSpec, root = hardwareFixtureRoot()): HardwareReport {
  const dir = join(root, spec.fixture);
  const lspciPath = join(dir, 'lspci.txt');
  const sections: HardwareReport['sections'] = {
    dmidecode: withSerial(readFileSync(join(dir, 'dmidecode.txt'), 'utf8'), spec.serial),
    ipLink: ipLink(spec.macs),
    lsblk: lsblk(spec),
    efi: { uefi: true, secureBoot: false },
  };
  if (existsSync(lspciPath)) sections.lspci = readFileSync(lspciPath, 'utf8');
  if (spec.bmcMac) sections.ipmiLan = ipmiLanPrint(spec);
  return { version: 1, agent: { version: '1.0.0' }, collectedAt: '2026-01-01T00:00:00Z', sections };
}

/** Distinct, stable MACs for machine number `index` (locally administered, so never a real vendor's). */
export function macsFor(index: number, count = 2): string[] {
  return Array.from({ length: count }, (_, port) => {
    const value = index * 16 + port;
    const bytes = [0x02, 0x50, (value >> 24) & 0xff, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
    return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
  });
}
