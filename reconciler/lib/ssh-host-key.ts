import { createHash } from 'node:crypto';
import { PlinthError } from './errors.js';

/** A host key taken from a node's discovery report: the only key plinth accepts from that node. */
export interface PinnedHostKey {
  /** Key type as OpenSSH names it, e.g. `ssh-ed25519`. */
  type: string;
  /** The key blob exactly as the server sends it during key exchange. */
  blob: Buffer;
}

const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
]);

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAAC3... comment`), as a node's
 * `/etc/ssh/ssh_host_*_key.pub` holds it. Throws SSH_HOST_KEY_INVALID for anything else.
 * Example: `parseOpenSshPublicKey(report.ssh.hostKeys[0])`.
 */
export function parseOpenSshPublicKey(line: string): PinnedHostKey {
  const [type, base64] = line.trim().split(/\s+/);
  if (type === undefined || base64 === undefined || !KEY_TYPES.has(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw invalidKey('expected "<type> <base64>" with a supported key type');
  }
  const blob = Buffer.from(base64, 'base64');
  // The blob starts with its own type name (RFC 4253 §6.6); a mismatch means a mangled or spliced line.
  if (blob.length < 4) throw invalidKey('the key blob is truncated');
  const nameLength = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + nameLength).toString('latin1') !== type) {
    throw invalidKey(`the key blob does not hold a ${type} key`);
  }
  return { type, blob };
}

/** Host key algorithms to offer so that the server presents the pinned key and not another of its keys. */
export function hostKeyAlgorithmsFor(key: PinnedHostKey): string[] {
  // RSA keys are signed with SHA-2 variants but keep the `ssh-rsa` blob type.
  return key.type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [key.type];
}

/** The `SHA256:...` fingerprint OpenSSH prints, for error messages and logs. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function invalidKey(reason: string): PlinthError {
  return new PlinthError('SSH_HOST_KEY_INVALID', `The pinned SSH host key is not a valid OpenSSH public key: ${reason}`);
}
