import { describe, expect, it } from '@jest/globals';
import { parseBmcAddress } from './address.js';
import { BmcError } from './errors.js';

function codeOf(address: string): string | undefined {
  try {
    parseBmcAddress(address);
    return undefined;
  } catch (error) {
    return error instanceof BmcError ? error.code : 'not-a-bmc-error';
  }
}

describe('parseBmcAddress', () => {
  it('reads ipmi:// with and without a port', () => {
    expect(parseBmcAddress('ipmi://10.0.0.5')).toEqual({ protocol: 'ipmi', host: '10.0.0.5', port: 623 });
    expect(parseBmcAddress('ipmi://127.0.0.1:9001')).toEqual({ protocol: 'ipmi', host: '127.0.0.1', port: 9001 });
    expect(parseBmcAddress('ipmi://[fd00::5]:6230')).toEqual({ protocol: 'ipmi', host: 'fd00::5', port: 6230 });
  });

  it('reads redfish+https:// and redfish:// with the system path', () => {
    expect(parseBmcAddress('redfish+https://bmc.example:8443/redfish/v1/Systems/1/')).toEqual({
      protocol: 'redfish',
      host: 'bmc.example',
      port: 8443,
      origin: 'https://bmc.example:8443',
      systemPath: '/redfish/v1/Systems/1',
    });
    expect(parseBmcAddress('redfish://10.1.2.3/redfish/v1/Systems/System.Embedded.1')).toMatchObject({
      port: 443,
      origin: 'https://10.1.2.3:443',
    });
  });

  it('refuses bad addresses with a stable code', () => {
    expect(codeOf('not a url')).toBe('BMC_ADDRESS');
    expect(codeOf('ipmi://admin:secret@10.0.0.5')).toBe('BMC_ADDRESS');
    expect(codeOf('ipmi://10.0.0.5/path')).toBe('BMC_ADDRESS');
    expect(codeOf('redfish+https://10.0.0.5/')).toBe('BMC_ADDRESS');
    expect(codeOf('redfish+https://10.0.0.5/redfish/v1/Systems/1?x=1')).toBe('BMC_ADDRESS');
    expect(codeOf('idrac://10.0.0.5')).toBe('BMC_UNSUPPORTED');
  });

  it('never echoes a password given inside the URL', () => {
    let message = '';
    try {
      parseBmcAddress('ipmi://admin:hunter2@10.0.0.5');
    } catch (error) {
      message = `${(error as Error).message} ${JSON.stringify((error as BmcError).details)}`;
    }
    expect(message).toContain('credentials must not be part of the URL');
    expect(message).not.toContain('hunter2');
  });
});
