import { BmcError } from '../errors.js';
import type { BmcInfo, BootSetting, PowerState } from '../types.js';

function protocolError(what: string, output: string): BmcError {
  return new BmcError('BMC_PROTOCOL', `could not read ${what} from ipmitool output`, {
    details: { output: output.slice(0, 200) },
  });
}

/** `Chassis Power is on|off` (from `power status`). */
export function parsePowerStatus(stdout: string): PowerState {
  const match = /Chassis Power is (on|off)/i.exec(stdout);
  if (!match?.[1]) throw protocolError('the power state', stdout);
  return match[1].toLowerCase() as PowerState;
}

/**
 * The line ipmitool prints once the BMC accepted a power or boot-device command (`Chassis Power Control: Up/On`,
 * `Set Boot Device to pxe`); failures go to stderr instead.
 */
export function parseActionDone(stdout: string): string {
  const match = /^(Chassis Power Control: .+|Set Boot Device to .+)$/m.exec(stdout);
  if (!match?.[1]) throw protocolError('the outcome of the command', stdout);
  return match[1];
}

/** IPMI boot-flags device selector (parameter 5, data byte 2, bits 5:2). */
const DEVICE_SELECTORS: Record<number, BootSetting['device']> = { 0: 'none', 1: 'pxe', 2: 'disk' };

/**
 * Decodes `chassis bootparam get 5` from its raw data bytes rather than its prose.
 * Byte 1: bit 7 "flags valid", bit 6 persistent, bit 5 EFI. When a BMC clears the valid bit it does not keep the
 * persistent/EFI bits either (ipmi_sim drops them), so they are reported only when the valid bit is set.
 */
export function parseBootFlags(stdout: string): BootSetting {
  const match = /Boot parameter data:\s*([0-9a-f]{4,})/i.exec(stdout);
  if (!match?.[1]) throw protocolError('the boot flags', stdout);
  const byte0 = Number.parseInt(match[1].slice(0, 2), 16);
  const byte1 = Number.parseInt(match[1].slice(2, 4), 16);
  const device = DEVICE_SELECTORS[(byte1 >> 2) & 0x0f] ?? 'other';
  if ((byte0 & 0x80) === 0) return { device };
  return { device, persistent: (byte0 & 0x40) !== 0, efi: (byte0 & 0x20) !== 0 };
}

function readFields(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key !== '' && value !== '' && !fields.has(key)) fields.set(key, value);
  }
  return fields;
}

/** `mc info` plus, when given, `mc guid`. */
export function parseMcInfo(mcInfo: string, mcGuid = ''): BmcInfo {
  const info = readFields(mcInfo);
  const guid = readFields(mcGuid);
  if (!info.has('Manufacturer ID') && !info.has('Firmware Revision')) throw protocolError('the BMC identity', mcInfo);
  const manufacturer = info.get('Manufacturer Name') ?? info.get('Manufacturer ID');
  const product = info.get('Product Name');
  const model = product === undefined || product.startsWith('Unknown') ? info.get('Product ID') : product;
  return {
    protocol: 'ipmi',
    ...(manufacturer === undefined ? {} : { manufacturer }),
    ...(model === undefined ? {} : { model }),
    ...(info.has('Firmware Revision') ? { firmwareVersion: info.get('Firmware Revision') } : {}),
    ...(guid.has('System GUID') ? { guid: guid.get('System GUID') } : {}),
  };
}
