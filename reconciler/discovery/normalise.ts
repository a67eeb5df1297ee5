import { chooseIdentity } from '../inventory/identity.js';
import { selectGpus } from '../inventory/gpus.js';
import type { Inventory, InventoryCpu, InventoryPciDevice, LldpNeighbour } from '../inventory/types.js';
import { describeError } from '../lib/errors.js';
import { buildDmiInventory, DMI_INVENTORY_SELECTION, type DmiInventory } from './dmi-inventory.js';
import { buildNics } from './nic-inventory.js';
import { parseCpuinfo, parseLscpu, type KernelCpuFacts } from './parse/cpu.js';
import { parseDmidecode } from './parse/dmidecode.js';
import { parseEthtool, type EthtoolFacts } from './parse/ethtool.js';
import { parseIpInterfaces } from './parse/ip-link.js';
import { parseIpmiLan } from './parse/ipmi-lan.js';
import { parseLldp } from './parse/lldp.js';
import { parseLsblk } from './parse/lsblk.js';
import { parseLspci, type PciFunction } from './parse/lspci.js';
import { parseMemTotal } from './parse/meminfo.js';
import type { HardwareReport, ReportSections } from './report-schema.js';

export interface NormalisedReport {
  inventory: Inventory;
  /** One line per section that was present but could not be read; the inventory then lacks its facts. */
  warnings: string[];
}

/**
 * Turns a hardware report's raw sections into the normalised inventory. Pure, and total: odd content in a
 * section yields empty data for that section and a warning, never an exception, because a report from a
 * machine with a strange firmware must still enrol it.
 * Example: `normaliseReport(report).inventory.memory.totalBytes`.
 */
export function normaliseReport(report: HardwareReport): NormalisedReport {
  const warnings: string[] = [];
  const parsed = parseSections(report.sections, warnings);
  const nics = buildNics(parsed.interfaces, parsed.ethtool, parsed.lldp);
  const { dmi, lscpu, cpuinfo } = parsed;
  const dimmTotal = dmi.dimms.reduce((sum, dimm) => sum + dimm.sizeBytes, 0);
  const inventory: Inventory = {
    system: dmi.system,
    baseboard: dmi.baseboard,
    chassis: dmi.chassis,
    bios: dmi.bios,
    // dmidecode knows empty sockets and per-socket models; the kernel's view is the fallback.
    cpus: dmi.cpus.length > 0 ? dmi.cpus : cpusFromKernel(lscpu ?? cpuinfo),
    emptyCpuSockets: dmi.emptyCpuSockets,
    cpuFlags: lscpu?.flags.length ? lscpu.flags : (cpuinfo?.flags ?? []),
    memory: { totalBytes: dimmTotal > 0 ? dimmTotal : (parsed.memTotal ?? 0), dimms: dmi.dimms, emptySlots: dmi.emptyMemorySlots },
    disks: parsed.disks,
    nics,
    pciDevices: parsed.pci,
    gpus: selectGpus(parsed.pci),
    bmc: parsed.bmc,
    boot: readBoot(report.sections.efi),
    sshHostKeys: [...(report.sections.sshHostKeys ?? [])],
    identity: chooseIdentity({
      chassisSerial: dmi.chassis.serialNumber,
      systemSerial: dmi.system.serialNumber,
      boardSerial: dmi.baseboard.serialNumber,
      systemUuid: dmi.system.uuid,
      macs: nics.map((nic) => nic.mac),
    }),
    ...(report.os ? { os: { ...report.os } } : {}),
  };
  return { inventory, warnings };
}

/** Parses every section on its own, so that one unreadable section costs only its own facts. */
function parseSections(sections: ReportSections, warnings: string[]) {
  const attempt = <T>(section: keyof ReportSections, fallback: T, read: () => T, isEmpty: (value: T) => boolean = () => false): T => {
    if (sections[section] === undefined) return fallback;
    try {
      const value = read();
      if (isEmpty(value)) warnings.push(`${section}: the section holds nothing that could be parsed`);
      return value;
    } catch (error) {
      warnings.push(`${section}: could not be parsed (${describeError(error)})`);
      return fallback;
    }
  };
  const interfaces = attempt('ipLink', [], () => parseIpInterfaces(sections.ipLink, sections.ipAddr));
  return {
    dmi: attempt('dmidecode', buildDmiInventory([]), () => buildDmiInventory(parseDmidecode(sections.dmidecode ?? '', DMI_INVENTORY_SELECTION)), isEmptyDmi),
    pci: attempt('lspci', [], () => parseLspci(sections.lspci ?? ''), (value) => value.length === 0).map(toPciDevice),
    disks: attempt('lsblk', [], () => parseLsblk(sections.lsblk)),
    interfaces: interfaces.length > 0 ? interfaces : attempt('ipAddr', [], () => parseIpInterfaces(undefined, sections.ipAddr)),
    ethtool: attempt('ethtool', new Map<string, EthtoolFacts>(), () => readEthtool(sections.ethtool ?? {})),
    lldp: attempt('lldp', new Map<string, LldpNeighbour>(), () => parseLldp(sections.lldp)),
    bmc: attempt('ipmiLan', {}, () => parseIpmiLan(sections.ipmiLan ?? ''), (value) => Object.keys(value).length === 0),
    lscpu: attempt('lscpu', undefined, () => parseLscpu(sections.lscpu), (value) => value?.model === undefined),
    cpuinfo: attempt('cpuinfo', undefined, () => parseCpuinfo(sections.cpuinfo ?? ''), (value) => value?.flags.length === 0),
    memTotal: attempt('meminfo', undefined, () => parseMemTotal(sections.meminfo ?? ''), (value) => value === undefined),
  };
}

function isEmptyDmi(value: DmiInventory): boolean {
  return value.system.productName === '' && value.cpus.length === 0 && value.dimms.length === 0;
}

function readEthtool(sections: Record<string, string>): Map<string, EthtoolFacts> {
  return new Map(Object.entries(sections).map(([name, text]) => [name, parseEthtool(text)]));
}

function toPciDevice(device: PciFunction): InventoryPciDevice {
  return { ...device };
}

/** Without dmidecode, the kernel's view gives one entry per socket, all alike. */
function cpusFromKernel(facts: KernelCpuFacts | undefined): InventoryCpu[] {
  if (facts?.model === undefined) return [];
  const sockets = facts.sockets ?? 1;
  return Array.from({ length: sockets }, (_, index) => {
    const cpu: InventoryCpu = {
      socket: `socket ${index}`,
      manufacturer: facts.vendor ?? '',
      model: facts.model ?? '',
      cores: facts.coresPerSocket ?? 0,
      threads: facts.threadsPerSocket ?? facts.coresPerSocket ?? 0,
    };
    if (facts.speedMHz !== undefined) cpu.speedMHz = facts.speedMHz;
    return cpu;
  });
}

function readBoot(efi: ReportSections['efi']): Inventory['boot'] {
  if (efi === undefined) return { mode: 'unknown' };
  const boot: Inventory['boot'] = { mode: efi.uefi ? 'uefi' : 'bios' };
  if (typeof efi.secureBoot === 'boolean') boot.secureBoot = efi.secureBoot;
  return boot;
}
