import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FIXTURE_TIMEOUT_MS, fetchEnc, startEncFixture, type EncFixture } from '../pki/enc-fixture.js';

const run = promisify(execFile);
const CONTROLLER = 'pub1-controller-1.pub1.example.net';
const COMPUTE = 'pub1-compute-10.pub1.example.net';

/** Resolves to the HTTP status, or to the message of the error a refused connection ends with. */
function fetchOverPlainHttp(url: string): Promise<{ status: number } | { refused: string }> {
  return new Promise((resolve) => {
    const req = get(url.replace('https://', 'http://') + `/v1/enc/${CONTROLLER}`, { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ refused: error.message }));
  });
}

describe('ENC delivery over mutual TLS', () => {
  let fixture: EncFixture;

  beforeAll(async () => {
    fixture = await startEncFixture({ key: randomBytes(32) });
  }, FIXTURE_TIMEOUT_MS);

  afterAll(async () => {
    await fixture.dispose();
  });

  it("serves a node its own ENC with the secrets resolved from the vault", async () => {
    const own = await fixture.certificatesOf(CONTROLLER);
    const response = await fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, own.client);
    expect(response.status).toBe(200);
    const password = fixture.vault.get('keystone_admin_password');
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(response.body).toContain(`keystone_admin_password: "${password ?? ''}"`);
    expect(response.body).not.toContain('ENC_SECRET(');
  });

  it('gives the same secret on the next delivery (stable across reconciles)', async () => {
    const own = await fixture.certificatesOf(CONTROLLER);
    const first = await fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, own.puppetAgent);
    const second = await fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, own.client);
    expect(first.status).toBe(200);
    expect(second.body).toBe(first.body);
  });

  it("refuses another node's certificate with 403 and no ENC", async () => {
    const other = await fixture.certificatesOf(COMPUTE);
    const response = await fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, other.client);
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'ENC_FORBIDDEN', message: 'this certificate may not read that ENC' } });
  });

  it("serves any node's ENC to the Puppet server's certificate", async () => {
    const response = await fetchEnc(fixture, `/v1/enc/${COMPUTE}`, fixture.puppetServer.client);
    expect(response.status).toBe(200);
    expect(response.body).toContain('environment:');
  });

  it('answers 404 for a certname that compiles to no machine', async () => {
    const response = await fetchEnc(fixture, '/v1/enc/puppet.pub1.example.net', fixture.puppetServer.client);
    expect(response.status).toBe(404);
  });

  it('refuses the handshake of a client without a certificate', async () => {
    // TLS 1.3 sends the refusal as an alert after the client's half of the handshake.
    await expect(fetchEnc(fixture, `/v1/enc/${CONTROLLER}`)).rejects.toThrow(/certificate required/);
  });

  it("refuses the handshake of a client whose certificate another CA signed, even for the right name", async () => {
    await expect(fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, fixture.foreignCertificate)).rejects.toThrow(/socket hang up|unknown ca|alert/);
  });

  it("refuses the node's server certificate as a client identity (no clientAuth usage)", async () => {
    const own = await fixture.certificatesOf(CONTROLLER);
    await expect(fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, own.server)).rejects.toThrow(/socket hang up|unsupported certificate purpose|alert/);
  });

  it('answers nothing over plain HTTP', async () => {
    const outcome = await fetchOverPlainHttp(fixture.server.url);
    expect(outcome).toEqual({ refused: expect.any(String) });
  });

  it('serves curl presenting the node certificate', async () => {
    const own = await fixture.certificatesOf(COMPUTE);
    const files = { cert: join(fixture.dir, 'curl.crt'), key: join(fixture.dir, 'curl.key'), ca: join(fixture.dir, 'curl-ca.pem') };
    await writeFile(files.cert, own.client.certificatePem);
    await writeFile(files.key, own.client.keyPem, { mode: 0o600 });
    await writeFile(files.ca, fixture.authority.root.certificatePem);
    const { stdout } = await run('curl', ['-sS', '--max-time', '10', '--cert', files.cert, '--key', files.key, '--cacert', files.ca, '-w', '\n%{http_code}', `${fixture.server.url}/v1/enc/${COMPUTE}`]);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('200');
    expect(stdout).toContain(`hostname: "${COMPUTE}"`);
  });
});
