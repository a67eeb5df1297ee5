import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileVault } from '../../secrets/file-vault.js';
import { createEncApp } from '../enc-server.js';
import { authorizeEncRequest, readPeerIdentity } from './enc.js';

describe('authorizeEncRequest', () => {
  const node = 'pub1-compute-1.pub1.example.net';

  it('grants a node its own ENC by CN or by DNS SAN, ignoring case', () => {
    expect(authorizeEncRequest(node, { commonName: node, dnsNames: [] }, [])).toBe('node');
    expect(authorizeEncRequest(node, { commonName: 'other', dnsNames: ['PUB1-COMPUTE-1.pub1.example.net'] }, [])).toBe('node');
  });

  it("grants the Puppet server every node's ENC", () => {
    expect(authorizeEncRequest(node, { commonName: 'puppet.pub1.example.net', dnsNames: [] }, ['puppet.pub1.example.net'])).toBe('puppet-server');
  });

  it('refuses a certificate that names another machine, or a short name that is only a prefix', () => {
    expect(authorizeEncRequest(node, { commonName: 'pub1-compute-2.pub1.example.net', dnsNames: ['pub1-compute-2'] }, [])).toBeUndefined();
    expect(authorizeEncRequest(node, { commonName: 'pub1-compute-1', dnsNames: [] }, [])).toBeUndefined();
  });

  it('reads no identity from a socket that is not an authorised TLS socket', () => {
    expect(readPeerIdentity(undefined)).toBeUndefined();
    expect(readPeerIdentity({ authorized: true })).toBeUndefined();
  });
});

describe('ENC app without a TLS socket', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-enc-app-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 403 and reads no ENC when no verified certificate comes with the request', async () => {
    const asked: string[] = [];
    const vault = await openFileVault({ path: join(dir, 'v'), cluster: 'pub1', key: randomBytes(32) });
    const app = createEncApp({ provideEnc: (certname) => Promise.resolve(void asked.push(certname)), vault });
    const response = await app.request('/v1/enc/pub1-compute-1.pub1.example.net');
    expect(response.status).toBe(403);
    expect(asked).toEqual([]);
  });

  it('answers 400 for a certname that is not a DNS name', async () => {
    const vault = await openFileVault({ path: join(dir, 'v'), cluster: 'pub1', key: randomBytes(32) });
    const response = await createEncApp({ provideEnc: () => Promise.resolve(undefined), vault }).request('/v1/enc/..%2Fetc');
    expect(response.status).toBe(400);
  });
});
