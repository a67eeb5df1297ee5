import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretError } from './secret-error.js';

/** What the vault file holds: everything but the ciphertext is public. */
export interface VaultEnvelope {
  format: 'plinth-vault/v1';
  cluster: string;
  /** Tells a wrong key apart from tampering without revealing the key. */
  keyId: string;
  nonce: string;
  tag: string;
  ciphertext: string;
}

const NONCE_BYTES = 12;

/** A public fingerprint of the key: a hash over a fixed label, so it is useless for recovering the key. */
export function describeKeyId(key: Buffer): string {
  return createHash('sha256').update('plinth vault key id\0').update(key).digest('hex').slice(0, 16);
}

/** Binds the ciphertext to its cluster: a vault copied to another cluster's file fails authentication. */
function associatedData(cluster: string): Buffer {
  return Buffer.from(`plinth-vault/v1\0${cluster}`);
}

/** Encrypts with AES-256-GCM under a fresh random nonce (never reused with the same key). */
export function sealVault(plaintext: Buffer, key: Buffer, cluster: string): VaultEnvelope {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(associatedData(cluster));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    format: 'plinth-vault/v1',
    cluster,
    keyId: describeKeyId(key),
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts and authenticates; a wrong key and a modified file fail with distinct typed errors. */
export function openVault(envelope: VaultEnvelope, key: Buffer, origin: string): Buffer {
  if (envelope.keyId !== describeKeyId(key)) {
    throw new SecretError('SECRET_KEY_MISMATCH', `the vault ${origin} was written with another key (key id ${envelope.keyId})`, { details: { vault: origin } });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.nonce, 'base64'));
    decipher.setAAD(associatedData(envelope.cluster));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
  } catch (error) {
    throw new SecretError('SECRET_TAMPERED', `the vault ${origin} failed authenticated decryption: it was modified or damaged`, {
      cause: error,
      details: { vault: origin },
    });
  }
}

/** Reads the envelope's JSON, checking its shape before anything is decrypted. */
export function parseEnvelope(text: string, origin: string): VaultEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretError('SECRET_VAULT_CORRUPT', `the vault ${origin} is not valid JSON`, { details: { vault: origin } });
  }
  const fields = ['cluster', 'keyId', 'nonce', 'tag', 'ciphertext'] as const;
  const record = parsed as Record<string, unknown>;
  if (typeof parsed !== 'object' || parsed === null || record.format !== 'plinth-vault/v1' || fields.some((field) => typeof record[field] !== 'string')) {
    throw new SecretError('SECRET_VAULT_CORRUPT', `the vault ${origin} is not a plinth-vault/v1 envelope`, { details: { vault: origin } });
  }
  return parsed as VaultEnvelope;
}
