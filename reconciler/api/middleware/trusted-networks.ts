import type { MiddlewareHandler } from 'hono';
import { BlockList, isIP } from 'node:net';
import { PlinthError } from '../../lib/errors.js';
import { HttpError } from '../http-error.js';
import type { ApiEnv } from './api-env.js';

/**
 * Parses CIDR blocks (`10.0.0.0/8`, `fd00::/8`, or a bare address) into a matcher.
 * Throws a PlinthError naming every bad entry, so a typo in the configuration stops the server starting
 * instead of silently opening or closing the API.
 */
export function parseNetworks(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  const bad: string[] = [];
  for (const cidr of cidrs) {
    const [address = '', prefixText, ...rest] = cidr.trim().split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (family === 0 || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || prefixText === '') {
      bad.push(cidr);
      continue;
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  if (bad.length > 0) {
    throw new PlinthError('API_BAD_NETWORK', `not a CIDR network: ${bad.map((value) => JSON.stringify(value)).join(', ')}`, {
      details: { networks: bad },
    });
  }
  return list;
}

export function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Refuses requests from outside the given networks with 403. An empty list trusts every source. */
export function trustedNetworks(cidrs: readonly string[]): MiddlewareHandler<ApiEnv> {
  const list = parseNetworks(cidrs);
  return async (c, next) => {
    if (cidrs.length > 0 && !isTrusted(list, c.get('sourceAddress'))) {
      throw new HttpError(403, 'API_UNTRUSTED_SOURCE', `source ${c.get('sourceAddress')} is not in a trusted network`);
    }
    await next();
  };
}
