import { describe, expect, it } from '@jest/globals';
import { runCommand } from '../../lib/command.js';
import { LSBLK_COMMAND, parseLsblk } from './lsblk.js';

describe('parseLsblk', () => {
  it('reads the output of the real lsblk on this machine', async () => {
    const [file, ...args] = LSBLK_COMMAND.split(' ');
    const result = await runCommand(file as string, args);
    expect(result.exitCode).toBe(0);

    const disks = parseLsblk(result.stdout);

    expect(disks.length).toBeGreaterThan(0);
    for (const disk of disks) {
      expect(disk.name).not.toBe('');
      expect(Number.isSafeInteger(disk.sizeBytes)).toBe(true);
    }
  });

  it('accepts the string-typed columns of older util-linux and sees mounted partitions', () => {
    const text = JSON.stringify({
      blockdevices: [
        {
          name: 'sda', kname: 'sda', type: 'disk', size: '480103981056', model: 'INTEL SSDSC2KB48  ', serial: 'BTYF0001',
          wwn: '0x55cd2e414e2a1b3c', rota: '0', ro: '0', rm: '0', mountpoint: null,
          children: [{ name: 'sda1', type: 'part', size: '1048576', mountpoint: '/boot' }],
        },
      ],
    });

    expect(parseLsblk(text)).toEqual([
      {
        name: 'sda', path: '/dev/sda', type: 'disk', sizeBytes: 480103981056, model: 'INTEL SSDSC2KB48', vendor: null,
        serial: 'BTYF0001', wwn: '0x55cd2e414e2a1b3c', rotational: false, readOnly: false, removable: false, inUse: true,
      },
    ]);
  });

  it('fails with IMAGE_DISK_LIST on output that is not a listing', () => {
    expect(() => parseLsblk('lsblk: unknown column')).toThrow(expect.objectContaining({ code: 'IMAGE_DISK_LIST' }));
    expect(() => parseLsblk('{"blockdevices":[{"name":"sda"}]}')).toThrow(expect.objectContaining({ code: 'IMAGE_DISK_LIST' }));
  });
});
