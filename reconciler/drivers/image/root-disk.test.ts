import { describe, expect, it } from '@jest/globals';
import { selectRootDisk, type BlockDisk } from './root-disk.js';

const GiB = 1024 ** 3;

function disk(name: string, sizeGiB: number, extra: Partial<BlockDisk> = {}): BlockDisk {
  return {
    name,
    path: `/dev/${name}`,
    type: 'disk',
    sizeBytes: sizeGiB * GiB,
    model: 'SAMSUNG MZ7LH960',
    vendor: 'ATA',
    serial: `SN-${name}`,
    wwn: null,
    rotational: false,
    readOnly: false,
    removable: false,
    inUse: false,
    ...extra,
  };
}

describe('selectRootDisk', () => {
  const disks = [
    disk('sda', 960, { wwn: '0x5002538e00000003' }),
    disk('sdb', 480, { model: 'INTEL SSDSC2KB48  ', serial: 'BTYF0001' }),
    disk('nvme0n1', 3576, { model: 'Dell Ent NVMe', wwn: 'eui.36344730526001230025384500000001' }),
    disk('sdc', 8000, { rotational: true, model: 'ST8000NM0055' }),
  ];

  it('picks the smallest disk of at least 4 GiB when no hint is given', () => {
    const choice = selectRootDisk([...disks, disk('sdd', 2)]);

    expect(choice.ok && choice.disk.name).toBe('sdb');
  });

  it('matches the serial exactly', () => {
    expect(selectRootDisk(disks, { serial: 'SN-nvme0n1' })).toMatchObject({ ok: true, disk: { name: 'nvme0n1' } });
  });

  it('matches the model ignoring padding and case', () => {
    expect(selectRootDisk(disks, { model: 'intel ssdsc2kb48' })).toMatchObject({ ok: true, disk: { name: 'sdb' } });
  });

  it('matches a wwn with or without the 0x prefix', () => {
    expect(selectRootDisk(disks, { wwn: '5002538E00000003' })).toMatchObject({ ok: true, disk: { name: 'sda' } });
  });

  it('matches the size in whole GiB, as Ironic does', () => {
    expect(selectRootDisk(disks, { sizeGiB: 960 })).toMatchObject({ ok: true, disk: { name: 'sda' } });
  });

  it('matches a kernel name or a device path', () => {
    expect(selectRootDisk(disks, { name: '/dev/sdc' })).toMatchObject({ ok: true, disk: { name: 'sdc' } });
    expect(selectRootDisk(disks, { name: 'sdc' })).toMatchObject({ ok: true, disk: { name: 'sdc' } });
  });

  it('requires every hint to hold', () => {
    const choice = selectRootDisk(disks, { rotational: true, model: 'SAMSUNG MZ7LH960' });

    expect(choice.ok).toBe(false);
  });

  it('picks the smallest of several matching disks whatever their order', () => {
    const choice = selectRootDisk([...disks].reverse(), { vendor: 'ata', rotational: false });

    expect(choice.ok && choice.disk.name).toBe('sdb');
  });

  it('never picks a mounted, read-only or virtual block device, and says why', () => {
    const choice = selectRootDisk([
      disk('sda', 100, { inUse: true }),
      disk('sdb', 100, { readOnly: true }),
      disk('zram0', 100),
      disk('sr0', 1, { type: 'rom' }),
    ]);

    expect(choice).toEqual({
      ok: false,
      reasons: [
        { disk: 'sda', reason: 'mounted (in use by the running system)' },
        { disk: 'sdb', reason: 'read-only' },
        { disk: 'zram0', reason: 'type disk is not a physical disk' },
        { disk: 'sr0', reason: 'type rom is not a physical disk' },
      ],
    });
  });

  it('explains the first failing hint for each disk', () => {
    const choice = selectRootDisk(disks.slice(0, 2), { serial: 'BTYF0001', sizeGiB: 960 });

    expect(choice).toEqual({
      ok: false,
      reasons: [
        { disk: 'sda', reason: 'serial SN-sda is not BTYF0001' },
        { disk: 'sdb', reason: 'size 480 GiB is not 960 GiB' },
      ],
    });
  });
});
