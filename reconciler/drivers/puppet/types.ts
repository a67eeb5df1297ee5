import type { SshEndpoint } from '../../lib/ssh-session.js';

/**
 * The Puppet hand-off: plinth publishes each node's ENC where the Puppet server's exec node terminus
 * reads it, triggers an agent run on the node when the ENC changed, and reads the run's summary back.
 */
export interface PuppetNode {
  /** The node's Puppet certname, which names its ENC file. */
  certname: string;
  ssh: SshEndpoint;
}

export interface PublishResult {
  changed: boolean;
  dryRun: boolean;
  /** sha256 of the published ENC, the value to compare against on the next reconcile. */
  digest: string;
  path: string;
}

/** What `--detailed-exitcodes` says about a run. */
export type RunOutcome = 'unchanged' | 'changed' | 'failures' | 'changed-with-failures' | 'run-failed';

export interface PuppetRun {
  certname: string;
  exitCode: number | null;
  outcome: RunOutcome;
  /** The node's clock (epoch seconds) when the run started: a summary older than this is from another run. */
  startedAt: number;
  /** `Error:` lines the run printed, colour codes and Facter sandbox noise removed. */
  errors: string[];
  outputTail: string;
}

export interface RunSummaryCounts {
  resourcesFailed: number;
  resourcesFailedToRestart: number;
  eventsFailed: number;
  changes: number;
}

export interface RunResult {
  certname: string;
  state: 'active' | 'failed';
  /** Why the node failed, in words an operator can act on; empty when active. */
  reason: string;
  counts?: RunSummaryCounts;
  /** Epoch seconds of the run the summary describes. */
  lastRun?: number;
}

export interface PuppetDriver {
  /**
   * Writes the node's ENC atomically; does nothing when the published one has the same digest.
   * Whether to trigger a run is decided against the digest recorded after the last successful run, not
   * against `changed`: a controller stopped between publishing and running must still run on resume.
   */
  publishEnc(certname: string, encYaml: string, options?: { dryRun?: boolean }): Promise<PublishResult>;
  /** Deletes a node's ENC (decommission); does nothing when there is none. */
  removeEnc(certname: string): Promise<{ changed: boolean }>;
  /** Runs the configured agent command on the node over SSH, at most N at a time across nodes. */
  triggerRun(node: PuppetNode): Promise<PuppetRun>;
  /** Reads the node's last run summary; with `run`, a summary older than that run counts as missing. */
  readRunResult(node: PuppetNode, run?: PuppetRun): Promise<RunResult>;
}

/**
 * Stable error codes of the Puppet driver. Transient: PUPPET_CONNECT when the node could not be reached or
 * the connection dropped. Never retried: PUPPET_HOST_KEY, PUPPET_ENC_INVALID, PUPPET_CERTNAME_INVALID, PUPPET_RUN.
 * A run that completes with failures is not an error: `readRunResult` reports it as `failed` with the reason.
 */
export type PuppetErrorCode = 'PUPPET_CONNECT' | 'PUPPET_HOST_KEY' | 'PUPPET_ENC_INVALID' | 'PUPPET_CERTNAME_INVALID' | 'PUPPET_RUN';
