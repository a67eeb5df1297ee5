import { trimDescription } from '../summary.js';
import type { DesiredStatus } from './types.js';

/** A status as a forge shows it, in that forge's state vocabulary. */
export interface ShownStatus {
  state: string;
  description: string | null | undefined;
  targetUrl: string | null | undefined;
}

/** What will be sent: the description trimmed to the forge limit, the state mapped. */
export function prepareStatus(desired: DesiredStatus, forgeState: string): ShownStatus & { description: string } {
  return { state: forgeState, description: trimDescription(desired.description), targetUrl: desired.targetUrl };
}

/** Read-before-write: posting an identical status only adds noise (and GitLab refuses some repeats). */
export function isSameStatus(shown: ShownStatus | undefined, wanted: ShownStatus): boolean {
  return (
    shown !== undefined &&
    shown.state === wanted.state &&
    (shown.description ?? '') === (wanted.description ?? '') &&
    (shown.targetUrl ?? '') === (wanted.targetUrl ?? '')
  );
}

/** The newest of several statuses of one context (forges list history; the highest id is the latest). */
export function pickLatest<T extends { id?: number }>(statuses: readonly T[]): T | undefined {
  return statuses.reduce<T | undefined>((latest, status) => (latest === undefined || (status.id ?? 0) > (latest.id ?? 0) ? status : latest), undefined);
}
