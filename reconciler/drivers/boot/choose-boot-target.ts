import type { NodeLifecycle } from '../../inventory/lifecycle.js';
import type { BootTarget } from './types.js';

/** Node lifecycle states, plus `unknown` (a MAC plinth has never seen) and `discovering` (booted, no report yet). */
export type NodeLifecycleState = 'unknown' | 'discovering' | NodeLifecycle;

/**
 * What each state boots into. The discovery system runs from RAM and never writes to disk, so it is the safe
 * answer for anything not yet given an OS. States that may hold an installed OS (including `failed`, which can
 * come after installation) boot locally: taking a machine off its disk needs an explicit reprovision, which
 * moves it to `provisioning`. Decommissioning boots the deploy environment, which wipes the disks.
 */
const TARGET_BY_STATE: Readonly<Record<NodeLifecycleState, BootTarget>> = {
  unknown: 'discovery',
  discovering: 'discovery',
  discovered: 'discovery',
  matched: 'discovery',
  unmatched: 'discovery',
  ambiguous: 'discovery',
  quarantined: 'discovery',
  provisioning: 'deploy',
  decommissioning: 'deploy',
  installed: 'local',
  configuring: 'local',
  active: 'local',
  draining: 'local',
  failed: 'local',
  retired: 'local',
};

/** The boot target for a node in `state`. Example: `chooseBootTarget('provisioning')` → `'deploy'`. */
export function chooseBootTarget(state: NodeLifecycleState): BootTarget {
  return TARGET_BY_STATE[state];
}
