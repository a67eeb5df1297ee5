import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { normaliseReport } from './normalise.js';
import type { HardwareReport, ReportSections } from './report-schema.js';

const FIXTURES = path.resolve('tests/fixtures/hardware');

function report(sections: ReportSections): HardwareReport {
  return { version: 1, agent: { version: 'test' }, collectedAt: '2026-01-01T00:00:00Z', sections };
}

describe('normaliseReport', () => {
  it('gives an empty inventory with an unknown boot mode for a report with no sections', () => {
    const { inventory, warnings } = normaliseReport(report({}));
    expect(warnings).toEqual([]);
    expect(inventory.cpus).toEqual([]);
    expect(inventory.memory).toEqual({ totalBytes: 0, dimms: [], emptySlots: 0 });
    expect(inventory.boot).toEqual({ mode: 'unknown' });
    expect(inventory.identity).toMatchObject({ id: '', source: 'mac' });
  });

  it('warns about sections whose content makes no sense, without throwing', () => {
    const { inventory, warnings } = normaliseReport(
      report({ dmidecode: 'garbage\n\x00\x01', lspci: 'not lspci', meminfo: 'nothing', ipmiLan: '???', lsblk: { blockdevices: 'no' }, lscpu: { lscpu: 7 } }),
    );
    expect(warnings.map((warning) => warning.split(':')[0]).sort()).toEqual(['dmidecode', 'ipmiLan', 'lscpu', 'lspci', 'meminfo']);
    expect(inventory.disks).toEqual([]);
  });

  it('never throws on a real dump cut at any point', async () => {
    const dmidecode = await readFile(path.join(FIXTURES, 'dell/poweredge-r640/8885D8B6E2FE/dmidecode.txt'), 'utf8');
    const lspci = await readFile(path.join(FIXTURES, 'gigabyte-technology/g242-z11-00/B5251D581093/lspci.txt'), 'utf8');
    for (let cut = 0; cut < 40; cut += 1) {
      const at = (cut * 7919) % dmidecode.length;
      expect(() => normaliseReport(report({ dmidecode: dmidecode.slice(0, at), lspci: lspci.slice(0, (cut * 4099) % lspci.length) }))).not.toThrow();
    }
  });

  it('takes CPUs from lscpu and memory from meminfo when dmidecode is missing', () => {
    const lscpu = {
      lscpu: [
        { field: 'Vendor ID:', data: 'AuthenticAMD' },
        { field: 'Model name:', data: 'AMD EPYC 7742 64-Core Processor', children: [{ field: 'Socket(s):', data: '2' }] },
        { field: 'Core(s) per socket:', data: '64' },
        { field: 'Thread(s) per core:', data: '2' },
        { field: 'Flags:', data: 'fpu sse2 avx2 fpu' },
      ],
    };
    const { inventory } = normaliseReport(report({ lscpu, meminfo: 'MemTotal:       527958016 kB\nMemFree: 1 kB\n' }));
    expect(inventory.cpus).toHaveLength(2);
    expect(inventory.cpus[0]).toMatchObject({ model: 'AMD EPYC 7742 64-Core Processor', cores: 64, threads: 128 });
    expect(inventory.cpuFlags).toEqual(['avx2', 'fpu', 'sse2']);
    expect(inventory.memory.totalBytes).toBe(527958016 * 1024);
  });

  it('joins each physical NIC with its ethtool facts and LLDP neighbour, and leaves virtual ones out', () => {
    const ipLink = [
      { ifname: 'eno1', link_type: 'ether', address: '3c:fd:fe:00:00:01', operstate: 'UP', parentbus: 'pci' },
      { ifname: 'br0', link_type: 'ether', address: '3c:fd:fe:00:00:01', operstate: 'UP', linkinfo: { info_kind: 'bridge' } },
      { ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00' },
    ];
    const lldp = { lldp: { interface: { eno1: { chassis: { 'par1-b07-tor1': {} }, port: { id: { type: 'ifname', value: 'swp3' } } } } } };
    const { inventory } = normaliseReport(report({ ipLink, ethtool: { eno1: '\tSpeed: 25000Mb/s\n\tLink detected: yes\ndriver: ice\n' }, lldp }));
    expect(inventory.nics).toEqual([
      { name: 'eno1', mac: '3c:fd:fe:00:00:01', driver: 'ice', speedMbps: 25000, link: true, lldp: { switchName: 'par1-b07-tor1', portId: 'swp3' } },
    ]);
    expect(inventory.identity).toEqual({ id: '3c:fd:fe:00:00:01', source: 'mac', placeholdersSkipped: expect.any(Array) });
  });

  it('reads the boot mode and Secure Boot state', () => {
    expect(normaliseReport(report({ efi: { uefi: true, secureBoot: true } })).inventory.boot).toEqual({ mode: 'uefi', secureBoot: true });
    expect(normaliseReport(report({ efi: { uefi: true, secureBoot: null } })).inventory.boot).toEqual({ mode: 'uefi' });
    expect(normaliseReport(report({ efi: { uefi: false } })).inventory.boot).toEqual({ mode: 'bios' });
  });

  it('reads whole disks from lsblk and classifies them', () => {
    const lsblk = {
      blockdevices: [
        { name: 'sda', path: '/dev/sda', type: 'disk', size: 4000787030016, rota: true, tran: 'sata', model: 'ST4000NM0035', serial: 'ZC1', wwn: '0x5000c500a1b2c3d4' },
        { name: 'nvme0n1', type: 'disk', size: '960197124096', rota: '0', tran: 'nvme', model: 'SAMSUNG MZQL2960HCJR', serial: 'S64F' },
        { name: 'sr0', type: 'rom', size: 1073741312 },
        { name: 'zram0', type: 'disk', size: 0 },
      ],
    };
    const { inventory } = normaliseReport(report({ lsblk }));
    expect(inventory.disks.map((disk) => [disk.name, disk.type, disk.sizeBytes, disk.path])).toEqual([
      ['sda', 'hdd', 4000787030016, '/dev/sda'],
      ['nvme0n1', 'nvme', 960197124096, '/dev/nvme0n1'],
    ]);
  });
});
