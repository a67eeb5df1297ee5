/** The states plinth reports; each forge maps them onto its own vocabulary. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface DesiredStatus {
  sha: string;
  state: CommitState;
  /** One stable context per cluster, `plinth/<cluster>`. */
  context: string;
  /** Trimmed to 140 characters before sending. */
  description: string;
  targetUrl?: string;
}

export interface EnsureResult {
  /** False when the forge already showed exactly this status for the context (nothing was posted). */
  posted: boolean;
}

/**
 * A forge's commit-status API. `ensureStatus` reads the current status of the context first and
 * posts only when it differs. Failures are PlinthErrors with codes `FORGE_*`; transient ones
 * (outage, rate limit) carry `details.retryAfterMs` when the forge said how long to wait.
 */
export interface CommitStatusDriver {
  readonly forge: string;
  ensureStatus(status: DesiredStatus): Promise<EnsureResult>;
}

export interface ForgeDriverConfig {
  /** API root, e.g. `https://api.github.com`, `https://gitlab.example.com/api/v4`, `https://gitea.example.com/api/v1`. */
  baseUrl: string;
  /** `owner/repo` (GitHub, Gitea) or a project id or `group/project` path (GitLab). */
  project: string;
  /** Sent only in the Authorization header; never logged or put in an error. */
  token: string;
  fetch?: typeof fetch;
  /** Requests per second allowed locally, and burst. */
  rate?: { perSecond: number; burst: number };
  now?: () => number;
  timeoutMs?: number;
}

export type CreateStatusDriver = (config: ForgeDriverConfig) => CommitStatusDriver;
