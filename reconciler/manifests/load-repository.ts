import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../lib/errors.js';
import type { ReportProgress } from '../lib/progress.js';
import type { Problem } from '../lib/problems.js';
import { checkSchema } from './check-schema.js';
import { findManifestFiles, type FileSelection } from './find-manifest-files.js';
import type { LoadedDocument } from './loaded-document.js';
import { parseManifestFile } from './parse-manifest-file.js';
import { checkPlainTextSecrets, findPlainTextSecrets } from './rules/plain-text-secret.js';

export interface LoadedRepository {
  /** The YAML files read, relative to the root. */
  files: string[];
  documents: LoadedDocument[];
  problems: Problem[];
}

/** Files read at once: enough to keep the disk busy, few enough to stay far from the open-file limit. */
const READ_CONCURRENCY = 16;

async function readAll(root: string, files: readonly string[]): Promise<string[]> {
  const texts: string[] = new Array<string>(files.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const index = next++;
      const file = files[index] ?? '';
      try {
        texts[index] = await readFile(join(root, file), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}`, { cause: error, details: { file } });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  return texts;
}

/** Parses one file's text and checks each document against its schema; secrets in clear text first. */
export function loadText(file: string, text: string): LoadedRepository {
  const parsed = parseManifestFile(file, text);
  const problems = [...parsed.problems];
  for (const loaded of parsed.documents) {
    if (loaded.unreadable) continue;
    const secrets = checkPlainTextSecrets(loaded);
    // The schema would also call the field unknown or mistyped: one clear message per mistake is enough.
    const ignored = new Set(findPlainTextSecrets(loaded.value).map(({ path }) => path.join('/')));
    const schemaProblems = checkSchema(loaded, ignored);
    loaded.valid = !loaded.broken && secrets.length === 0 && schemaProblems.length === 0;
    problems.push(...secrets, ...schemaProblems);
  }
  return { files: [file], documents: parsed.documents, problems };
}

/**
 * Reads every manifest under `root` (see `findManifestFiles`), in a stable order, and returns the parsed
 * documents with every syntax and schema problem found. Throws `UsageError` when `root` cannot be read.
 * Example: `const { documents, problems } = await loadRepository('cluster-repo-example')`.
 */
export async function loadRepository(root: string, selection: FileSelection = {}, onProgress?: ReportProgress): Promise<LoadedRepository> {
  const info = await stat(root).catch((error: unknown) => {
    throw new UsageError(`cannot read repository ${root}: no such directory`, { cause: error });
  });
  if (!info.isDirectory()) throw new UsageError(`${root} is not a directory`);
  const files = await findManifestFiles(root, selection);
  const texts = await readAll(root, files);
  const documents: LoadedDocument[] = [];
  const problems: Problem[] = [];
  files.forEach((file, index) => {
    onProgress?.({ phase: 'load manifests', done: index, total: files.length, unit: 'files' });
    const loaded = loadText(file, texts[index] ?? '');
    documents.push(...loaded.documents);
    problems.push(...loaded.problems);
  });
  return { files, documents, problems };
}
