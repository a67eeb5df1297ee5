import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './api-env.js';

/** `::ffff:10.0.0.5` is how a dual-stack socket shows an IPv4 peer; rules are written for `10.0.0.5`. */
export function unwrapMappedIpv4(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1] ?? address;
}

/**
 * Records the peer address from the socket, never from a header: X-Forwarded-For is whatever the client
 * chose to write, and rate limits and trusted networks must not be talked around.
 */
export function sourceAddress(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const remote = c.env?.incoming?.socket?.remoteAddress;
    c.set('sourceAddress', remote ? unwrapMappedIpv4(remote) : 'unknown');
    await next();
  };
}
