import { describe, expect, it } from '@jest/globals';
import { BmcError } from '../errors.js';
import { classifyFailure, dropVerboseNoise } from './classify.js';
import { parseActionDone, parseBootFlags, parseMcInfo, parsePowerStatus } from './parse.js';

const BOOTPARAM = (data: string) => `Boot parameter version: 1\nBoot parameter 5 is valid/unlocked\nBoot parameter data: ${data}\n Boot Flags :\n`;

describe('ipmitool output parsing', () => {
  it('reads the power state', () => {
    expect(parsePowerStatus('Chassis Power is on\n')).toBe('on');
    expect(parsePowerStatus('Chassis Power is off\n')).toBe('off');
    expect(() => parsePowerStatus('garbage')).toThrow(BmcError);
  });

  it('recognises the line ipmitool prints when a power or boot command was accepted', () => {
    expect(parseActionDone('Chassis Power Control: Up/On\n')).toBe('Chassis Power Control: Up/On');
    expect(parseActionDone('Set Boot Device to pxe\n')).toBe('Set Boot Device to pxe');
    expect(() => parseActionDone('')).toThrow(BmcError);
    expect(() => parseActionDone('Chassis Power is on\n')).toThrow(BmcError);
  });

  it('decodes boot flags from the data bytes', () => {
    // ipmi_sim: valid bit clear, so persistent/EFI are not reported.
    expect(parseBootFlags(BOOTPARAM('0004000000'))).toEqual({ device: 'pxe' });
    expect(parseBootFlags(BOOTPARAM('0008000000'))).toEqual({ device: 'disk' });
    expect(parseBootFlags(BOOTPARAM('0000000000'))).toEqual({ device: 'none' });
    // A real BMC after `bootdev pxe options=efiboot,persistent`: valid + persistent + EFI.
    expect(parseBootFlags(BOOTPARAM('e004000000'))).toEqual({ device: 'pxe', persistent: true, efi: true });
    expect(parseBootFlags(BOOTPARAM('8008000000'))).toEqual({ device: 'disk', persistent: false, efi: false });
    expect(parseBootFlags(BOOTPARAM('8014000000'))).toEqual({ device: 'other', persistent: false, efi: false });
    expect(() => parseBootFlags('Boot parameter 5 is invalid')).toThrow(BmcError);
  });

  it('reads mc info and guid', () => {
    const info = 'Device ID                 : 32\nFirmware Revision         : 2.40\nManufacturer ID           : 674\nManufacturer Name         : DELL Inc\nProduct Name              : Unknown (0x100)\nProduct ID                : 256 (0x0100)\n';
    expect(parseMcInfo(info, 'System GUID   : 4c4c4544-0042-3010-8052-b4c04f4e4b32\n')).toEqual({
      protocol: 'ipmi',
      manufacturer: 'DELL Inc',
      model: '256 (0x0100)',
      firmwareVersion: '2.40',
      guid: '4c4c4544-0042-3010-8052-b4c04f4e4b32',
    });
  });
});

describe('ipmitool failure classification', () => {
  const failed = (stderr: string, timedOut = false) => ({ exitCode: timedOut ? -1 : 1, stdout: '', stderr, timedOut });

  it('tells a refused password from a dead BMC by the line before the session error', () => {
    const session = 'Error: Unable to establish IPMI v2 / RMCP+ session\n';
    expect(classifyFailure(failed(`Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\n${session}`), 'op', 'a').code).toBe('BMC_AUTH');
    expect(classifyFailure(failed(`RAKP 2 message indicates an error : unauthorized name\n${session}`), 'op', 'a').code).toBe('BMC_AUTH');
    expect(classifyFailure(failed(`Get Auth Capabilities error\n${session}`), 'op', 'a').code).toBe('BMC_UNREACHABLE');
    expect(classifyFailure(failed(`Error in open session response message : invalid authentication algorithm\n${session}`), 'op', 'a').code).toBe('BMC_UNSUPPORTED');
    expect(classifyFailure(failed('', true), 'op', 'a').code).toBe('BMC_TIMEOUT');
  });

  it('ignores the vendor-capability probe that -v prints on every call', () => {
    const stderr = 'Running Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Invalid command\nChassis Power Control: Unspecified error\n';
    expect(dropVerboseNoise(stderr)).toEqual(['Chassis Power Control: Unspecified error']);
    const error = classifyFailure(failed(stderr), 'chassis power soft', 'ipmi://b');
    expect(error.code).toBe('BMC_PROTOCOL');
    expect(error.transient).toBe(false);
  });
});
