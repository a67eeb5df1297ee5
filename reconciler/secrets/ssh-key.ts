import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SecretError } from './secret-error.js';

const MAGIC = Buffer.from('openssh-key-v1\0');
const KEY_TYPE = 'ssh-ed25519';

function encodeString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function encodeUint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

function wrapPem(body: Buffer): string {
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/**
 * A fresh ed25519 key pair as an unencrypted OpenSSH private key, the only format `ssh` and `ssh-keygen`
 * read for ed25519 (PKCS#8 is refused). Layout per OpenSSH's PROTOCOL.key.
 */
export function generateSshKey(comment = ''): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const publicBlob = Buffer.concat([encodeString(KEY_TYPE), encodeString(raw)]);
  const check = randomBytes(4);
  const body = [check, check, encodeString(KEY_TYPE), encodeString(raw), encodeString(Buffer.concat([seed, raw])), encodeString(comment)];
  let section = Buffer.concat(body);
  // The private section is padded with 1, 2, 3... to the cipher block size (8 for "none").
  const padding = Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, index) => index + 1);
  section = Buffer.concat([section, Buffer.from(padding)]);
  const header = [MAGIC, encodeString('none'), encodeString('none'), encodeString(''), encodeUint32(1), encodeString(publicBlob)];
  return wrapPem(Buffer.concat([...header, encodeString(section)]));
}

function readString(data: Buffer, offset: number): { value: Buffer; next: number } {
  if (offset + 4 > data.length) throw new SecretError('SECRET_SPEC_INVALID', 'the OpenSSH key is truncated');
  const length = data.readUInt32BE(offset);
  if (offset + 4 + length > data.length) throw new SecretError('SECRET_SPEC_INVALID', 'the OpenSSH key is truncated');
  return { value: data.subarray(offset + 4, offset + 4 + length), next: offset + 4 + length };
}

/** The public key line (`ssh-ed25519 AAAA... comment`) of an OpenSSH private key made by `generateSshKey`. */
export function describeSshPublicKey(privateKey: string, comment = ''): string {
  const body = Buffer.from(privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  if (!body.subarray(0, MAGIC.length).equals(MAGIC)) throw new SecretError('SECRET_SPEC_INVALID', 'the key is not an OpenSSH private key');
  let offset = MAGIC.length;
  for (let field = 0; field < 3; field += 1) offset = readString(body, offset).next;
  const publicBlob = readString(body, offset + 4).value;
  return `${KEY_TYPE} ${publicBlob.toString('base64')}${comment === '' ? '' : ` ${comment}`}`;
}

