import { describe, expect, it } from '@jest/globals';
import { fingerprintOf, hostKeyAlgorithmsFor, parseOpenSshPublicKey } from './ssh-host-key.js';

// A real ed25519 public key line as ssh-keygen writes it (generated for this test, no private half kept).
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIADQOjnnGjSlYymUr54/76jz7EkCHDRcUbzAUPcQ93wX node-1';

describe('parseOpenSshPublicKey', () => {
  it('reads the type and the blob of an OpenSSH public key line', () => {
    const key = parseOpenSshPublicKey(ED25519);

    expect(key.type).toBe('ssh-ed25519');
    expect(key.blob.length).toBe(51);
    expect(fingerprintOf(key.blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses a line whose blob holds another key type', () => {
    const spliced = ED25519.replace('ssh-ed25519', 'ecdsa-sha2-nistp256');

    expect(() => parseOpenSshPublicKey(spliced)).toThrow(expect.objectContaining({ code: 'SSH_HOST_KEY_INVALID' }));
  });

  it('refuses text that is not a public key line', () => {
    expect(() => parseOpenSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----')).toThrow(expect.objectContaining({ code: 'SSH_HOST_KEY_INVALID' }));
    expect(() => parseOpenSshPublicKey('')).toThrow(expect.objectContaining({ code: 'SSH_HOST_KEY_INVALID' }));
  });
});

describe('hostKeyAlgorithmsFor', () => {
  it('offers only the pinned key type, and the SHA-2 signatures for RSA', () => {
    expect(hostKeyAlgorithmsFor({ type: 'ssh-ed25519', blob: Buffer.alloc(0) })).toEqual(['ssh-ed25519']);
    expect(hostKeyAlgorithmsFor({ type: 'ssh-rsa', blob: Buffer.alloc(0) })).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
