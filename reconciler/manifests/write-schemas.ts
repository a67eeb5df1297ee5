import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { kebabKind, kinds, type KindName } from './kinds/index.js';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** The JSON text of one kind's schema, as committed in `schemas/` (TypeBox's symbols drop out in JSON). */
export function renderSchema(kind: KindName): string {
  const { $id, ...rest } = kinds[kind];
  return `${JSON.stringify({ $schema: JSON_SCHEMA_DIALECT, $id, ...rest }, null, 2)}\n`;
}

/** File name → content of every generated schema. */
export function renderSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const kind of Object.keys(kinds) as KindName[]) files.set(`${kebabKind(kind)}.json`, renderSchema(kind));
  return files;
}

/** Writes `schemas/<kind>.json` for every kind. Usage: `npm run schemas`. */
export async function writeSchemas(directory: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of renderSchemas()) {
    await writeFileAtomic(join(directory, name), text);
    written.push(name);
  }
  return written;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const directory = process.argv[2] ?? 'schemas';
  for (const name of await writeSchemas(directory)) console.log(`wrote ${join(directory, name)}`);
}
