import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DMI_INVENTORY_SELECTION } from '../dmi-inventory.js';
import { parseDmidecode, type DmiRecord, type DmiSelection } from './dmidecode.js';
import { hardwareFixtureRoot, listHardwareFixtures } from '../../../tests/support/hardware-report.js';

const SAMPLE = [
  '# dmidecode 3.4',
  'Handle 0x0001, DMI type 1, 27 bytes',
  'System Information',
  '\tManufacturer: Dell Inc.',
  '\tProduct Name: PowerEdge R640 ',
  '\tAsset Tag: 42',
  '',
  'Handle 0x0400, DMI type 4, 48 bytes',
  'Processor Information',
  '\tVersion: Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz',
  '\tFlags:',
  '\t\tFPU (Floating-point unit on-chip)',
  '\t\tVME (Virtual mode extension)',
  '\tCore Count: 16',
  '',
  'Handle 0x0700, DMI type 7, 27 bytes',
  'Cache Information',
  '\tSocket Designation: L1 Cache',
  '',
].join('\n');

/** What a full parse holds of the selected types and fields: the selection must keep exactly that. */
function restrict(records: readonly DmiRecord[], selection: DmiSelection): DmiRecord[] {
  const pick = <T>(entries: Record<string, T>) => Object.fromEntries(Object.entries(entries).filter(([key]) => selection.fields.has(key)));
  return records.filter((record) => selection.types.has(record.type)).map((record) => ({ ...record, fields: pick(record.fields), lists: pick(record.lists) }));
}

describe('parseDmidecode', () => {
  it('reads every structure, its name, its trimmed fields and its lists', () => {
    const records = parseDmidecode(SAMPLE);
    expect(records.map((record) => [record.handle, record.type, record.name])).toEqual([
      ['0x0001', 1, 'System Information'],
      ['0x0400', 4, 'Processor Information'],
      ['0x0700', 7, 'Cache Information'],
    ]);
    expect(records[0]?.fields).toEqual({ Manufacturer: 'Dell Inc.', 'Product Name': 'PowerEdge R640', 'Asset Tag': '42' });
    expect(records[1]?.lists).toEqual({ Flags: ['FPU (Floating-point unit on-chip)', 'VME (Virtual mode extension)'] });
  });

  it('keeps only the selected structure types and fields, lists included', () => {
    const records = parseDmidecode(SAMPLE, { types: new Set([1, 4]), fields: new Set(['Product Name', 'Flags']) });
    expect(records).toEqual([
      { handle: '0x0001', type: 1, name: 'System Information', fields: { 'Product Name': 'PowerEdge R640' }, lists: {} },
      { handle: '0x0400', type: 4, name: 'Processor Information', fields: {}, lists: { Flags: ['FPU (Floating-point unit on-chip)', 'VME (Virtual mode extension)'] } },
    ]);
  });

  it('reads CRLF line ends as LF ones', () => {
    expect(parseDmidecode(SAMPLE.replace(/\n/g, '\r\n'))).toEqual(parseDmidecode(SAMPLE));
  });

  it('keeps of every real dump exactly what a full parse holds for the inventory selection', () => {
    const root = hardwareFixtureRoot();
    const fixtures = listHardwareFixtures(root);
    expect(fixtures.length).toBeGreaterThanOrEqual(45);
    for (const fixture of fixtures) {
      const text = readFileSync(`${root}/${fixture}/dmidecode.txt`, 'utf8');
      const selected = parseDmidecode(text, DMI_INVENTORY_SELECTION);
      expect({ fixture, records: selected }).toEqual({ fixture, records: restrict(parseDmidecode(text), DMI_INVENTORY_SELECTION) });
      expect(selected.length).toBeGreaterThan(0);
    }
  });
});
