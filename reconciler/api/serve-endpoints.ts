import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createIpxeBootDriver, loadBootTemplates } from '../drivers/boot/boot-scripts.js';
import type { NodeLifecycleState } from '../drivers/boot/choose-boot-target.js';
import type { BootSettings } from '../drivers/boot/types.js';
import { encPathFor } from '../drivers/puppet/enc-store.js';
import type { Logger } from '../lib/logger.js';
import { ensureCertificate, ensureClusterAuthority } from '../pki/cluster-pki.js';
import { openFileVault } from '../secrets/file-vault.js';
import { loadVaultKey } from '../secrets/vault-key.js';
import type { ControllerStore } from '../store/controller-types.js';
import { createEncApp, startEncServer } from './enc-server.js';
import { bootRoutes } from './routes/boot.js';
import type { RunningServer } from './server.js';

export interface EncEndpointSettings {
  listen: { host: string; port: number };
  /** Names and addresses the ENC server's certificate carries (what Puppet and nodes connect to). */
  serverNames: readonly string[];
  serverAddresses: readonly string[];
  /** Certificate names of the Puppet server, which may read every node's ENC. */
  puppetServerNames: readonly string[];
}

export interface BootEndpointSettings {
  settings: BootSettings;
  assetsDir: string;
}

const SERVER_CERTIFICATE_DAYS = 365;

/**
 * The ENC endpoint on its own port, over mutual TLS with the cluster's CA (kept in the cluster's vault,
 * created on first start). It serves the ENC files the controller published, secrets filled in from the
 * vault for the node that asks (or the Puppet server) only.
 */
export async function startEncEndpoint(settings: EncEndpointSettings, context: { cluster: string; dataDir: string; encDir: string; env: Readonly<Record<string, string | undefined>>; log: Logger }): Promise<RunningServer> {
  const key = await loadVaultKey({ keyFile: join(context.dataDir, 'vault.key'), env: context.env });
  const vault = await openFileVault({ path: join(context.dataDir, `${context.cluster}.vault`), cluster: context.cluster, key });
  const deps = { vault, cluster: context.cluster, clock: () => new Date() };
  const authority = await ensureClusterAuthority(deps);
  const request = { role: 'server' as const, commonName: settings.serverNames[0] ?? 'localhost', cluster: context.cluster, dnsNames: [...settings.serverNames], ipAddresses: [...settings.serverAddresses], validityDays: SERVER_CERTIFICATE_DAYS };
  const tls = await ensureCertificate(deps, 'enc-server', request, authority.intermediate);
  const provideEnc = async (certname: string): Promise<string | undefined> => {
    try {
      return await readFile(encPathFor(context.encDir, certname), 'utf8');
    } catch {
      return undefined; // not published (yet), or not a certname at all: 404
    }
  };
  const app = createEncApp({ provideEnc, vault, puppetServerNames: settings.puppetServerNames, log: context.log });
  return startEncServer(app, {
    host: settings.listen.host,
    port: settings.listen.port,
    tls: { certificatePem: tls.certificatePem + authority.intermediate.certificatePem, keyPem: tls.keyPem, clientCaPems: [authority.root.certificatePem, authority.intermediate.certificatePem] },
  });
}

/** Most boot tokens remembered; the oldest is forgotten first. */
const MAX_BOOT_TOKENS = 10_000;

/** The boot routes (per-MAC iPXE scripts and boot assets), choosing each node's target from its lifecycle state. */
export async function createBootEndpoint(settings: BootEndpointSettings, controllerStore: Pick<ControllerStore, 'findNodeStateByMac'>, log: Logger): Promise<ReturnType<typeof bootRoutes>> {
  const boot = createIpxeBootDriver(settings.settings, await loadBootTemplates());
  const tokens = new Map<string, string>();
  return bootRoutes({
    boot,
    assetsDir: settings.assetsDir,
    log,
    findNodeState: async (mac) => (await controllerStore.findNodeStateByMac(mac)) as NodeLifecycleState | undefined,
    issueBootToken: (mac) => {
      const token = randomBytes(18).toString('base64url');
      tokens.delete(mac);
      tokens.set(mac, token);
      if (tokens.size > MAX_BOOT_TOKENS) tokens.delete(tokens.keys().next().value as string);
      return token;
    },
  });
}
