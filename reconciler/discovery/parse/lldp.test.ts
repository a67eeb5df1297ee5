import { describe, expect, it } from '@jest/globals';
import { parseLldp } from './lldp.js';

// `lldpctl -f json` (lldpd 1.0): one neighbour gives an object keyed by interface name, several an array.
const ONE_NEIGHBOUR = {
  lldp: {
    interface: {
      eno1: {
        via: 'LLDP',
        chassis: { 'par1-b07-tor1': { id: { type: 'mac', value: '3c:fd:fe:aa:bb:cc' }, descr: 'Cumulus Linux' } },
        port: { id: { type: 'ifname', value: 'swp12' }, descr: 'server b07u12 eno1', ttl: '120' },
      },
    },
  },
};

const TWO_NEIGHBOURS = {
  lldp: {
    interface: [
      { eno1: { chassis: { 'tor-a': { id: { type: 'mac', value: 'aa' } } }, port: { id: { type: 'ifname', value: 'Ethernet1/1' } } } },
      { eno2: { chassis: { 'tor-b': { id: { type: 'mac', value: 'bb' } } }, port: { id: { type: 'ifname', value: 'Ethernet1/2' } } } },
    ],
  },
};

describe('parseLldp', () => {
  it('reads the switch name, port and port description of one neighbour', () => {
    expect(Object.fromEntries(parseLldp(ONE_NEIGHBOUR))).toEqual({
      eno1: { switchName: 'par1-b07-tor1', portId: 'swp12', portDescription: 'server b07u12 eno1' },
    });
  });

  it('reads every interface when lldpctl prints an array', () => {
    expect(Object.fromEntries(parseLldp(TWO_NEIGHBOURS))).toEqual({
      eno1: { switchName: 'tor-a', portId: 'Ethernet1/1' },
      eno2: { switchName: 'tor-b', portId: 'Ethernet1/2' },
    });
  });

  it('returns nothing for an empty or unexpected document', () => {
    expect(parseLldp({ lldp: {} }).size).toBe(0);
    expect(parseLldp([1, 2]).size).toBe(0);
    expect(parseLldp(null).size).toBe(0);
  });
});
