import type { CompileProblem } from '../compile/types.js';
import type { NodeLifecycle } from '../inventory/lifecycle.js';

/**
 * The contract between planning (pure: targets vs what was applied → ordered actions) and applying (drivers,
 * journal, limits). Plans are data: `plinth plan` renders them for reviewers, the controller executes them.
 */

/** What a node must undergo, in the order reviewers read them (Terraform-style symbols in renderings). */
export type ActionKind =
  | 'enrol' //        + first provisioning of a machine that has never been applied
  | 'reconfigure' //  ~ ENC (and so Puppet) changes, nothing destructive
  | 'reprovision' // -/+ the OS is reinstalled (role, image or RAID layout changed): destructive
  | 'wipe' //        !! disks are erased: destructive
  | 'decommission' // - the node is drained, wiped and retired: destructive
  | 'power' //         power state changes (power-off is destructive)
  | 'boot'; //         boot device changes only

/** One driver operation of an action; apply runs an action's steps in order, journaling each. */
export type PlanStep =
  | { op: 'dhcp-ensure'; mac: string; ip: string; hostname: string }
  | { op: 'dhcp-remove'; mac: string }
  | { op: 'boot-device'; device: 'pxe' | 'disk'; persistent: boolean; efi: boolean }
  | { op: 'power'; action: 'on' | 'off' | 'cycle' | 'soft' }
  | { op: 'wait-state'; state: 'deploy-ready' | 'installed'; timeoutSeconds: number }
  | { op: 'image-deploy'; image: string; sha256: string }
  | { op: 'enc-publish'; encDigest: string }
  /** Erases every disk (from the deploy environment) before a machine is retired. */
  | { op: 'disk-wipe' }
  | { op: 'puppet-run' };

export interface PlannedAction {
  /** Stable within a revision: `<nodeId>/<kind>`. */
  id: string;
  nodeId: string;
  hostname: string;
  role: string;
  availabilityZone: string;
  kind: ActionKind;
  /** Reprovision, wipe, decommission and power-off: counted apart, budgeted, and need approval. */
  destructive: boolean;
  /** Install wave from the role catalog: lower waves finish before higher ones start. */
  wave: number;
  /** Why, in one sentence a reviewer understands (e.g. "role changed from compute to network"). */
  reason: string;
  steps: PlanStep[];
  /** Ids of actions that must succeed first (beyond wave order). */
  dependsOn: string[];
  /** Unified diff of the ENC (secrets as placeholders), when it changes. */
  encDiff?: string;
}

/** An action that will not run at this revision, and why (missing approval, budget exhausted, maintenance). */
export interface BlockedAction {
  action: PlannedAction;
  code: 'approval-required' | 'disruption-budget' | 'maintenance' | 'compile-problem';
  message: string;
}

export interface PlanSummary {
  enrol: number;
  change: number;
  reprovision: number;
  /** Wipes and decommissions. */
  wipe: number;
  destructive: number;
  blocked: number;
}

export interface Plan {
  cluster: string;
  /** `<branch>@sha1:<hex>` of the desired state, and of what it is compared with. */
  revision: string;
  baseRevision?: string;
  /** Runnable actions, ordered by wave, then by dependency, then by hostname. */
  actions: PlannedAction[];
  blocked: BlockedAction[];
  problems: CompileProblem[];
  summary: PlanSummary;
}

export type { NodeLifecycle };

/** What was last applied to a node, as recorded by apply; what plans compare targets with. */
export interface AppliedNodeState {
  nodeId: string;
  hostname: string;
  role: string;
  profile?: string;
  lifecycle: NodeLifecycle;
  /** Revision whose target this is. */
  revision: string;
  encDigest?: string;
  /** The ENC as applied, secrets as placeholders (for diffs). */
  encYaml?: string;
  dhcp?: { mac: string; ip: string; hostname: string };
  bootDevice?: 'pxe' | 'disk';
  power?: 'on' | 'off';
  image?: { name: string; sha256: string };
  /** The system disk's RAID layout as applied, canonical JSON (e.g. `{"kind":"software","level":1}`). */
  raid?: string;
  /** Whether the applied ENC needed a reboot to take effect (so a plan reboots only when it newly does). */
  rebootRequired?: boolean;
  puppet?: { status: 'active' | 'failed'; at: string; reason?: string };
}

/** Approvals for destructive actions, from commit trailers (`Plinth-Approve: reprovision c4,c6`) or a manifest field. */
export interface Approvals {
  /** Action kind → hostnames (short or FQDN) or node ids approved; `*` approves all of that kind. */
  byKind: Partial<Record<ActionKind, readonly string[]>>;
}
