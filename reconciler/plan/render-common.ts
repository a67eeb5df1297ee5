import type { ActionKind, Plan } from './types.js';

/** Terraform-like marks, so reviewers read a plan the way they read `terraform plan`. */
export const ACTION_SYMBOLS: Readonly<Record<ActionKind, string>> = {
  enrol: '+',
  reconfigure: '~',
  reprovision: '-/+',
  wipe: '!!',
  decommission: '-',
  power: '~',
  boot: '~',
};

/** Kinds in the order a rendering lists their groups. */
export const KIND_ORDER: readonly ActionKind[] = ['enrol', 'reconfigure', 'power', 'boot', 'reprovision', 'wipe', 'decommission'];

export const KIND_TITLES: Readonly<Record<ActionKind, string>> = {
  enrol: 'Enrol',
  reconfigure: 'Reconfigure',
  reprovision: 'Reprovision',
  wipe: 'Wipe',
  decommission: 'Decommission',
  power: 'Power',
  boot: 'Boot device',
};

/** The last line of every rendering. */
export function formatSummaryLine(plan: Plan): string {
  const { enrol, change, reprovision, wipe } = plan.summary;
  return `Plan: ${enrol} to enrol, ${change} to change, ${reprovision} to reprovision, ${wipe} to wipe/decommission.`;
}

/** The short hostname, which is what operators say and what approval trailers accept. */
export function shortName(hostname: string): string {
  return hostname.split('.')[0] ?? hostname;
}
