import { PlinthError } from '../../lib/errors.js';

/** `owner/repo` with each part escaped; anything else is a configuration error. */
export function encodeOwnerRepo(project: string): string {
  const parts = project.split('/');
  if (parts.length !== 2 || parts.some((part) => part === '')) {
    throw new PlinthError('FORGE_BAD_CONFIG', `forge project must be "owner/repo", got "${project}"`, { details: { project } });
  }
  return parts.map(encodeURIComponent).join('/');
}

/** A full SHA-1 commit id (40 lower-case hex digits). */
export function isFullSha(sha: string): boolean {
  return /^[0-9a-f]{40}$/.test(sha);
}

/** Statuses are set on full commit ids only: a branch name here would follow the branch, not the applied commit. */
export function requireFullSha(sha: string): string {
  if (!isFullSha(sha)) throw new PlinthError('FORGE_BAD_SHA', `not a full commit id: "${sha}"`, { details: { sha } });
  return sha;
}
