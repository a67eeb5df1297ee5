import { isPlinthError, PlinthError } from '../../lib/errors.js';

/**
 * Restates SSH failures in the image driver's codes: a refused host key stays a refusal (never retried),
 * a dropped or unreachable connection stays transient so the caller retries the whole push.
 */
export function toImageError(error: unknown, node: string): unknown {
  if (!isPlinthError(error) || !error.code.startsWith('SSH_')) return error;
  const details = { ...error.details, node, sshCode: error.code };
  if (error.code === 'SSH_HOST_KEY' || error.code === 'SSH_HOST_KEY_INVALID') {
    return new PlinthError('IMAGE_HOST_KEY', `Node ${node}: ${error.message}`, { cause: error, details });
  }
  return new PlinthError('IMAGE_CONNECT', `Node ${node}: ${error.message}`, { cause: error, transient: error.transient, details });
}
