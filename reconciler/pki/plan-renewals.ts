import type { TrackedCertificate } from './types.js';

export const DEFAULT_RENEWAL_MARGIN_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export interface PlannedRenewal {
  name: string;
  notAfter: Date;
  /** `expired` already; `due` inside the margin. */
  reason: 'expired' | 'due';
}

/**
 * Which certificates to renew now: those that expire within `marginDays` of `now` (or already have),
 * soonest first. Pure: the clock comes in.
 * Example: `planRenewals([{ name: 'api-vip', notAfter }], new Date(), 30)`.
 */
export function planRenewals(certificates: readonly TrackedCertificate[], now: Date, marginDays = DEFAULT_RENEWAL_MARGIN_DAYS): PlannedRenewal[] {
  const horizon = now.getTime() + marginDays * DAY_MS;
  return certificates
    .filter((certificate) => certificate.notAfter.getTime() <= horizon)
    .map((certificate): PlannedRenewal => ({ name: certificate.name, notAfter: certificate.notAfter, reason: certificate.notAfter.getTime() <= now.getTime() ? 'expired' : 'due' }))
    .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime() || a.name.localeCompare(b.name));
}
