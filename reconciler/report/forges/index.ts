import { createGiteaStatusDriver } from './gitea/gitea-status-driver.js';
import { createGithubStatusDriver } from './github/github-status-driver.js';
import { createGitlabStatusDriver } from './gitlab/gitlab-status-driver.js';
import type { CreateStatusDriver } from './types.js';

export type ForgeKind = 'github' | 'gitlab' | 'gitea';

/** Every commit-status driver by forge name; configuration picks one. */
export const STATUS_DRIVERS: Readonly<Record<ForgeKind, CreateStatusDriver>> = {
  github: createGithubStatusDriver,
  gitlab: createGitlabStatusDriver,
  gitea: createGiteaStatusDriver,
};

/** The status context for a cluster: stable, so each new status replaces the previous one. */
export function statusContext(cluster: string): string {
  return `plinth/${cluster}`;
}

export type { CommitState, CommitStatusDriver, DesiredStatus, EnsureResult, ForgeDriverConfig } from './types.js';
