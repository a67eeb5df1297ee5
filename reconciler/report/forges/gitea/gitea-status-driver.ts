import { isSameStatus, pickLatest, prepareStatus } from '../compare-status.js';
import { ForgeHttp } from '../forge-http.js';
import { requireFullSha, encodeOwnerRepo } from '../paths.js';
import type { CommitStatusDriver, CreateStatusDriver, DesiredStatus, EnsureResult } from '../types.js';

interface GiteaStatus {
  id?: number;
  status: string;
  context: string;
  description: string | null;
  target_url: string | null;
}

/**
 * Gitea commit statuses: `GET /repos/{owner}/{repo}/commits/{ref}/statuses` (history, newest id wins per
 * context), then `POST /repos/{owner}/{repo}/statuses/{sha}`. Gitea's states match plinth's; its token
 * scheme is `Authorization: token <token>`.
 */
export const createGiteaStatusDriver: CreateStatusDriver = (config): CommitStatusDriver => {
  const http = new ForgeHttp('gitea', config, { Authorization: `token ${config.token}`, Accept: 'application/json' });
  const repo = encodeOwnerRepo(config.project);
  return {
    forge: 'gitea',
    async ensureStatus(desired: DesiredStatus): Promise<EnsureResult> {
      const sha = requireFullSha(desired.sha);
      http.admit(2);
      const wanted = prepareStatus(desired, desired.state);
      const listed = await http.send<GiteaStatus[]>({ method: 'GET', path: `/repos/${repo}/commits/${sha}/statuses?limit=50` });
      const current = pickLatest(listed.filter((status) => status.context === desired.context));
      if (current && isSameStatus({ state: current.status, description: current.description, targetUrl: current.target_url }, wanted)) return { posted: false };
      await http.send({
        method: 'POST',
        path: `/repos/${repo}/statuses/${sha}`,
        body: { state: wanted.state, context: desired.context, description: wanted.description, ...(desired.targetUrl ? { target_url: desired.targetUrl } : {}) },
      });
      return { posted: true };
    },
  };
};
