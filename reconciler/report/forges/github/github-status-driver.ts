import { requireFullSha, encodeOwnerRepo } from '../paths.js';
import { isSameStatus, prepareStatus } from '../compare-status.js';
import { ForgeHttp } from '../forge-http.js';
import type { CommitStatusDriver, CreateStatusDriver, DesiredStatus, EnsureResult } from '../types.js';

interface GithubStatus {
  state: string;
  context: string;
  description: string | null;
  target_url: string | null;
}

/**
 * GitHub commit statuses: read the combined status (`GET /repos/{owner}/{repo}/commits/{ref}/status`,
 * whose `statuses` hold the latest per context), then `POST /repos/{owner}/{repo}/statuses/{sha}` if needed.
 * GitHub's states are plinth's own; contexts compare case-insensitively, as GitHub does.
 */
export const createGithubStatusDriver: CreateStatusDriver = (config): CommitStatusDriver => {
  const http = new ForgeHttp('github', config, {
    Authorization: `Bearer ${config.token}`,
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    'User-Agent': 'plinth',
  });
  const repo = encodeOwnerRepo(config.project);
  return {
    forge: 'github',
    async ensureStatus(desired: DesiredStatus): Promise<EnsureResult> {
      const sha = requireFullSha(desired.sha);
      http.admit(2);
      const wanted = prepareStatus(desired, desired.state);
      const combined = await http.send<{ statuses?: GithubStatus[] }>({ method: 'GET', path: `/repos/${repo}/commits/${sha}/status?per_page=100` });
      const current = combined.statuses?.find((status) => status.context.toLowerCase() === desired.context.toLowerCase());
      if (current && isSameStatus({ state: current.state, description: current.description, targetUrl: current.target_url }, wanted)) return { posted: false };
      await http.send({
        method: 'POST',
        path: `/repos/${repo}/statuses/${sha}`,
        body: { state: wanted.state, description: wanted.description, context: desired.context, ...(desired.targetUrl ? { target_url: desired.targetUrl } : {}) },
      });
      return { posted: true };
    },
  };
};
