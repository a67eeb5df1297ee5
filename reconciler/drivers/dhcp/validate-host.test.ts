import { describe, expect, it } from '@jest/globals';
import { parseCidr } from '../../lib/ip-address.js';
import { checkHostname, validateHostEntry } from './validate-host.js';

const network = parseCidr('10.250.0.0/24')!;
const valid = { mac: '52:54:00:aa:00:01', ip: '10.250.0.50', hostname: 'c1-compute-1' };

describe('validateHostEntry', () => {
  it('accepts a well-formed reservation', () => {
    expect(validateHostEntry(valid, network)).toEqual([]);
  });

  it('rejects an address outside the network', () => {
    expect(validateHostEntry({ ...valid, ip: '10.251.0.50' }, network)).toEqual([
      { field: 'ip', message: '10.251.0.50 is not a host address of the provisioning network' },
    ]);
  });

  it.each(['10.250.0.0', '10.250.0.255', '10.250.0.050', '10.250.0', 'garbage'])('rejects the address %s', (ip) => {
    expect(validateHostEntry({ ...valid, ip }, network).map((problem) => problem.field)).toEqual(['ip']);
  });

  it('rejects a multicast MAC', () => {
    expect(validateHostEntry({ ...valid, mac: '01:00:5e:00:00:01' }, network).map((problem) => problem.field)).toEqual(['mac']);
  });

  it('reports every problem at once', () => {
    const problems = validateHostEntry({ mac: 'zz', ip: '300.1.1.1', hostname: '-bad' }, network);
    expect(problems.map((problem) => problem.field)).toEqual(['mac', 'ip', 'hostname']);
  });

  it('refuses a comma in the host name, which would add a field to the dnsmasq line', () => {
    expect(validateHostEntry({ ...valid, hostname: 'node1,ignore' }, network)).toHaveLength(1);
  });
});

describe('checkHostname', () => {
  it.each(['node1', 'c1-compute-12.example.org', 'a', '1node'])('accepts %s', (name) => {
    expect(checkHostname(name)).toBeUndefined();
  });

  it.each(['', '-node', 'node-', 'no_de', 'node..org', `${'a'.repeat(64)}`, 'host.123', 'nöde'])('rejects "%s"', (name) => {
    expect(checkHostname(name)).toEqual(expect.any(String));
  });
});
