import { describe, expect, it } from '@jest/globals';
import { formatApprovalTrailer, isApproved, parseApprovalTrailers } from './approvals.js';

const host = (hostname: string, kind: 'reprovision' | 'wipe' | 'decommission' = 'reprovision') => ({ kind, hostname, nodeId: `id-${hostname}` });

describe('parseApprovalTrailers', () => {
  it('reads host lists separated by commas or spaces, per kind', () => {
    const approvals = parseApprovalTrailers('Rework racks\n\nPlinth-Approve: reprovision c4,c6\nplinth-approve: WIPE  s1 s2\nSigned-off-by: someone');
    expect(approvals.byKind).toEqual({ reprovision: ['c4', 'c6'], wipe: ['s1', 's2'] });
  });

  it('ignores unknown kinds and other trailers', () => {
    expect(parseApprovalTrailers('Plinth-Approve: enrol c1\nPlinth-Approve: everything *\nApprove: wipe *').byKind).toEqual({});
  });

  it('joins the trailers of several commits without repeats', () => {
    expect(parseApprovalTrailers('Plinth-Approve: reprovision c4\n\nPlinth-Approve: reprovision c4, c5').byKind.reprovision).toEqual(['c4', 'c5']);
  });
});

describe('isApproved', () => {
  it('accepts the short name, the FQDN or the node id', () => {
    const approvals = parseApprovalTrailers('Plinth-Approve: reprovision c4.example.net,c5,id-c6.example.net');
    expect(isApproved(approvals, host('c4.example.net'))).toBe(true);
    expect(isApproved(approvals, host('c5.example.net'))).toBe(true);
    expect(isApproved(approvals, host('c6.example.net'))).toBe(true);
    expect(isApproved(approvals, host('c7.example.net'))).toBe(false);
  });

  it('approves every action of a kind with *, and only of that kind', () => {
    const approvals = parseApprovalTrailers('Plinth-Approve: wipe *');
    expect(isApproved(approvals, host('s1.example.net', 'wipe'))).toBe(true);
    expect(isApproved(approvals, host('s1.example.net', 'decommission'))).toBe(true);
    expect(isApproved(approvals, host('s1.example.net', 'reprovision'))).toBe(false);
  });

  it('formats the trailer that approves an action', () => {
    expect(formatApprovalTrailer(host('c4.example.net'))).toBe('Plinth-Approve: reprovision c4');
  });
});
