import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { PlinthError } from '../../lib/errors.js';
import { CERTNAME_PATTERN, checkEnc } from './enc-check.js';
import type { PublishResult } from './types.js';

export interface EncStoreOptions {
  /** The folder `plinth-enc.sh` reads (`$ENC_DIR/<certname>.yaml`). */
  encDir: string;
  /** ENCs carry service passwords: readable by the owner and the Puppet server's group only. */
  mode?: number;
}

export function encPathFor(encDir: string, certname: string): string {
  assertCertname(certname);
  return join(encDir, `${certname}.yaml`);
}

export function digestEnc(encYaml: string): string {
  return createHash('sha256').update(encYaml).digest('hex');
}

/**
 * Publishes one node's ENC: checks it, compares digests with what is published, and replaces the file
 * atomically (temp + rename in the same folder) so Puppet never reads half an ENC.
 * Example: `await publishEncFile({ encDir }, 'c1-compute-1.example.net', renderedYaml)`.
 */
export async function publishEncFile(options: EncStoreOptions, certname: string, encYaml: string, dryRun = false): Promise<PublishResult> {
  const path = encPathFor(options.encDir, certname);
  const problems = checkEnc(encYaml, `${certname}.yaml`);
  if (problems.length > 0) {
    const first = problems[0];
    throw new PlinthError('PUPPET_ENC_INVALID', `ENC for ${certname} is invalid: ${first?.message} (line ${first?.line}, col ${first?.col})`, {
      details: { certname, problems },
    });
  }
  const digest = digestEnc(encYaml);
  const current = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (current !== undefined && digestEnc(current) === digest) return { changed: false, dryRun, digest, path };
  if (dryRun) return { changed: true, dryRun, digest, path };
  await mkdir(options.encDir, { recursive: true, mode: 0o750 });
  await writeFileAtomic(path, encYaml, { mode: options.mode ?? 0o640 });
  return { changed: true, dryRun, digest, path };
}

export async function removeEncFile(options: EncStoreOptions, certname: string): Promise<{ changed: boolean }> {
  const path = encPathFor(options.encDir, certname);
  try {
    await rm(path);
    return { changed: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { changed: false };
    throw error;
  }
}

function assertCertname(certname: string): void {
  if (!CERTNAME_PATTERN.test(certname) || certname.length > 253) {
    throw new PlinthError('PUPPET_CERTNAME_INVALID', `"${certname}" is not a valid certname (lowercase host name)`, { details: { certname } });
  }
}
