import { isPlinthError } from './errors.js';
import type { SshConnector } from './ssh-session.js';

export interface ConnectRetryOptions {
  /** Connection attempts in all (default 6). */
  attempts?: number;
  /** Wait between attempts (default 2 s). */
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A connector that tries again while the server refuses or does not answer (SSH_CONNECT): a machine's report
 * can arrive a moment before its sshd listens. Nothing has been sent at that point, so a retry is safe even
 * for a step that must never run twice. A refused host key or failed authentication is never retried.
 * Example: `createSshImageDriver({ connect: retryConnect(openSshSession) })`.
 */
export function retryConnect(connect: SshConnector, options: ConnectRetryOptions = {}): SshConnector {
  const attempts = Math.max(1, options.attempts ?? 6);
  const delayMs = options.delayMs ?? 2_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (endpoint) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await connect(endpoint);
      } catch (error) {
        if (attempt >= attempts || !isPlinthError(error) || error.code !== 'SSH_CONNECT') throw error;
        await sleep(delayMs);
      }
    }
  };
}
