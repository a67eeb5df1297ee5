import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkCertificate } from '../../reconciler/pki/check-certificate.js';
import { ensureApiVipCertificate, ensureClusterAuthority, ensureNodeCertificates, type ClusterAuthority, type NodeCertificates } from '../../reconciler/pki/cluster-pki.js';
import type { IssuedCertificate } from '../../reconciler/pki/types.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import { generateSecret } from '../../reconciler/secrets/generate-secret.js';

const run = promisify(execFile);
const FQDN = 'pub1-compute-1.pub1.example.net';

/** Runs the real `openssl verify` on a leaf with the cluster's root as trust anchor and the intermediate as untrusted chain. */
async function verifyWithOpenssl(dir: string, authority: ClusterAuthority, leaf: IssuedCertificate, purpose?: string): Promise<{ ok: boolean; output: string }> {
  await writeFile(join(dir, 'root.pem'), authority.root.certificatePem);
  await writeFile(join(dir, 'intermediate.pem'), authority.intermediate.certificatePem);
  await writeFile(join(dir, 'leaf.pem'), leaf.certificatePem);
  const args = ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'intermediate.pem'), ...(purpose ? ['-purpose', purpose] : []), join(dir, 'leaf.pem')];
  try {
    const { stdout, stderr } = await run('openssl', args);
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('cluster PKI chains checked by the openssl CLI', () => {
  let dir: string;
  let authority: ClusterAuthority;
  let foreign: ClusterAuthority;
  let foreignNode: NodeCertificates;
  let node: NodeCertificates;
  let vip: IssuedCertificate;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-pki-'));
    const key = Buffer.from(generateSecret({ kind: 'hex' }), 'hex');
    const clock = () => new Date();
    const vault = await openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key });
    const deps = { vault, cluster: 'pub1', clock };
    authority = await ensureClusterAuthority(deps);
    node = await ensureNodeCertificates(deps, authority, { fqdn: FQDN, addresses: ['10.10.0.21', '10.30.0.21'] });
    vip = await ensureApiVipCertificate(deps, authority, { fqdn: 'api.pub1.example.net', address: '10.10.0.5' });
    const otherVault = await openFileVault({ path: join(dir, 'other.vault'), cluster: 'other', key });
    foreign = await ensureClusterAuthority({ vault: otherVault, cluster: 'other', clock });
    foreignNode = await ensureNodeCertificates({ vault: otherVault, cluster: 'other', clock }, foreign, { fqdn: FQDN, addresses: ['10.10.0.21'] });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the node server certificate for TLS servers', async () => {
    const result = await verifyWithOpenssl(dir, authority, node.server, 'sslserver');
    expect(result).toEqual({ ok: true, output: expect.stringContaining('leaf.pem: OK') });
  });

  it('accepts the node client certificate for TLS clients', async () => {
    const result = await verifyWithOpenssl(dir, authority, node.client, 'sslclient');
    expect(result).toEqual({ ok: true, output: expect.stringContaining('leaf.pem: OK') });
  });

  it('accepts the Puppet agent and API VIP certificates', async () => {
    expect((await verifyWithOpenssl(dir, authority, node.puppetAgent, 'sslclient')).ok).toBe(true);
    expect((await verifyWithOpenssl(dir, authority, vip, 'sslserver')).ok).toBe(true);
  });

  it('rejects a client certificate used as a server certificate', async () => {
    const result = await verifyWithOpenssl(dir, authority, node.client, 'sslserver');
    expect(result.ok).toBe(false);
  });

  it("rejects a certificate from another cluster's CA", async () => {
    const result = await verifyWithOpenssl(dir, authority, foreignNode.server);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/unable to get local issuer certificate|certificate signature failure/);
  });

  it('puts the short hostname, FQDN and addresses in the SANs, as node:crypto reads them', () => {
    const facts = checkCertificate(node.server.certificatePem, authority.intermediate.certificatePem);
    expect(facts).toMatchObject({ commonName: FQDN, dnsNames: ['pub1-compute-1', FQDN], ipAddresses: ['10.10.0.21', '10.30.0.21'], issuedBy: true, isCertificateAuthority: false });
    expect(checkCertificate(node.puppetAgent.certificatePem).commonName).toBe(FQDN);
  });

  it('marks the intermediate as a CA issued by the root, and not by the foreign root', () => {
    expect(checkCertificate(authority.intermediate.certificatePem, authority.root.certificatePem)).toMatchObject({ isCertificateAuthority: true, issuedBy: true });
    expect(checkCertificate(authority.intermediate.certificatePem, foreign.root.certificatePem).issuedBy).toBe(false);
  });
});
