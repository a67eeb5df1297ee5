import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { HardwareReportSchema } from './report-schema.js';

/** Where the generated JSON Schema of the hardware report lives, relative to the repository root. */
export const REPORT_SCHEMA_FILE = 'schemas/hardware-report.json';

/**
 * Renders the hardware-report JSON Schema (draft 2020-12) from its TypeBox source, so that the API validator,
 * editors and the TypeScript type all come from one definition.
 * Example: `npx tsx reconciler/discovery/write-report-schema.ts` rewrites schemas/hardware-report.json.
 */
export function renderReportSchema(): string {
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...HardwareReportSchema };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export async function writeReportSchema(repositoryRoot: string): Promise<string> {
  const file = path.join(repositoryRoot, REPORT_SCHEMA_FILE);
  await writeFileAtomic(file, renderReportSchema());
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  process.stdout.write(`wrote ${await writeReportSchema(root)}\n`);
}
