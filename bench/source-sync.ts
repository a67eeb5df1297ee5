import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hookRoutes } from '../reconciler/api/routes/hooks.js';
import { runCommand } from '../reconciler/lib/command.js';
import { followSource } from '../reconciler/source/follow-source.js';
import { GitSource } from '../reconciler/source/git-source.js';
import { signWebhookBody } from '../reconciler/source/webhook-auth.js';
import { generateRepository } from './generate-repo.js';
import { median, timeWall } from './measure.js';

/**
 * `npm run bench:source`: (1) what one poll costs when nothing changed — plinth's `ls-remote` head check
 * against a plain `git fetch` of the branch, on a 10,000-node repository, over file:// and over
 * `git daemon` on loopback;
 * (2) push → signed webhook → new revision in the controller's clone. Rounds alternate; medians kept.
 */
const NODES = Number(process.env.BENCH_NODES ?? 10000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ENV = { GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@plinth.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@plinth.invalid' };

async function git(dir: string, args: string[]): Promise<string> {
  const result = await runCommand('git', ['-C', dir, ...args], { env: ENV });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

async function prepare(root: string): Promise<{ bare: string; work: string; url: string }> {
  const bare = join(root, 'remote.git');
  const work = join(root, 'work');
  await mkdir(bare);
  await git(bare, ['init', '--bare', '--quiet', '-b', 'main']);
  await mkdir(work);
  await generateRepository(work, { nodes: NODES });
  await git(work, ['init', '--quiet', '-b', 'main']);
  await git(work, ['add', '--all']);
  await git(work, ['commit', '--quiet', '-m', 'cluster']);
  await git(work, ['push', '--quiet', `file://${bare}`, 'HEAD:refs/heads/main']);
  return { bare, work, url: `file://${bare}` };
}

async function measurePolls(root: string, url: string, label: string): Promise<void> {
  const source = new GitSource({ remoteUrl: url, branch: 'main', workDir: join(root, `controller-${label.replace(/\W+/g, '-')}`) });
  await source.sync();
  const naive = join(root, `naive-${label.replace(/\W+/g, '-')}`);
  await git(root, ['clone', '--quiet', url, naive]);
  const plinth: number[] = [];
  const fetch: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    plinth.push(await timeWall(() => source.sync()));
    fetch.push(await timeWall(() => git(naive, ['fetch', '--quiet', 'origin', 'main'])));
  }
  const [a, b] = [median(plinth), median(fetch)];
  console.log(`unchanged poll over ${label}, ${NODES} nodes: plinth sync (ls-remote) ${a.toFixed(1)} ms, git fetch ${b.toFixed(1)} ms, ratio ${(a / b).toFixed(2)}`);
}

async function measureWebhook(root: string, url: string, work: string): Promise<void> {
  const source = new GitSource({ remoteUrl: url, branch: 'main', workDir: join(root, 'controller-hook') });
  let notify: (sha: string) => void = () => undefined;
  const follower = followSource({ source, intervalMs: 3_600_000, onRevision: async (result) => notify(result.revision.digest) });
  const app = hookRoutes({ secrets: ['bench'], branch: 'main', trigger: follower.trigger });
  await new Promise<void>((resolve) => (notify = () => resolve()));
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    await writeFile(join(work, 'bench-marker.yaml'), `# round ${round}\n`);
    await git(work, ['add', '--all']);
    await git(work, ['commit', '--quiet', '-m', `round ${round}`]);
    const start = performance.now();
    await git(work, ['push', '--quiet', url, 'HEAD:refs/heads/main']);
    const sha = await git(work, ['rev-parse', 'HEAD']);
    const seen = new Promise<void>((resolve) => (notify = (digest) => digest === sha && resolve()));
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha });
    await app.request('/v1/hooks/git', { method: 'POST', body, headers: { 'X-Hub-Signature-256': signWebhookBody('bench', body) } });
    await seen;
    latencies.push(performance.now() - start);
  }
  await follower.stop();
  console.log(`push → webhook → revision checked out, ${NODES} nodes: median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (goal for commit → first action: ≤ 2000 ms)`);
}

/** `git daemon` serving the bench's bare repository on loopback; resolves once it accepts connections. */
async function startGitDaemon(root: string, port: number): Promise<ChildProcess> {
  const daemon = spawn('git', ['daemon', '--reuseaddr', `--base-path=${root}`, '--export-all', '--listen=127.0.0.1', `--port=${port}`, root], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
    if (open) return daemon;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  daemon.kill();
  throw new Error('git daemon did not start');
}

const root = await mkdtemp(join(tmpdir(), 'plinth-bench-source-'));
const port = 20000 + Math.floor(Math.random() * 20000);
let daemon: ChildProcess | undefined;
try {
  const { url, work } = await prepare(root);
  await measurePolls(root, url, 'file://');
  daemon = await startGitDaemon(root, port);
  await measurePolls(root, `git://127.0.0.1:${port}/remote.git`, 'git daemon');
  await measureWebhook(root, url, work);
} finally {
  daemon?.kill();
  await rm(root, { recursive: true, force: true });
}
