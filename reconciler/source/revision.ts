import { PlinthError } from '../lib/errors.js';

/**
 * A revision names what was applied: `<branch>@sha1:<40 hex>` for a Git commit, or
 * `local@sha256:<64 hex>` for a watched working directory in development.
 *
 * @example formatRevision({ branch: 'main', algorithm: 'sha1', digest: 'ab…' }) // 'main@sha1:ab…'
 */
export interface Revision {
  branch: string;
  algorithm: 'sha1' | 'sha256';
  digest: string;
}

const REVISION = /^(?<branch>[^@\s]+)@(?<algorithm>sha1|sha256):(?<digest>[0-9a-f]+)$/;
const DIGEST_LENGTH = { sha1: 40, sha256: 64 } as const;

/** A full SHA-1 commit id (40 lower-case hex digits). */
export function isFullSha(sha: string): boolean {
  return /^[0-9a-f]{40}$/.test(sha);
}

export function formatRevision(revision: Revision): string {
  return `${revision.branch}@${revision.algorithm}:${revision.digest}`;
}

/** Parses a revision string; throws SOURCE_BAD_REVISION with the offending text on anything else. */
export function parseRevision(text: string): Revision {
  const match = REVISION.exec(text.trim());
  const groups = match?.groups;
  const algorithm = groups?.['algorithm'] as Revision['algorithm'] | undefined;
  if (!groups || !algorithm || groups['digest']?.length !== DIGEST_LENGTH[algorithm]) {
    throw new PlinthError('SOURCE_BAD_REVISION', `not a revision: "${text}" (expected <branch>@sha1:<40 hex> or local@sha256:<64 hex>)`, {
      details: { revision: text },
    });
  }
  return { branch: groups['branch'] ?? '', algorithm, digest: groups['digest'] };
}

export function gitRevision(branch: string, sha: string): Revision {
  return parseRevision(`${branch}@sha1:${sha}`);
}

export function isSameRevision(left: Revision | undefined, right: Revision | undefined): boolean {
  return left !== undefined && right !== undefined && formatRevision(left) === formatRevision(right);
}
