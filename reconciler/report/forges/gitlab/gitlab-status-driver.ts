import { isSameStatus, pickLatest, prepareStatus } from '../compare-status.js';
import { ForgeHttp } from '../forge-http.js';
import { requireFullSha } from '../paths.js';
import type { CommitState, CommitStatusDriver, CreateStatusDriver, DesiredStatus, EnsureResult } from '../types.js';

interface GitlabStatus {
  id?: number;
  status: string;
  name: string;
  description: string | null;
  target_url: string | null;
}

/**
 * GitLab has no "error" state: both failure and error become `failed` (the description says which);
 * `pending` becomes `running` because plinth has picked the commit up and is working on it.
 */
const GITLAB_STATE: Record<CommitState, string> = { pending: 'running', success: 'success', failure: 'failed', error: 'failed' };

/**
 * GitLab commit statuses: `GET /projects/:id/repository/commits/:sha/statuses?name=<context>`, then
 * `POST /projects/:id/statuses/:sha` with `state` and `name`. Reading first matters more here: GitLab
 * answers 400 to a repeated `running` for the same name.
 */
export const createGitlabStatusDriver: CreateStatusDriver = (config): CommitStatusDriver => {
  const http = new ForgeHttp('gitlab', config, { Authorization: `Bearer ${config.token}`, Accept: 'application/json' });
  const project = encodeURIComponent(config.project);
  return {
    forge: 'gitlab',
    async ensureStatus(desired: DesiredStatus): Promise<EnsureResult> {
      const sha = requireFullSha(desired.sha);
      http.admit(2);
      const wanted = prepareStatus(desired, GITLAB_STATE[desired.state]);
      const name = encodeURIComponent(desired.context);
      const listed = await http.send<GitlabStatus[]>({ method: 'GET', path: `/projects/${project}/repository/commits/${sha}/statuses?name=${name}&all=true` });
      const current = pickLatest(listed.filter((status) => status.name === desired.context));
      if (current && isSameStatus({ state: current.status, description: current.description, targetUrl: current.target_url }, wanted)) return { posted: false };
      await http.send({
        method: 'POST',
        path: `/projects/${project}/statuses/${sha}`,
        body: { state: wanted.state, name: desired.context, description: wanted.description, ...(desired.targetUrl ? { target_url: desired.targetUrl } : {}) },
      });
      return { posted: true };
    },
  };
};
