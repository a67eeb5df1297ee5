import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { parseLspci } from './lspci.js';

const VERBOSE = [
  '18:00.0 3D controller [0302]: NVIDIA Corporation GP100GL [Tesla P100 SXM2 16GB] [10de:15f9] (rev a1)',
  '\tSubsystem: NVIDIA Corporation GP100GL [Tesla P100 SXM2 16GB] [10de:116b]',
  '\tKernel driver in use: nvidia',
  '',
  '0003:02:00.0 VGA compatible controller [0300]: ASPEED Technology, Inc. ASPEED Graphics Family [1a03:2000] (rev 41) (prog-if 00 [VGA controller])',
  '\tSubsystem: ASRock Incorporation ASPEED Graphics Family [1849:2000]',
  '',
].join('\n');

// The same two functions as `lspci -nnmm` prints them (with -D for the domain on the second).
const MACHINE = [
  '18:00.0 "3D controller [0302]" "NVIDIA Corporation [10de]" "GP100GL [Tesla P100 SXM2 16GB] [15f9]" -ra1 "NVIDIA Corporation [10de]" "GP100GL [Tesla P100 SXM2 16GB] [116b]"',
  '0003:02:00.0 "VGA compatible controller [0300]" "ASPEED Technology, Inc. [1a03]" "ASPEED Graphics Family [2000]" -r41 -p00 "ASRock Incorporation [1849]" "ASPEED Graphics Family [2000]"',
  '',
].join('\n');

const ids = (text: string) =>
  parseLspci(text).map(({ address, vendorId, deviceId, class: classCode, subsystemVendorId, subsystemDeviceId }) => ({
    address,
    vendorId,
    deviceId,
    classCode,
    subsystemVendorId,
    subsystemDeviceId,
  }));

describe('parseLspci', () => {
  it('reads ids, class, subsystem and driver from -vvnn, adding the PCI domain', () => {
    const [gpu] = parseLspci(VERBOSE);
    expect(gpu).toEqual({
      address: '0000:18:00.0',
      vendorId: '10de',
      deviceId: '15f9',
      class: '0302',
      className: '3D controller',
      description: 'NVIDIA Corporation GP100GL [Tesla P100 SXM2 16GB]',
      subsystemVendorId: '10de',
      subsystemDeviceId: '116b',
      driver: 'nvidia',
    });
  });

  it('reads the same ids from -nnmm, with vendor and device names apart', () => {
    expect(ids(MACHINE)).toEqual(ids(VERBOSE));
    expect(parseLspci(MACHINE)[1]).toMatchObject({ vendorName: 'ASPEED Technology, Inc.', deviceName: 'ASPEED Graphics Family' });
  });

  it('agrees between -nnmm and -vvnn on this machine when lspci is installed', async () => {
    const machine = await execa('lspci', ['-nnmm'], { reject: false }).catch(() => undefined);
    if (machine === undefined || machine.exitCode !== 0) {
      console.warn('skipped: lspci is not installed here');
      return;
    }
    const verbose = await execa('lspci', ['-vvnn']);
    expect(ids(String(machine.stdout)).map((device) => device.address)).toEqual(ids(String(verbose.stdout)).map((device) => device.address));
  });
});
