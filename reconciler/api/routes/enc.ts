import { Hono, type Context } from 'hono';
import type { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { resolveDeliveredEnc } from '../../secrets/deliver-enc-secrets.js';
import type { SecretSpec, SecretVault } from '../../secrets/types.js';
import { HttpError } from '../http-error.js';

/** What the ENC routes read from Hono's context: the Node request, whose socket carries the TLS session. */
export interface EncEnv {
  Bindings: { incoming?: { socket?: unknown } };
}

export interface EncRoutesDeps {
  /** The node's rendered ENC with secret placeholders (compile's `encYaml`), or undefined for an unknown certname. */
  provideEnc: (certname: string) => Promise<string | undefined>;
  /** Secrets are swapped in at delivery, from here, and only for the node that asked. */
  vault: SecretVault;
  /** Names (CN or DNS SAN) of the Puppet server's certificate, which may fetch every node's ENC. */
  puppetServerNames?: readonly string[];
  specFor?: (name: string) => SecretSpec;
  log?: Logger;
}

/** The names a client certificate vouches for: its subject CN and its DNS subject alternative names. */
export interface PeerIdentity {
  commonName?: string;
  dnsNames: string[];
}

const CERTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Who may read `certname`'s ENC: the node whose certificate names it, or the Puppet server. Pure.
 * Example: `authorizeEncRequest('web-1.example.net', { commonName: 'web-1.example.net', dnsNames: [] }, [])` → 'node'.
 */
export function authorizeEncRequest(certname: string, peer: PeerIdentity, puppetServerNames: readonly string[]): 'node' | 'puppet-server' | undefined {
  const names = new Set([peer.commonName, ...peer.dnsNames].filter((name): name is string => name !== undefined).map((name) => name.toLowerCase()));
  if (names.has(certname.toLowerCase())) return 'node';
  if (puppetServerNames.some((name) => names.has(name.toLowerCase()))) return 'puppet-server';
  return undefined;
}

/** Reads the identity off a verified peer certificate; undefined unless the TLS layer authorised the client. */
export function readPeerIdentity(socket: unknown): PeerIdentity | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const certificate: X509Certificate | undefined = socket.getPeerX509Certificate();
  if (certificate === undefined) return undefined;
  const commonName = certificate.subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
  const dnsNames = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  return { commonName, dnsNames };
}

async function serveEnc(c: Context<EncEnv>, deps: EncRoutesDeps, log: Logger): Promise<Response> {
  const certname = c.req.param('certname') ?? '';
  if (!CERTNAME.test(certname) || certname.length > 253) throw new HttpError(400, 'ENC_CERTNAME_INVALID', 'the certname must be a lower-case DNS name');
  // In-process requests (`app.request()`) carry no Node bindings at all: they count as unauthenticated.
  const bindings = c.env as EncEnv['Bindings'] | undefined;
  const peer = readPeerIdentity(bindings?.incoming?.socket);
  if (peer === undefined) throw new HttpError(403, 'ENC_CLIENT_CERTIFICATE_REQUIRED', 'the ENC is served only to a client with a verified certificate');
  const grantedTo = authorizeEncRequest(certname, peer, deps.puppetServerNames ?? []);
  if (grantedTo === undefined) {
    log.warn({ certname, peer: peer.commonName }, 'enc refused: certificate names another machine');
    throw new HttpError(403, 'ENC_FORBIDDEN', 'this certificate may not read that ENC');
  }
  const encYaml = await deps.provideEnc(certname);
  if (encYaml === undefined) throw new HttpError(404, 'ENC_NOT_FOUND', `no ENC for ${certname}`);
  const body = await resolveDeliveredEnc(encYaml, deps.vault, deps.specFor);
  log.info({ certname, peer: peer.commonName, grantedTo }, 'enc delivered');
  return c.body(body, 200, { 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-store' });
}

/**
 * `GET /v1/enc/:certname`: a node's ENC with its secrets, for the node itself or the Puppet server. Mount it
 * only on the mutual-TLS server (`startEncServer`): without a verified client certificate every request is 403.
 * Example: `app.route('/', encRoutes({ provideEnc, vault, puppetServerNames: ['puppet.pub1.example.net'] }))`.
 */
export function encRoutes(deps: EncRoutesDeps): Hono<EncEnv> {
  const app = new Hono<EncEnv>();
  const log = deps.log ?? silentLogger();
  app.get('/v1/enc/:certname', (c) => serveEnc(c, deps, log));
  return app;
}
