import { PlinthError } from '../../lib/errors.js';
import { isFullSha } from '../../source/revision.js';

/** `owner/repo` with each part escaped; anything else is a configuration error. */
export function encodeOwnerRepo(project: string): string {
  const parts = project.split('/');
  if (parts.length !== 2 || parts.some((part) => part === '')) {
    throw new PlinthError('FORGE_BAD_CONFIG', `forge project must be "owner/repo", got "${project}"`, { details: { project } });
  }
  return parts.map(encodeURIComponent).join('/');
}

/** Statuses are set on full commit ids only: a branch name here would follow the branch, not the applied commit. */
export function requireFullSha(sha: string): string {
  if (!isFullSha(sha)) throw new PlinthError('FORGE_BAD_SHA', `not a full commit id: "${sha}"`, { details: { sha } });
  return sha;
}
