import type { Problem } from '../../lib/problems.js';
import { problemAt, type LoadedDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';

/** Field names that hold credentials. `passwordFrom` given a string instead of a reference counts too. */
const SECRET_FIELD = /(password|passwd|passphrase|secret|token|private_?key|api_?key)(from)?$/i;

export interface SecretFinding {
  path: PathSegment[];
  field: string;
}

function visit(value: unknown, path: PathSegment[], found: SecretFinding[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, [...path, index], found));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [field, child] of Object.entries(value)) {
    const childPath = [...path, field];
    if (SECRET_FIELD.test(field) && (typeof child === 'string' || typeof child === 'number')) found.push({ path: childPath, field });
    else visit(child, childPath, found);
  }
}

/** Every field of a document that holds a credential in clear text. */
export function findPlainTextSecrets(value: unknown): SecretFinding[] {
  const found: SecretFinding[] = [];
  visit(value, [], found);
  return found;
}

/**
 * Rule `plain-text-secret`: a password, token or key written in a manifest would be in Git for ever.
 * The fix is a reference the controller resolves: `passwordFrom: { env | file | store }`.
 */
export function checkPlainTextSecrets(loaded: LoadedDocument): Problem[] {
  return findPlainTextSecrets(loaded.value).map(({ path, field }) =>
    problemAt(
      loaded,
      path,
      'plain-text-secret',
      `\`${field}\` holds a secret in clear text; remove it from Git (and rotate it) and reference it instead, e.g. passwordFrom: { env: BMC_PASSWORD }, { file: PATH } or { store: KEY }`,
      { atKey: true },
    ),
  );
}
