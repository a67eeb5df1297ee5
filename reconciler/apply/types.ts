import type { Logger } from '../lib/logger.js';
import type { ActionKind, AppliedNodeState, Approvals, BlockedAction, NodeLifecycle, PlannedAction, PlanStep } from '../plan/types.js';
import type { ControllerStore } from '../store/controller-types.js';

/** What apply needs to know about a node beyond the plan: its target and how to reach its BMC. */
export interface ApplyNode {
  nodeId: string;
  hostname: string;
  role: string;
  profile?: string;
  /** The target ENC, secrets as placeholders, and its digest. */
  encYaml?: string;
  encDigest?: string;
  /** Network name → address, as compile allocated them; recorded when the node is enrolled. */
  addresses: Record<string, string>;
  /** Hostname index, recorded with the addresses when the node is enrolled. */
  hostnameIndex?: number;
  bmc?: { address: string; username: string; password: () => Promise<string> };
  /** The system disk's RAID layout (canonical JSON) and whether the ENC needs a reboot: recorded once applied. */
  raid?: string;
  rebootRequired?: boolean;
  /** Where the OS image comes from (for `image-deploy`). */
  image?: { name: string; url: string; sha256: string; format?: string };
  /** The reserved DHCP address the machine boots the deploy environment with; image push and wipe connect there. */
  provisioningAddress?: string;
  /** The address on the management network, where Puppet runs are started over SSH. */
  managementAddress?: string;
  /** The profile's root-device hints, as the manifest states them. */
  rootDeviceHints?: { model?: string; vendor?: string; serial?: string; minSizeGB?: number; rotational?: boolean; byPath?: string };
}

export interface StepContext {
  node: ApplyNode;
  revision: string;
  action: PlannedAction;
  /** `wait-state` looks for news newer than this: the start of the action's last power step, else of the action. */
  since: string;
  /** Aborted when the controller shuts down or a newer revision supersedes this one. */
  signal: AbortSignal;
  log: Logger;
}

/** What a step did: `skipped` names why nothing was done (no driver of that kind configured). */
export interface StepOutcome {
  detail?: Record<string, unknown>;
  skipped?: string;
}

/** Runs one step through a driver; must be safe to repeat when `isIdempotentStep(step)` says so. */
export type StepExecutor = (step: PlanStep, context: StepContext) => Promise<StepOutcome>;

export type ActionOutcomeKind = 'succeeded' | 'failed' | 'blocked' | 'skipped' | 'interrupted';

export interface ActionResult {
  actionId: string;
  nodeId: string;
  hostname: string;
  kind: ActionKind;
  outcome: ActionOutcomeKind;
  reason?: string;
  /** Steps that ran in this pass (not those found done in the journal). */
  stepsRun: number;
  /** The node's lifecycle when the action ended (`failed` with the reason above when a step failed). */
  lifecycle?: NodeLifecycle;
  /**
   * For `skipped`: a failure holds it back (its wave stopped, a prerequisite failed), not a newer revision or a
   * shutdown. It is not pending: it runs once the failed machine reports again, or at the next commit.
   */
  heldByFailure?: boolean;
  /** A failure of an earlier pass of the revision, stated again without running (see `ApplyDeps.failedEarlier`). */
  repeated?: boolean;
}

export interface ApplyLimits {
  /** Actions in flight at once (Cluster `rollout.maxParallelProvisioning`). */
  maxParallel: number;
  /** A wave stops starting actions once this share (0–100) of its actions failed; later waves do not start. */
  stopOnFailurePercent: number;
  /** Destructive actions one revision may run, overall and per availability zone. */
  maxDestructivePerCommit?: number;
  maxDestructivePerZone?: number;
  /** Attempts of a step failing with a transient error. */
  maxAttempts: number;
}

/** The same commit planned again while it applies, with the targets of the nodes the apply does not act on yet. */
export interface ApplyExtension {
  actions: PlannedAction[];
  blocked: BlockedAction[];
  nodes: ReadonlyMap<string, ApplyNode>;
}

/**
 * How a running apply takes on machines that reported after it was planned, instead of leaving them until it
 * ends (an apply waiting for a rack to install lasts many minutes). `subscribe` is told when new machines are
 * there; `plan` plans the same revision again (targets are needed only for nodes not in `known`), and the apply
 * takes on the actions of those nodes alone.
 */
export interface ApplyExtensions {
  subscribe(listener: () => void): () => void;
  plan(known: ReadonlySet<string>): Promise<ApplyExtension>;
}

export interface ApplyDeps {
  store: ControllerStore;
  execute: StepExecutor;
  nodes: ReadonlyMap<string, ApplyNode>;
  approvals: Approvals;
  limits: ApplyLimits;
  log: Logger;
  now: () => string;
  /** Waits `ms` unless `signal` aborts first (then rejects). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** False once a newer revision arrived: checked at every safe point (between steps, before a retry). */
  isCurrent: () => boolean;
  signal: AbortSignal;
  /** New machines joining while this apply runs; without it they wait for the next reconcile. */
  extensions?: ApplyExtensions;
  /**
   * Actions (by id) that failed in an earlier pass of this revision on machines that have not reported since: they
   * are not run again. Each ends with its earlier result, counts as a failure of its wave and holds its dependents
   * back, exactly as when it failed, but the machine is not touched for the same fault again.
   */
  failedEarlier?: ReadonlyMap<string, ActionResult>;
}

export interface ApplyResult {
  revision: string;
  results: ActionResult[];
  /** True when a newer revision or shutdown stopped this one before every action was tried. */
  cancelled: boolean;
}

export interface NodeProgress {
  state: AppliedNodeState;
  lifecycle: NodeLifecycle;
}
