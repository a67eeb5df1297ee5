import { describe, expect, it } from '@jest/globals';
import { formatHostLine, hostFileName, macFromHostFileName, parseHostLine } from './host-file.js';

describe('host files', () => {
  it('writes MAC,IP,hostname with the MAC in canonical form', () => {
    expect(formatHostLine({ mac: '52:54:00:AA:00:01', ip: '10.0.0.5', hostname: 'n1' })).toBe('52:54:00:aa:00:01,10.0.0.5,n1\n');
  });

  it('reads back what it writes', () => {
    const entry = { mac: '52:54:00:aa:00:01', ip: '10.0.0.5', hostname: 'n1' };
    expect(parseHostLine(formatHostLine(entry))).toEqual(entry);
  });

  it('does not read foreign content', () => {
    expect(parseHostLine('garbage,,,zz')).toBeUndefined();
    expect(parseHostLine('52:54:00:aa:00:01,10.0.0.5,n1,set:compute')).toBeUndefined();
  });

  it('names files after the MAC with hyphens, and only those count', () => {
    expect(hostFileName('52:54:00:AA:00:01')).toBe('52-54-00-aa-00-01');
    expect(macFromHostFileName('52-54-00-aa-00-01')).toBe('52:54:00:aa:00:01');
    expect(macFromHostFileName('.52-54-00-aa-00-01.1f2e.tmp')).toBeUndefined();
  });
});
