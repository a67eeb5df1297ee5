import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { SecretVault } from '../secrets/types.js';
import { checkCertificate } from './check-certificate.js';
import { issueCertificate } from './issue-certificate.js';
import { DEFAULT_RENEWAL_MARGIN_DAYS, planRenewals } from './plan-renewals.js';
import type { CertificateRequest, IssuedCertificate, TrackedCertificate } from './types.js';

export interface PkiValidity {
  rootDays: number;
  intermediateDays: number;
  leafDays: number;
}

export const DEFAULT_VALIDITY: PkiValidity = { rootDays: 3650, intermediateDays: 1825, leafDays: 365 };

export interface ClusterPkiDeps {
  /** Private keys and certificates live here, encrypted with the rest of the cluster's secrets. */
  vault: SecretVault;
  cluster: string;
  clock: () => Date;
  renewalMarginDays?: number;
  validity?: PkiValidity;
}

export interface ClusterAuthority {
  root: IssuedCertificate;
  intermediate: IssuedCertificate;
}

export interface NodeCertificates {
  server: IssuedCertificate;
  client: IssuedCertificate;
  /** Pre-generated like OCI does, so the agent's first run needs no signing request: certname = FQDN. */
  puppetAgent: IssuedCertificate;
}

const PREFIX = 'pki/';

function readStored(vault: SecretVault, name: string): IssuedCertificate | undefined {
  const certificatePem = vault.get(`${PREFIX}${name}.crt`);
  const keyPem = vault.get(`${PREFIX}${name}.key`);
  return certificatePem === undefined || keyPem === undefined ? undefined : { certificatePem, keyPem };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/**
 * A stored certificate is kept while it names the same subject, is signed by the current issuer, is not due,
 * and matches its stored key (key and certificate are two vault writes; a crash between them leaves a pair
 * that no longer matches, which this catches).
 */
function isStillGood(stored: IssuedCertificate, request: CertificateRequest, issuer: IssuedCertificate | undefined, deps: ClusterPkiDeps): boolean {
  if (!new X509Certificate(stored.certificatePem).checkPrivateKey(createPrivateKey(stored.keyPem))) return false;
  const facts = checkCertificate(stored.certificatePem, issuer?.certificatePem);
  if (facts.commonName !== request.commonName || facts.issuedBy === false) return false;
  if (!sameSet(facts.dnsNames, request.dnsNames ?? []) || !sameSet(facts.ipAddresses, request.ipAddresses ?? [])) return false;
  return planRenewals([{ name: request.commonName, notAfter: facts.notAfter }], deps.clock(), deps.renewalMarginDays ?? DEFAULT_RENEWAL_MARGIN_DAYS).length === 0;
}

/**
 * Returns the stored certificate `name` when it still fits `request`, else issues a new one and stores the
 * key and the certificate in the vault. Idempotent: a second call with the same request changes nothing.
 */
export async function ensureCertificate(deps: ClusterPkiDeps, name: string, request: CertificateRequest, issuer: IssuedCertificate | undefined): Promise<IssuedCertificate> {
  const stored = readStored(deps.vault, name);
  if (stored !== undefined && isStillGood(stored, request, issuer, deps)) return stored;
  const issued = await issueCertificate(request, issuer, deps.clock());
  await deps.vault.set(`${PREFIX}${name}.key`, issued.keyPem);
  await deps.vault.set(`${PREFIX}${name}.crt`, issued.certificatePem);
  return issued;
}

/** The cluster's root CA and the intermediate that signs every node certificate. */
export async function ensureClusterAuthority(deps: ClusterPkiDeps): Promise<ClusterAuthority> {
  const validity = deps.validity ?? DEFAULT_VALIDITY;
  const root = await ensureCertificate(deps, 'root-ca', { role: 'root-ca', commonName: `${deps.cluster} root CA`, cluster: deps.cluster, validityDays: validity.rootDays }, undefined);
  const intermediate = await ensureCertificate(
    deps,
    'intermediate-ca',
    { role: 'intermediate-ca', commonName: `${deps.cluster} intermediate CA`, cluster: deps.cluster, validityDays: validity.intermediateDays },
    root,
  );
  return { root, intermediate };
}

/** SANs of a node: its short hostname, its FQDN and every address it holds. */
function describeNodeNames(fqdn: string, addresses: readonly string[]): Pick<CertificateRequest, 'dnsNames' | 'ipAddresses'> {
  const short = fqdn.split('.')[0] ?? fqdn;
  return { dnsNames: short === fqdn ? [fqdn] : [short, fqdn], ipAddresses: [...addresses].sort() };
}

/**
 * A node's server, client and Puppet agent certificates, issued by the intermediate.
 * Example: `await ensureNodeCertificates(deps, authority, { fqdn: 'pub1-compute-1.pub1.example.net', addresses: ['10.10.0.21'] })`.
 */
export async function ensureNodeCertificates(deps: ClusterPkiDeps, authority: ClusterAuthority, node: { fqdn: string; addresses: readonly string[] }): Promise<NodeCertificates> {
  const base = { commonName: node.fqdn, cluster: deps.cluster, validityDays: (deps.validity ?? DEFAULT_VALIDITY).leafDays };
  const names = describeNodeNames(node.fqdn, node.addresses);
  const folder = `nodes/${node.fqdn}`;
  return {
    server: await ensureCertificate(deps, `${folder}/server`, { ...base, ...names, role: 'server' }, authority.intermediate),
    client: await ensureCertificate(deps, `${folder}/client`, { ...base, ...names, role: 'client' }, authority.intermediate),
    puppetAgent: await ensureCertificate(deps, `${folder}/puppet-agent`, { ...base, role: 'puppet-agent', dnsNames: [node.fqdn] }, authority.intermediate),
  };
}

/** The certificate of the API's virtual IP, which clients reach by name or by address. */
export async function ensureApiVipCertificate(deps: ClusterPkiDeps, authority: ClusterAuthority, vip: { fqdn: string; address: string }): Promise<IssuedCertificate> {
  const request: CertificateRequest = {
    role: 'server',
    commonName: vip.fqdn,
    cluster: deps.cluster,
    dnsNames: [vip.fqdn],
    ipAddresses: [vip.address],
    validityDays: (deps.validity ?? DEFAULT_VALIDITY).leafDays,
  };
  return ensureCertificate(deps, 'api-vip', request, authority.intermediate);
}

/** Every certificate the vault holds, with its expiry, for `planRenewals`. */
export function listTrackedCertificates(vault: SecretVault): TrackedCertificate[] {
  return vault
    .names()
    .filter((name) => name.startsWith(PREFIX) && name.endsWith('.crt'))
    .map((name) => ({ name: name.slice(PREFIX.length, -'.crt'.length), notAfter: checkCertificate(vault.get(name) ?? '').notAfter }));
}
