import type { Inventory } from '../../reconciler/inventory/types.js';

const GIB = 1024 ** 3;

/** A plausible two-socket server inventory for store and enrolment tests; override what the test is about. */
export function sampleInventory(serial: string, overrides: Partial<Inventory> = {}): Inventory {
  const suffix = serial.replace(/[^0-9a-f]/gi, '').slice(-4).padStart(4, '0').toLowerCase();
  return {
    system: { manufacturer: 'Dell Inc.', productName: 'PowerEdge R640', serialNumber: serial, uuid: `4c4c4544-0000-1000-8000-00000000${suffix}` },
    baseboard: { manufacturer: 'Dell Inc.', productName: '0W23H8', serialNumber: `/${serial}/CN1` },
    chassis: { serialNumber: serial, type: 'Rack Mount Chassis' },
    bios: { vendor: 'Dell Inc.', version: '2.10.2', releaseDate: '02/24/2021' },
    cpus: [0, 1].map((index) => ({ socket: `CPU${index + 1}`, manufacturer: 'Intel', model: 'Intel(R) Xeon(R) Silver 4114 CPU @ 2.20GHz', cores: 10, threads: 20 })),
    emptyCpuSockets: 0,
    cpuFlags: ['avx2', 'avx512f'],
    memory: {
      totalBytes: 16 * 16 * GIB,
      dimms: Array.from({ length: 16 }, (_, index) => ({ locator: `A${index + 1}`, sizeBytes: 16 * GIB, type: 'DDR4' })),
      emptySlots: 8,
    },
    disks: [
      { name: 'sda', path: '/dev/sda', sizeBytes: 480e9, rotational: false, type: 'ssd', model: 'SSDSC2KB480G8R', serial: `D-${serial}-1`, wwn: '' },
      { name: 'sdb', path: '/dev/sdb', sizeBytes: 480e9, rotational: false, type: 'ssd', model: 'SSDSC2KB480G8R', serial: `D-${serial}-2`, wwn: '' },
    ],
    nics: [
      { name: 'eno1', mac: `f8:bc:12:00:${suffix.slice(0, 2)}:${suffix.slice(2)}`, speedMbps: 10000, link: true },
      { name: 'eno2', mac: `f8:bc:12:01:${suffix.slice(0, 2)}:${suffix.slice(2)}`, speedMbps: 10000, link: true },
    ],
    pciDevices: [],
    gpus: [],
    bmc: { address: '10.0.0.10', mac: `f8:bc:12:ff:${suffix.slice(0, 2)}:${suffix.slice(2)}` },
    boot: { mode: 'uefi', secureBoot: false },
    sshHostKeys: [],
    identity: { id: serial, source: 'chassis-serial', placeholdersSkipped: [] },
    ...overrides,
  };
}
