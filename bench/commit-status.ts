import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPlinth, type RunningPlinth } from '../reconciler/api/serve.js';
import type { ForgeSettings } from '../reconciler/controller/status-publisher.js';
import { silentLogger } from '../reconciler/lib/logger.js';
import { readExampleBase } from '../tests/controller/e2e-repo.js';
import { readControllerStatus, sendPushHook } from '../tests/controller/harness.js';
import { GithubStatusServer } from '../tests/report/github-status-server.js';
import { createGitFixture, type GitFixture } from '../tests/support/git-repo.js';
import { median } from './measure.js';

/**
 * `npm run bench:status`: webhook → revision applied, for commits of the example repository (no machines),
 * with `plinth serve` posting no commit statuses, posting them to a GitHub that answers, to one that answers
 * 503 to everything, and to one that never answers. Statuses go through a background queue, so the three
 * forge cases should cost reconciling nothing. For the answering forge, webhook → success status shown
 * on the commit is printed too. Each case starts its own `plinth serve` (in-process) per pass.
 */
/** Passes over the four cases, in turn, so that the shared machine's load changes hit them alike. */
const PASSES = Number(process.env.BENCH_PASSES ?? 4);
const COMMITS_PER_PASS = 2;
const SECRET = 'bench-status-secret';
const TOKEN = 'bench-forge-token';

type ForgeMode = 'none' | 'answering' | 'unavailable' | 'stalled';

/** Polls every 10 ms until `check` holds (bounded); returns when it did. */
async function waitUntil(check: () => Promise<boolean> | boolean, what: string): Promise<number> {
  for (let round = 0; round < 6_000; round += 1) {
    if (await check()) return performance.now();
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function isFinished(url: string, revision: string): Promise<boolean> {
  const attempted = (await readControllerStatus(url)).lastAttempted;
  return attempted?.revision === revision && (attempted.phase === 'applied' || attempted.phase === 'invalid');
}

async function measure(mode: ForgeMode, git: GitFixture, forge: GithubStatusServer, forgeUrl: string): Promise<{ applied: number[]; shown: number[] }> {
  forge.unavailable = mode === 'unavailable';
  forge.stalled = mode === 'stalled';
  const dir = await mkdtemp(join(tmpdir(), 'plinth-bench-status-'));
  const settings: ForgeSettings | undefined = mode === 'none' ? undefined : { kind: 'github', baseUrl: forgeUrl, project: 'acme/pub1-cluster', token: TOKEN };
  let plinth: RunningPlinth | undefined;
  try {
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000, listen: { host: '127.0.0.1', port: 0 },
      webhookSecrets: [SECRET], notes: false, env: {}, secretsDir: dir, ...(settings ? { forge: settings } : {}),
    }, silentLogger());
    const url = plinth.url;
    const head = (await git.work.revparse(['HEAD'])).trim();
    await waitUntil(() => isFinished(url, `main@sha1:${head}`), 'the first revision');
    const applied: number[] = [];
    const shown: number[] = [];
    for (let round = 0; round < COMMITS_PER_PASS; round += 1) {
      const sha = await git.commitFiles({ [`docs/${mode}.md`]: `${Date.now()} ${round}\n` }, `${mode} round ${round}`);
      const sent = performance.now();
      if ((await sendPushHook(url, SECRET)) !== 202) throw new Error('webhook refused');
      applied.push((await waitUntil(() => isFinished(url, `main@sha1:${sha}`), `revision ${sha}`)) - sent);
      if (mode === 'answering') shown.push((await waitUntil(() => forge.statesOf(sha).at(-1) === 'success', `status of ${sha}`)) - sent);
    }
    return { applied, shown };
  } finally {
    await plinth?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const git = await createGitFixture('plinth-bench-status-git-');
const forge = new GithubStatusServer({ owner: 'acme', repo: 'pub1-cluster', token: TOKEN });
const forgeUrl = await forge.start();
try {
  await git.commitFiles(await readExampleBase(), 'cluster without machines');
  const modes = ['none', 'answering', 'unavailable', 'stalled'] as const;
  const results = new Map<ForgeMode, { applied: number[]; shown: number[] }>(modes.map((mode) => [mode, { applied: [], shown: [] }]));
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const mode of modes) {
      const result = await measure(mode, git, forge, forgeUrl);
      results.get(mode)?.applied.push(...result.applied);
      results.get(mode)?.shown.push(...result.shown);
    }
  }
  for (const mode of modes) {
    const applied = results.get(mode)?.applied ?? [];
    console.log(`${mode.padEnd(11)} webhook → applied: median ${median(applied).toFixed(0)} ms, worst ${Math.max(...applied).toFixed(0)} ms (${applied.length} commits)`);
  }
  const base = median(results.get('none')?.applied ?? []);
  for (const mode of ['answering', 'unavailable', 'stalled'] as const) {
    console.log(`ratio ${mode} / none: ${(median(results.get(mode)?.applied ?? []) / base).toFixed(2)}`);
  }
  console.log(`answering   webhook → success status on the commit: median ${median(results.get('answering')?.shown ?? []).toFixed(0)} ms`);
  console.log(`forge refusals: ${forge.refusals.length}; 503 answers: ${forge.unavailableAnswers}; load average ${loadavg()[0]?.toFixed(1)}`);
} finally {
  forge.stalled = false;
  await forge.stop();
  await git.remove();
}
