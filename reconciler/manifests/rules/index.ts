import type { Problem } from '../../lib/problems.js';
import { checkHostnames } from './hostnames.js';
import { checkCpuModels, checkCustomRoles, checkImageChoice, checkImages } from './kind-specifics.js';
import { checkMatchPatterns } from './match-patterns.js';
import { checkNetworkAddresses } from './network-addresses.js';
import { checkNetworkCidrs } from './network-cidrs.js';
import { checkNodeIdentities } from './node-identities.js';
import { checkPciIds } from './pci-ids.js';
import { checkPinnedAddresses } from './pinned-addresses.js';
import { checkQuotas } from './quotas.js';
import { checkAvailabilityZones, checkReferences } from './references.js';
import type { Rule, RuleContext } from './rule-context.js';
import { checkSingleCluster, checkUniqueNames } from './unique-names.js';

export { createRuleContext, type Rule, type RuleContext } from './rule-context.js';

/** Every semantic rule; all run on every validation, so that one run reports every problem. */
export const rules: readonly Rule[] = [
  checkSingleCluster,
  checkUniqueNames,
  checkReferences,
  checkAvailabilityZones,
  checkNetworkCidrs,
  checkNetworkAddresses,
  checkPinnedAddresses,
  checkNodeIdentities,
  checkHostnames,
  checkQuotas,
  checkPciIds,
  checkMatchPatterns,
  checkImages,
  checkImageChoice,
  checkCpuModels,
  checkCustomRoles,
];

export function runRules(context: RuleContext, selected: readonly Rule[] = rules): Problem[] {
  return selected.flatMap((rule) => rule(context));
}
