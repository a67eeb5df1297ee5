import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCertificate } from '../../reconciler/pki/check-certificate.js';
import { ensureClusterAuthority, ensureNodeCertificates, listTrackedCertificates, type ClusterPkiDeps } from '../../reconciler/pki/cluster-pki.js';
import { planRenewals } from '../../reconciler/pki/plan-renewals.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';

const DAY_MS = 24 * 3600 * 1000;
const FQDN = 'pub1-cephmon-1.pub1.example.net';

describe('cluster PKI kept in the vault', () => {
  let dir: string;
  let now: Date;
  let deps: ClusterPkiDeps;
  const key = randomBytes(32);
  const validity = { rootDays: 3650, intermediateDays: 1825, leafDays: 90 };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-pki-'));
    now = new Date();
    deps = { vault: await openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key }), cluster: 'pub1', clock: () => now, validity };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('issues once and returns the same certificates on the next reconcile, also after re-opening the vault', async () => {
    const authority = await ensureClusterAuthority(deps);
    const first = await ensureNodeCertificates(deps, authority, { fqdn: FQDN, addresses: ['10.10.0.23'] });
    const reopened = { ...deps, vault: await openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key }) };
    const again = await ensureNodeCertificates(reopened, await ensureClusterAuthority(reopened), { fqdn: FQDN, addresses: ['10.10.0.23'] });
    expect(again).toEqual(first);
  });

  it('stores private keys only encrypted', async () => {
    const text = await readFile(join(dir, 'pub1.vault'), 'utf8');
    expect(text).not.toMatch(/PRIVATE KEY|CERTIFICATE/);
  });

  it('tracks every certificate, and plans renewal of the leaves once inside the margin', () => {
    const tracked = listTrackedCertificates(deps.vault);
    expect(tracked.map((certificate) => certificate.name).sort()).toEqual(
      ['intermediate-ca', `nodes/${FQDN}/client`, `nodes/${FQDN}/puppet-agent`, `nodes/${FQDN}/server`, 'root-ca'].sort(),
    );
    expect(planRenewals(tracked, now)).toEqual([]);
    const later = new Date(now.getTime() + 70 * DAY_MS);
    expect(planRenewals(tracked, later).map((renewal) => renewal.name)).toHaveLength(3);
  });

  it('re-issues a leaf that is due while keeping the CA, and re-issues when addresses change', async () => {
    const authority = await ensureClusterAuthority(deps);
    const before = await ensureNodeCertificates(deps, authority, { fqdn: FQDN, addresses: ['10.10.0.23'] });
    now = new Date(now.getTime() + 70 * DAY_MS);
    const renewedAuthority = await ensureClusterAuthority(deps);
    const renewed = await ensureNodeCertificates(deps, renewedAuthority, { fqdn: FQDN, addresses: ['10.10.0.23'] });
    expect(renewedAuthority).toEqual(authority);
    expect(renewed.server.certificatePem).not.toBe(before.server.certificatePem);
    expect(checkCertificate(renewed.server.certificatePem).notAfter.getTime()).toBeGreaterThan(checkCertificate(before.server.certificatePem).notAfter.getTime());
    const moved = await ensureNodeCertificates(deps, renewedAuthority, { fqdn: FQDN, addresses: ['10.10.0.99'] });
    expect(checkCertificate(moved.server.certificatePem).ipAddresses).toEqual(['10.10.0.99']);
    expect(moved.puppetAgent).toEqual(renewed.puppetAgent);
  });
});

describe('cluster PKI after an interrupted renewal', () => {
  it('re-issues a certificate whose stored key no longer matches it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plinth-pki-'));
    try {
      const vault = await openFileVault({ path: join(dir, 'v'), cluster: 'pub1', key: randomBytes(32) });
      const deps = { vault, cluster: 'pub1', clock: () => new Date() };
      const authority = await ensureClusterAuthority(deps);
      await vault.set('pki/intermediate-ca.key', authority.root.keyPem);
      const again = await ensureClusterAuthority(deps);
      expect(again.root).toEqual(authority.root);
      expect(again.intermediate.certificatePem).not.toBe(authority.intermediate.certificatePem);
      expect(checkCertificate(again.intermediate.certificatePem, again.root.certificatePem).issuedBy).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
