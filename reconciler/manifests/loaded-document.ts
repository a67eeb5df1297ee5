import type { Document, LineCounter } from 'yaml';
import type { Problem, Severity } from '../lib/problems.js';
import type { SourceLocation } from './desired-state.js';
import type { KindName, Manifest } from './kinds/index.js';
import { formatJsonPath, locatePath, type PathSegment } from './yaml-position.js';

/** One YAML document of the repository, with what is needed to point at any place inside it. */
export interface LoadedDocument {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** Position of the document in its file, from 0. */
  index: number;
  document: Document;
  lineCounter: LineCounter;
  /** The plain data of the document. */
  value: unknown;
  /** Known kind and its name, when the document states them (even if it is otherwise invalid). */
  kind?: KindName;
  name?: string;
  /** Where the document starts. */
  source: SourceLocation;
  /** Whether it passed its kind's schema (and has no duplicate key); only valid documents reach the semantic rules. */
  valid: boolean;
  /** Set when the YAML itself has a problem (a duplicate key) although its data could be read. */
  broken?: boolean;
  /**
   * Set when the YAML has a syntax error: only the kind and name were recovered, so that references to the
   * object resolve; nothing else in it is checked.
   */
  unreadable?: boolean;
}

/** A schema-valid document, typed as its kind. */
export interface ValidDocument<M extends Manifest = Manifest> extends LoadedDocument {
  kind: M['kind'];
  name: string;
  manifest: M;
  valid: true;
}

export interface ProblemOptions {
  severity?: Severity;
  /** Point at the key of the last segment rather than its value. */
  atKey?: boolean;
}

/** A problem located at `path` inside a document. */
export function problemAt(
  loaded: LoadedDocument,
  path: readonly PathSegment[],
  rule: string,
  message: string,
  options: ProblemOptions = {},
): Problem {
  const { line, col } = locatePath(loaded.document, loaded.lineCounter, path, options.atKey ?? false);
  return { severity: options.severity ?? 'error', rule, message, file: loaded.file, line, col, path: formatJsonPath(path) };
}

/** `file:line:col` of a document, for messages that point at another definition. */
export function describeSource(source: SourceLocation): string {
  return `${source.file}:${source.line}:${source.col}`;
}
