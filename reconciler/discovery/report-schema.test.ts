import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { REPORT_SCHEMA_FILE, renderReportSchema } from './write-report-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function compileSchema() {
  const schema: unknown = JSON.parse(await readFile(path.join(root, REPORT_SCHEMA_FILE), 'utf8'));
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(schema as object);
}

const minimal = { version: 1, agent: { version: '1' }, collectedAt: '2026-01-01T00:00:00Z', sections: {} };

describe('schemas/hardware-report.json', () => {
  it('equals the schema generated from the TypeBox source', async () => {
    const onDisk = await readFile(path.join(root, REPORT_SCHEMA_FILE), 'utf8');
    expect(onDisk).toBe(renderReportSchema());
  });

  it('describes every property, for editors and the API documentation', async () => {
    const schema: unknown = JSON.parse(await readFile(path.join(root, REPORT_SCHEMA_FILE), 'utf8'));
    const undescribed: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (where !== '' && typeof record.description !== 'string') undescribed.push(where);
      for (const key of ['properties', 'patternProperties'] as const) {
        for (const [name, child] of Object.entries((record[key] ?? {}) as Record<string, unknown>)) visit(child, `${where}/${name}`);
      }
      if (record.items !== undefined) visit(record.items, `${where}/items`);
    };
    visit(schema, '');
    expect(undescribed).toEqual([]);
  });

  it('compiles in ajv strict mode and accepts a report with every section', async () => {
    const validate = await compileSchema();
    const report = {
      ...minimal,
      agent: { version: '1', bootId: '0f5c8a52-6a5e-4ab8-9a3c-9d9f0d9c1e2a' },
      sections: {
        dmidecode: '# dmidecode 3.4\n',
        lspci: '00:00.0 Host bridge [0600]: Intel Corporation Device [8086:2020]\n',
        lsblk: { blockdevices: [] },
        ipAddr: [{ ifname: 'eth0' }],
        ipLink: [{ ifname: 'eth0' }],
        ethtool: { eth0: 'Speed: 1000Mb/s\n' },
        lldp: { lldp: {} },
        ipmiLan: 'IP Address : 10.0.0.5\n',
        lscpu: { lscpu: [] },
        cpuinfo: 'processor : 0\n',
        meminfo: 'MemTotal: 1024 kB\n',
        efi: { uefi: true, secureBoot: null },
        sshHostKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOmb root@live'],
      },
    };
    expect(validate(report)).toBe(true);
  });

  it('rejects an unknown top-level property and an unknown section', async () => {
    const validate = await compileSchema();
    expect(validate({ ...minimal, extra: 1 })).toBe(false);
    expect(validate({ ...minimal, sections: { smartctl: 'x' } })).toBe(false);
    expect(validate.errors?.[0]?.keyword).toBe('additionalProperties');
  });

  it('accepts the installed system\'s os section and nothing looser', async () => {
    const validate = await compileSchema();
    expect(validate({ ...minimal, os: { bootedFrom: 'disk', image: 'debian-12' } })).toBe(true);
    expect(validate({ ...minimal, os: { bootedFrom: 'network' } })).toBe(false);
    expect(validate({ ...minimal, os: { bootedFrom: 'disk', kernel: '6.1' } })).toBe(false);
    expect(validate({ ...minimal, os: { bootedFrom: 'disk', image: 'a b' } })).toBe(false);
  });

  it('rejects wrong types and an interface name that is not one', async () => {
    const validate = await compileSchema();
    expect(validate({ ...minimal, version: 2 })).toBe(false);
    expect(validate({ ...minimal, sections: { dmidecode: 42 } })).toBe(false);
    expect(validate({ ...minimal, sections: { ethtool: { 'eth0; rm -rf /': 'x' } } })).toBe(false);
    expect(validate({ ...minimal, collectedAt: 'yesterday' })).toBe(false);
  });
});
