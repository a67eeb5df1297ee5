import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Problem } from '../lib/problems.js';
import { isKindName, kinds } from './kinds/index.js';
import { problemAt, type LoadedDocument } from './loaded-document.js';
import { positionAt } from './yaml-position.js';

export interface ParsedFile {
  documents: LoadedDocument[];
  problems: Problem[];
}

const KIND_LIST = Object.keys(kinds).join(', ');

function syntaxProblems(file: string, text: string, document: Document, lineCounter: LineCounter): Problem[] {
  return document.errors.map((error) => {
    const { line, col } = positionAt(lineCounter, error.pos[0]);
    if (error.code === 'DUPLICATE_KEY') {
      // The error points at the start of the repeated key; the key runs to its colon.
      const key = /^[^:\n]*/.exec(text.slice(error.pos[0], error.pos[0] + 200))?.[0].trim() ?? '';
      return { severity: 'error', rule: 'duplicate-key', message: `duplicate key \`${key}\`: a key may appear once in a mapping (only the first value would count); remove or merge the repeated one`, file, line, col };
    }
    return { severity: 'error', rule: 'yaml-syntax', message: `YAML syntax error: ${error.message}`, file, line, col };
  });
}

/** What every document must state before its schema can be chosen: that it is a mapping of a known kind. */
function checkEnvelope(loaded: LoadedDocument): Problem[] {
  const value = loaded.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [problemAt(loaded, [], 'not-a-manifest', 'a manifest must be a mapping with apiVersion, kind, metadata and spec')];
  }
  const kind = (value as Record<string, unknown>).kind;
  if (kind === undefined) return [problemAt(loaded, [], 'unknown-kind', `missing \`kind\`; expected one of ${KIND_LIST}`)];
  if (!isKindName(kind)) return [problemAt(loaded, ['kind'], 'unknown-kind', `unknown kind \`${String(kind)}\`; expected one of ${KIND_LIST}`)];
  return [];
}

function describeDocument(file: string, index: number, document: Document, lineCounter: LineCounter): LoadedDocument {
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const metadata = record.metadata as Record<string, unknown> | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const start = positionAt(lineCounter, document.contents?.range?.[0] ?? 0);
  return {
    file,
    index,
    document,
    lineCounter,
    value,
    ...(isKindName(record.kind) ? { kind: record.kind } : {}),
    ...(name === undefined ? {} : { name }),
    source: { file, ...start },
    valid: false,
  };
}

function recoverDeclaration(file: string, index: number, document: Document, lineCounter: LineCounter): LoadedDocument | undefined {
  try {
    const loaded = describeDocument(file, index, document, lineCounter);
    if (loaded.kind === undefined || loaded.name === undefined) return undefined;
    return { ...loaded, broken: true, unreadable: true };
  } catch {
    return undefined;
  }
}

/**
 * Parses one file into its documents. Syntax errors and duplicate keys are located problems, and a document
 * with them is not checked further (its data cannot be trusted). Empty documents (comments only) are skipped.
 */
export function parseManifestFile(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const documents: LoadedDocument[] = [];
  const problems: Problem[] = [];
  if (!Array.isArray(parsed)) return { documents, problems };
  parsed.forEach((document, index) => {
    problems.push(...syntaxProblems(file, text, document, lineCounter));
    // A repeated key leaves a readable document (the first value wins): keep it, so that its fields are still
    // checked and references to it still resolve, but flag it so that it never reaches the desired state.
    const readable = document.errors.every((error) => error.code === 'DUPLICATE_KEY');
    if (document.contents === null) return;
    if (!readable) {
      // Its data cannot be trusted, but when its kind and name can still be read, declaring them keeps every
      // reference to it from turning into a second, misleading error ("Image `x` is not defined").
      const declared = recoverDeclaration(file, index, document, lineCounter);
      if (declared) documents.push(declared);
      return;
    }
    const loaded = describeDocument(file, index, document, lineCounter);
    if (loaded.value === null || loaded.value === undefined) return; // comments only, e.g. after a trailing `---`
    loaded.broken = document.errors.length > 0;
    const envelope = checkEnvelope(loaded);
    problems.push(...envelope);
    if (envelope.length === 0) documents.push(loaded);
  });
  return { documents, problems };
}
