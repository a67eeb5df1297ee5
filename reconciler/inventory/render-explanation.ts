import type { Cluster } from '../manifests/kinds/index.js';
import type { Classification, PeerFlag, ProfileEvaluation } from './classification.js';
import { describeCpuModels, describeMemory } from './describe-hardware.js';
import { FLAG_CATEGORIES, selectQuarantineFlags } from './peer-flags.js';
import { describePlacement } from './place-node.js';
import type { SnapshotNode } from './snapshot.js';

export interface ExplanationInput {
  classification: Classification;
  node: SnapshotNode;
  cluster: Cluster;
  /** The hostname the machine has or will get, when known. */
  hostname?: string;
}

function renderHeader({ classification, node, hostname }: ExplanationInput): string[] {
  const { inventory } = node;
  const product = `${inventory.system.manufacturer} ${inventory.system.productName}`.trim() || 'unknown product';
  const identity = inventory.identity.id === node.id ? ` (identity from ${inventory.identity.source})` : '';
  return [
    `Machine ${node.id}: ${product}${identity}`,
    `  hardware:  ${describeCpuModels(inventory)}; ${describeMemory(inventory)}; ${inventory.disks.length} disks; ${inventory.nics.length} NICs; ${inventory.gpus.length} GPUs`,
    `  state:     ${classification.state}`,
    `  profile:   ${classification.profile ?? '-'}${classification.pinnedBy ? ` (Node ${classification.pinnedBy} pins this machine)` : ''}`,
    `  role:      ${classification.role ?? '-'}`,
    `  hostname:  ${hostname ?? '-'}`,
    `  AZ:        ${classification.placement?.availabilityZone ?? '-'}`,
  ];
}

function describeOutcome(evaluation: ProfileEvaluation, chosen: string | undefined): string {
  const failed = evaluation.criteria.filter((result) => !result.pass).length;
  if (!evaluation.matched) return `no match (${failed} of ${evaluation.criteria.length} criteria fail)`;
  return evaluation.profile === chosen ? 'MATCH, chosen' : 'MATCH';
}

function renderEvaluations(classification: Classification): string[] {
  if (classification.evaluations.length === 0) return ['Profiles: none declared'];
  const lines = ['Profiles, highest priority first:'];
  for (const evaluation of classification.evaluations) {
    lines.push(`  ${evaluation.profile} (priority ${evaluation.priority}): ${describeOutcome(evaluation, classification.profile)}`);
    const width = Math.max(...evaluation.criteria.map((result) => result.criterion.length));
    for (const result of evaluation.criteria) {
      lines.push(`    ${result.pass ? 'pass' : 'FAIL'}  ${result.criterion.padEnd(width)}  expected ${result.expected}; observed ${result.observed}`);
    }
    if (evaluation.criteria.length === 0) lines.push('    (no criteria: every machine matches)');
  }
  return lines;
}

function renderPlacement(classification: Classification): string[] {
  const { placement } = classification;
  const lines = [`Placement: ${classification.placementStatus}`, `  ${classification.placementReason}`];
  if (placement) lines.push(`  ${describePlacement(placement)}`);
  return lines;
}

function renderFlags(flags: readonly PeerFlag[], cluster: Cluster): string[] {
  if (flags.length === 0) return ['Peer flags: none (looks like the other machines of its profile, or too few to compare)'];
  const quarantining = new Set(selectQuarantineFlags(flags, cluster));
  return [
    'Peer flags (differences from the majority of machines with the same profile):',
    ...flags.map((flag) => {
      const effect = quarantining.has(flag) ? 'quarantines' : 'warning';
      return `  ${flag.flag} [${FLAG_CATEGORIES[flag.flag]}, ${effect}]: ${flag.message}; peers: ${flag.peers}`;
    }),
  ];
}

/**
 * The text of `plinth explain NODE`: what the machine is, each profile's criteria with the observed value
 * and pass/fail, why the outcome is what it is, where the machine stands and how it differs from its peers.
 */
export function renderExplanation(input: ExplanationInput): string {
  const { classification, cluster } = input;
  const sections = [
    renderHeader(input),
    renderEvaluations(classification),
    [`Why: ${classification.reason}`],
    renderPlacement(classification),
    renderFlags(classification.flags, cluster),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
