import { toMacKey } from '../lib/mac-address.js';
import type { IdentitySource, InventoryIdentity } from './types.js';

/**
 * Chooses a machine's stable identity. The chassis serial comes first because it is what is printed on the
 * box and what a replacement board keeps; then the system serial, the board serial, the system UUID, and
 * last the lowest permanent MAC (the lowest, not the first by interface name, because names change with
 * the live system's naming scheme while the set of MACs does not).
 * Vendors fill unset fields with placeholders ("To Be Filled By O.E.M.", "--", all zeros); those are skipped
 * and listed, so an operator can see why, say, a MAC was used.
 */
export interface IdentityFacts {
  chassisSerial: string;
  systemSerial: string;
  boardSerial: string;
  systemUuid: string;
  macs: readonly string[];
}

const PLACEHOLDERS = new Set(
  [
    'to be filled by o.e.m.',
    'to be filled by oem',
    'default string',
    'system serial number',
    'chassis serial number',
    'base board serial number',
    'board serial number',
    'serial number',
    'not specified',
    'not available',
    'not applicable',
    'not present',
    'not settable',
    'n/a',
    'na',
    'none',
    'null',
    'unknown',
    'invalid',
    'empty',
    'default',
    'oem',
    'o.e.m.',
    '0123456789',
    '123456789',
    '1234567890',
    '$serialnumber$',
  ].map((value) => value.replace(/[\s_]+/g, ' ')),
);

/** True when a firmware string carries no identity: empty, a known filler text, or one character repeated. */
export function isPlaceholder(value: string): boolean {
  const normalised = value.trim().toLowerCase().replace(/[\s_]+/g, ' ');
  if (normalised === '') return true;
  if (PLACEHOLDERS.has(normalised)) return true;
  // "--", "0000000000", "FFFFFFFF-FFFF-...", "XXXXXXXX": one symbol repeated, separators aside.
  const symbols = normalised.replace(/[-\s.:]/g, '');
  return symbols === '' || /^(.)\1*$/.test(symbols);
}

export function chooseIdentity(facts: IdentityFacts): InventoryIdentity {
  const candidates: [IdentitySource, string][] = [
    ['chassis-serial', facts.chassisSerial],
    ['system-serial', facts.systemSerial],
    ['board-serial', facts.boardSerial],
    ['system-uuid', facts.systemUuid.toLowerCase()],
  ];
  const placeholdersSkipped: string[] = [];
  for (const [source, value] of candidates) {
    if (!isPlaceholder(value)) return { id: value.trim(), source, placeholdersSkipped };
    placeholdersSkipped.push(`${source}: ${JSON.stringify(value.trim())}`);
  }
  const macs = facts.macs.filter((mac) => !isPlaceholder(mac)).map(toMacKey).sort();
  return { id: macs[0] ?? '', source: 'mac', placeholdersSkipped };
}
