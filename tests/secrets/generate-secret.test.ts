import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSecret } from '../../reconciler/secrets/generate-secret.js';
import { describeSshPublicKey } from '../../reconciler/secrets/ssh-key.js';

const run = promisify(execFile);

describe('generateSecret', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-gen-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes passwords of the asked length from the asked characters, different every time', () => {
    const first = generateSecret({ kind: 'password', length: 64, charset: 'abcdefghij' });
    expect(first).toMatch(/^[a-j]{64}$/);
    expect(generateSecret({ kind: 'password', length: 64, charset: 'abcdefghij' })).not.toBe(first);
  });

  it('makes hex keys of the asked size', () => {
    expect(generateSecret({ kind: 'hex', bytes: 16 })).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses weak parameters', () => {
    expect(() => generateSecret({ kind: 'password', length: 6 })).toThrow(expect.objectContaining({ code: 'SECRET_SPEC_INVALID' }));
    expect(() => generateSecret({ kind: 'password', charset: 'ab' })).toThrow(expect.objectContaining({ code: 'SECRET_SPEC_INVALID' }));
  });

  it('makes an ed25519 key that ssh-keygen reads, with the public line plinth derives', async () => {
    const privateKey = generateSecret({ kind: 'ssh-ed25519' });
    const file = join(dir, 'id_ed25519');
    await writeFile(file, privateKey, { mode: 0o600 });
    const { stdout } = await run('ssh-keygen', ['-y', '-f', file]);
    expect(stdout.trim()).toBe(describeSshPublicKey(privateKey));
  });
});
