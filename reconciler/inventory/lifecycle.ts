/**
 * Lifecycle states of a node (DESIGN.md, "What a node goes through"): the one definition the store, the
 * planner and the boot routes share.
 */
export type NodeLifecycle =
  | 'discovered'
  | 'matched'
  | 'unmatched'
  | 'ambiguous'
  | 'quarantined'
  | 'provisioning'
  | 'installed'
  | 'configuring'
  | 'active'
  | 'failed'
  | 'draining'
  | 'decommissioning'
  | 'retired';
