import type { HardwareProfile, IntegerRange } from '../kinds/index.js';
import type { Problem } from '../../lib/problems.js';
import { problemAt, type ValidDocument } from '../loaded-document.js';
import type { PathSegment } from '../yaml-position.js';
import type { RuleContext } from './rule-context.js';

function checkRange(document: ValidDocument, path: PathSegment[], range: IntegerRange | undefined): Problem[] {
  if (!range || range.min === undefined || range.max === undefined || range.min <= range.max) return [];
  return [problemAt(document, path, 'unsatisfiable-quota', `min (${range.min}) is greater than max (${range.max}); nothing can match`)];
}

function checkMatchRanges(document: ValidDocument, match: HardwareProfile['spec']['match']): Problem[] {
  return [
    ...checkRange(document, ['spec', 'match', 'memoryGiB'], match.memoryGiB),
    ...checkRange(document, ['spec', 'match', 'cpuCount'], match.cpuCount),
    ...checkRange(document, ['spec', 'match', 'disks', 'count'], match.disks?.count),
    ...checkRange(document, ['spec', 'match', 'nics', 'count'], match.nics?.count),
    ...(match.gpus ?? []).flatMap((gpu, index) => checkRange(document, ['spec', 'match', 'gpus', index, 'count'], gpu.count)),
  ];
}

/**
 * Rule `unsatisfiable-quota`: a profile's quota and match ranges can be met — min ≤ max, and no more nodes
 * are pinned to a profile than its quota allows (the extra ones could never be provisioned).
 */
export function checkQuotas(context: RuleContext): Problem[] {
  const pinned = new Map<string, ValidDocument[]>();
  for (const node of context.ofKind('Node')) {
    const profile = node.manifest.spec.profile;
    if (profile === undefined || node.manifest.spec.decommission) continue;
    const list = pinned.get(profile);
    if (list) list.push(node);
    else pinned.set(profile, [node]);
  }
  const problems: Problem[] = [];
  for (const document of context.ofKind('HardwareProfile')) {
    const { quota, match } = document.manifest.spec;
    problems.push(...checkRange(document, ['spec', 'quota'], quota), ...checkMatchRanges(document, match));
    const nodes = pinned.get(document.name) ?? [];
    if (quota?.max !== undefined && nodes.length > quota.max) {
      const extra = nodes[quota.max];
      problems.push(
        problemAt(document, ['spec', 'quota', 'max'], 'unsatisfiable-quota', `${nodes.length} nodes are pinned to this profile but its quota allows ${quota.max} (the first one over is \`${extra?.name ?? '?'}\` in ${extra?.file ?? '?'}); raise the quota or re-pin them`),
      );
    }
  }
  return problems;
}
