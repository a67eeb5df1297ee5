import { describe, expect, it } from '@jest/globals';
import { planRenewals } from './plan-renewals.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 24 * 3600 * 1000);

describe('planRenewals', () => {
  it('renews what expires inside the default 30-day margin and keeps the rest', () => {
    const plan = planRenewals([{ name: 'far', notAfter: inDays(31) }, { name: 'near', notAfter: inDays(29) }], NOW);
    expect(plan).toEqual([{ name: 'near', notAfter: inDays(29), reason: 'due' }]);
  });

  it('marks expired certificates and orders by expiry', () => {
    const plan = planRenewals([{ name: 'b', notAfter: inDays(5) }, { name: 'a', notAfter: inDays(-1) }], NOW);
    expect(plan.map((renewal) => [renewal.name, renewal.reason])).toEqual([['a', 'expired'], ['b', 'due']]);
  });

  it('honours a configured margin', () => {
    expect(planRenewals([{ name: 'x', notAfter: inDays(50) }], NOW, 60)).toHaveLength(1);
    expect(planRenewals([{ name: 'x', notAfter: inDays(50) }], NOW, 7)).toHaveLength(0);
  });
});
