import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { renderSchemas } from './write-schemas.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schemaDirectory = join(import.meta.dirname, '..', '..', 'schemas');

/** Every `properties` entry of a schema, with its JSON path, so that a missing description names its place. */
function listProperties(schema: unknown, path = '$'): { path: string; node: Record<string, unknown> }[] {
  if (Array.isArray(schema)) return schema.flatMap((item, index) => listProperties(item, `${path}[${index}]`));
  if (typeof schema !== 'object' || schema === null) return [];
  const found: { path: string; node: Record<string, unknown> }[] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [name, node] of Object.entries(value as Record<string, Record<string, unknown>>)) found.push({ path: `${path}.${name}`, node });
    }
    found.push(...listProperties(value, `${path}.${key}`));
  }
  return found;
}

describe('schemas/', () => {
  const generated = renderSchemas();

  it.each([...generated.keys()])('%s is committed exactly as the definitions generate it (run `npm run schemas`)', async (name) => {
    const committed = await readFile(join(schemaDirectory, name), 'utf8');
    expect(committed).toBe(generated.get(name));
  });

  it.each([...generated.keys()])('%s compiles with ajv in strict mode (draft 2020-12)', (name) => {
    const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
    const schema = JSON.parse(generated.get(name) ?? '{}') as Record<string, unknown>;
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://plinth.dev/schemas/${name}`);
  });

  it.each([...generated.keys()])('%s documents every property', (name) => {
    const undocumented = listProperties(JSON.parse(generated.get(name) ?? '{}')).filter(({ node }) => typeof node.description !== 'string');
    expect(undocumented.map(({ path }) => path)).toEqual([]);
  });
});
