import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlinth, type RunningPlinth } from '../../reconciler/api/serve.js';
import { runStatus } from '../../reconciler/cli/commands/status.js';
import { publishEncFile } from '../../reconciler/drivers/puppet/enc-store.js';
import { silentLogger } from '../../reconciler/lib/logger.js';
import { ensureClusterAuthority, ensureNodeCertificates } from '../../reconciler/pki/cluster-pki.js';
import type { IssuedCertificate } from '../../reconciler/pki/types.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import { SECRET_KEY_ENV } from '../../reconciler/secrets/vault-key.js';
import { createGitFixture, type GitFixture } from '../support/git-repo.js';
import { macsFor } from '../support/hardware-report.js';
import { readExampleBase } from './e2e-repo.js';
import { postReport, waitForRevision } from './harness.js';

const NODE = 'pub1-compute-1.pub1.example.net';
const KEY = randomBytes(32);

/** GET over HTTPS trusting only `ca`, presenting `client` when given; resolves with the status and body. */
function fetchTls(url: string, ca: string, client?: IssuedCertificate): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, cert: client?.certificatePem, key: client?.keyPem, agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('plinth serve: health, metrics, status, boot scripts and the ENC endpoint in one process', () => {
  let dir: string;
  let git: GitFixture;
  let plinth: RunningPlinth | undefined;
  let sha: string;
  const machine = { serial: 'CMP0001', fixture: 'dell/poweredge-r7525/ED52A1D54F9D', macs: macsFor(1) };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-serve-'));
    git = await createGitFixture('plinth-serve-git-');
    sha = await git.commitFiles(await readExampleBase(), 'cluster');
    await mkdir(join(dir, 'assets'));
    plinth = await startPlinth({
      repo: git.remoteUrl, branch: 'main', dataDir: join(dir, 'data'), cluster: 'pub1', pollIntervalMs: 3_600_000,
      listen: { host: '127.0.0.1', port: 0 }, webhookSecrets: [], notes: false, env: { [SECRET_KEY_ENV]: KEY.toString('base64') }, secretsDir: dir,
      reports: { rateLimit: false },
      enc: { listen: { host: '127.0.0.1', port: 0 }, serverNames: ['localhost'], serverAddresses: ['127.0.0.1'], puppetServerNames: [] },
      boot: { settings: { controllerUrl: 'http://10.30.0.1:8080', discovery: { kernel: 'vmlinuz', initrd: 'initrd.gz' }, deploy: { kernel: 'vmlinuz', initrd: 'initrd.gz' } }, assetsDir: join(dir, 'assets') },
    }, silentLogger());
    await waitForRevision(plinth.url, `main@sha1:${sha}`);
  }, 120_000);

  afterAll(async () => {
    await plinth?.stop();
    await git?.remove();
    await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('answers /healthz while the store is readable', async () => {
    const response = await fetch(`${plinth?.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('exposes reconcile duration, nodes by state and revisions as Prometheus text', async () => {
    expect(await postReport(plinth?.url ?? '', machine)).toBe(202);
    const body = await (await fetch(`${plinth?.url}/metrics`)).text();

    expect(body).toContain('# TYPE plinth_reconcile_duration_seconds histogram');
    expect(body).toMatch(/^plinth_reconcile_duration_seconds_count [1-9]/m);
    expect(body).toContain('plinth_nodes{state="discovered"} 1');
    expect(body).toContain('plinth_revisions_total{result="applied"} 1');
  });

  it('serves the discovery script to a machine that reported but has no target yet', async () => {
    const response = await fetch(`${plinth?.url}/boot/${machine.macs[0]}.ipxe`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^#!ipxe/);
  });

  it('prints the last applied revision and nodes by state, from the store or from the running controller', async () => {
    let fromData = '';
    let fromUrl = '';
    expect(await runStatus({ data: join(dir, 'data'), output: 'text' }, (text) => (fromData += text))).toBe(0);
    expect(await runStatus({ url: plinth?.url ?? '', output: 'text' }, (text) => (fromUrl += text))).toBe(0);

    expect(fromData).toContain(`last applied:   main@sha1:${sha}`);
    expect(fromData).toContain('  discovered: 1');
    expect(fromUrl).toBe(fromData);
  });

  it("serves a published ENC over mutual TLS to the node's own certificate and refuses a client without one", async () => {
    await publishEncFile({ encDir: join(dir, 'data', 'enc') }, NODE, 'environment: production\nclasses:\n  plinth::role::compute: {}\nparameters: {}\n');
    const vault = await openFileVault({ path: join(dir, 'data', 'pub1.vault'), cluster: 'pub1', key: KEY });
    const deps = { vault, cluster: 'pub1', clock: () => new Date() };
    const authority = await ensureClusterAuthority(deps);
    const own = await ensureNodeCertificates(deps, authority, { fqdn: NODE, addresses: [] });

    const served = await fetchTls(`${plinth?.encUrl}/v1/enc/${NODE}`, authority.root.certificatePem, own.client);

    expect(served).toMatchObject({ status: 200, body: expect.stringContaining('plinth::role::compute') });
    await expect(fetchTls(`${plinth?.encUrl}/v1/enc/${NODE}`, authority.root.certificatePem)).rejects.toThrow();
  }, 60_000);
});
