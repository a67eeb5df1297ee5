import { describe, expect, it } from '@jest/globals';
import {
  containsAddress,
  formatNetmask,
  formatNetwork,
  isHostAddress,
  networksOverlap,
  parseCidr,
  parseIpAddress,
  parseIpv4Address,
  type IpNetwork,
} from './ip-address.js';

function parseNetwork(text: string): IpNetwork {
  const network = parseCidr(text);
  if (!network) throw new Error(`fixture ${text} must parse`);
  return network;
}

function hostOf(network: IpNetwork, text: string): boolean {
  const address = parseIpAddress(text);
  if (!address) throw new Error(`fixture ${text} must parse`);
  return isHostAddress(network, address);
}

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

  it('parses IPv4 addresses strictly, refusing leading zeros and IPv6', () => {
    expect(parseIpv4Address('10.250.0.7')?.value).toBe(0x0afa0007n);
    expect(parseIpv4Address('10.250.0.07')).toBeUndefined();
    expect(parseIpv4Address('2001:db8::1')).toBeUndefined();
  });

  it('excludes the network and broadcast addresses of an IPv4 network from its host addresses', () => {
    const network = parseNetwork('10.250.0.0/24');
    expect(['10.250.0.0', '10.250.0.1', '10.250.0.254', '10.250.0.255', '10.250.1.1'].map((text) => hostOf(network, text))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('counts both addresses of a /31 point-to-point link as host addresses', () => {
    const link = parseNetwork('192.0.2.0/31');
    expect([hostOf(link, '192.0.2.0'), hostOf(link, '192.0.2.1')]).toEqual([true, true]);
  });

  it('writes a network mask as an address', () => {
    expect(formatNetmask(parseNetwork('10.250.0.0/24'))).toBe('255.255.255.0');
    expect(formatNetmask(parseNetwork('10.0.0.0/9'))).toBe('255.128.0.0');
    expect(formatNetmask(parseNetwork('2001:db8::/48'))).toBe('ffff:ffff:ffff::');
  });
});
