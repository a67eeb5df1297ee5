/** A cluster with its PKI, a vault and the mutual-TLS ENC server on loopback, for the ENC and leak tests. */
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEncTarget } from '../../reconciler/cli/commands/enc.js';
import type { CompileResult } from '../../reconciler/compile/types.js';
import { createEncApp, startEncServer } from '../../reconciler/api/enc-server.js';
import type { RunningServer } from '../../reconciler/api/server.js';
import type { Logger } from '../../reconciler/lib/logger.js';
import { ensureCertificate, ensureClusterAuthority, ensureNodeCertificates, type ClusterAuthority, type NodeCertificates } from '../../reconciler/pki/cluster-pki.js';
import type { IssuedCertificate } from '../../reconciler/pki/types.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import type { SecretVault } from '../../reconciler/secrets/types.js';
import { buildExampleSnapshot, compileExample, loadExampleDesired } from '../support/example-inventory.js';

export const PUPPET_SERVER = 'puppet.pub1.example.net';
/** Setting up issues about a dozen RSA keys and compiles the example: allow for a loaded machine. */
export const FIXTURE_TIMEOUT_MS = 240_000;

export interface EncFixture {
  dir: string;
  vault: SecretVault;
  authority: ClusterAuthority;
  compiled: CompileResult;
  /** Certificates of a node by FQDN (issued on demand). */
  certificatesOf(fqdn: string): Promise<NodeCertificates>;
  puppetServer: NodeCertificates;
  /** A node certificate for the same FQDN as a real node, issued by another cluster's CA. */
  foreignCertificate: IssuedCertificate;
  server: RunningServer;
  dispose(): Promise<void>;
}

export async function startEncFixture(options: { key: Buffer; log?: Logger; vaultDir?: string }): Promise<EncFixture> {
  const dir = options.vaultDir ?? (await mkdtemp(join(tmpdir(), 'plinth-enc-')));
  const clock = () => new Date();
  const vault = await openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key: options.key });
  const deps = { vault, cluster: 'pub1', clock };
  const authority = await ensureClusterAuthority(deps);
  const compiled = compileExample(await loadExampleDesired(), buildExampleSnapshot());
  const certificatesOf = async (fqdn: string) => {
    const target = findEncTarget(compiled, fqdn);
    return ensureNodeCertificates(deps, authority, { fqdn, addresses: target ? Object.values(target.addresses) : [] });
  };
  const puppetServer = await ensureNodeCertificates(deps, authority, { fqdn: PUPPET_SERVER, addresses: [] });
  const controllerTls = await ensureCertificate(deps, 'enc-server', { role: 'server', commonName: 'localhost', cluster: 'pub1', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 2 }, authority.intermediate);
  const foreignVault = await openFileVault({ path: join(dir, 'foreign.vault'), cluster: 'foreign', key: options.key });
  const foreignDeps = { vault: foreignVault, cluster: 'foreign', clock };
  const foreignAuthority = await ensureClusterAuthority(foreignDeps);
  const foreignClient = await ensureCertificate(
    foreignDeps,
    'foreign-client',
    { role: 'client', commonName: 'pub1-controller-1.pub1.example.net', cluster: 'foreign', dnsNames: ['pub1-controller-1.pub1.example.net'], validityDays: 2 },
    foreignAuthority.intermediate,
  );
  const app = createEncApp({
    provideEnc: (certname) => Promise.resolve(findEncTarget(compiled, certname)?.encYaml),
    vault,
    puppetServerNames: [PUPPET_SERVER],
    log: options.log,
  });
  const server = await startEncServer(app, {
    host: '127.0.0.1',
    port: 0,
    tls: { certificatePem: controllerTls.certificatePem + authority.intermediate.certificatePem, keyPem: controllerTls.keyPem, clientCaPems: [authority.root.certificatePem, authority.intermediate.certificatePem] },
  });
  return {
    dir,
    vault,
    authority,
    compiled,
    certificatesOf,
    puppetServer,
    foreignCertificate: { certificatePem: foreignClient.certificatePem + foreignAuthority.intermediate.certificatePem, keyPem: foreignClient.keyPem },
    server,
    dispose: async () => {
      await server.close();
      if (options.vaultDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface FetchResult {
  status: number;
  body: string;
}

/** GET over HTTPS with node:https, trusting only the cluster root, presenting `client` when given. */
export function fetchEnc(fixture: EncFixture, path: string, client?: IssuedCertificate): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${fixture.server.url}${path}`,
      { ca: fixture.authority.root.certificatePem, cert: client?.certificatePem, key: client?.keyPem, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}
