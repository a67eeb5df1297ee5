import { describe, expect, it } from '@jest/globals';
import { containsAddress, formatNetwork, networksOverlap, parseCidr, parseIpAddress } from './ip-address.js';

describe('ip-address', () => {
  it('parses IPv4 and IPv6 addresses to comparable numbers', () => {
    expect(parseIpAddress('10.0.0.1')?.value).toBe(0x0a000001n);
    expect(parseIpAddress('2001:db8::1')?.value).toBe(0x20010db8000000000000000000000001n);
    expect(parseIpAddress('::ffff:192.0.2.1')?.value).toBe(0xffffc0000201n);
  });

  it('rejects text that is not an address', () => {
    expect(parseIpAddress('10.0.0.256')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
  });

  it('reports host bits set and the network they belong to', () => {
    const network = parseCidr('10.1.2.3/16');
    expect(network?.hostBitsSet).toBe(true);
    expect(network && formatNetwork(network)).toBe('10.1.0.0/16');
  });

  it('tells containment and overlap, never across IP versions', () => {
    const big = parseCidr('10.0.0.0/8');
    const small = parseCidr('10.20.0.0/16');
    const v6 = parseCidr('2001:db8::/32');
    const address = parseIpAddress('10.20.1.1');
    if (!big || !small || !v6 || !address) throw new Error('fixtures must parse');
    expect(networksOverlap(big, small)).toBe(true);
    expect(networksOverlap(big, v6)).toBe(false);
    expect(containsAddress(small, address)).toBe(true);
    expect(formatNetwork(v6)).toBe('2001:db8::/32');
  });
});
