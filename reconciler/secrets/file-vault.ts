import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../lib/atomic-write.js';
import { generateSecret } from './generate-secret.js';
import { SecretError } from './secret-error.js';
import type { SecretRecord, SecretSpec, SecretSummary, SecretVault } from './types.js';
import { openVault, parseEnvelope, sealVault } from './vault-cipher.js';

export const DEFAULT_ROTATION_GRACE_MS = 7 * 24 * 3600 * 1000;
const NAME = /^[A-Za-z0-9._/-]{1,200}$/;

export interface FileVaultOptions {
  /** The encrypted vault file of one cluster; created (mode 0600) on the first write. */
  path: string;
  cluster: string;
  /** 32-byte AES key, see `loadVaultKey`. */
  key: Buffer;
  clock?: () => Date;
  /** How long a rotated-out value stays readable, so services can move to the new one. */
  rotationGraceMs?: number;
}

type Records = Record<string, SecretRecord>;

async function readRecords(options: FileVaultOptions): Promise<Records> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const envelope = parseEnvelope(text, options.path);
  if (envelope.cluster !== options.cluster) {
    throw new SecretError('SECRET_VAULT_CLUSTER', `the vault ${options.path} belongs to cluster ${envelope.cluster}, not ${options.cluster}`, {
      details: { vault: options.path },
    });
  }
  const plaintext = openVault(envelope, options.key, options.path);
  return (JSON.parse(plaintext.toString('utf8')) as { secrets: Records }).secrets;
}

/** The refused name is not echoed: a caller that swapped name and value would otherwise print the value. */
function checkName(name: string): void {
  if (!NAME.test(name)) throw new SecretError('SECRET_SPEC_INVALID', `a secret name must be 1 to 200 letters, digits and . _ / - (got ${name.length} characters)`);
}

function retire(record: SecretRecord, now: string): SecretRecord['previous'] {
  return [{ ...record.current, retiredAt: now }, ...record.previous];
}

/**
 * A cluster's vault in one AES-256-GCM encrypted file, rewritten atomically with a fresh nonce on every
 * change. Values are held in memory after opening; writes are serialised so none is lost.
 * Example: `const vault = await FileVault.open({ path, cluster: 'pub1', key: await loadVaultKey({ keyFile }) })`.
 */
export class FileVault implements SecretVault {
  readonly cluster: string;
  private readonly clock: () => Date;
  private readonly graceMs: number;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly options: FileVaultOptions,
    private readonly records: Records,
  ) {
    this.cluster = options.cluster;
    this.clock = options.clock ?? (() => new Date());
    this.graceMs = options.rotationGraceMs ?? DEFAULT_ROTATION_GRACE_MS;
  }

  static async open(options: FileVaultOptions): Promise<FileVault> {
    if (options.key.length !== 32) throw new SecretError('SECRET_KEY_INVALID', 'the vault key must be 32 bytes');
    return new FileVault(options, await readRecords(options));
  }

  get(name: string): string | undefined {
    return this.records[name]?.current.value;
  }

  names(): string[] {
    return Object.keys(this.records).sort();
  }

  inspect(name: string): SecretSummary | undefined {
    const record = this.records[name];
    if (record === undefined) return undefined;
    return { name, kind: record.spec.kind, createdAt: record.current.createdAt, previousVersions: this.previous(name).length };
  }

  previous(name: string): string[] {
    return (this.records[name]?.previous ?? []).filter((version) => this.isInGrace(version.retiredAt, this.clock())).map((version) => version.value);
  }

  async ensure(name: string, spec: SecretSpec): Promise<string> {
    checkName(name);
    return this.serialise(async () => {
      const existing = this.records[name];
      if (existing !== undefined) return existing.current.value;
      const value = generateSecret(spec);
      await this.replace(name, { spec, current: { value, createdAt: this.clock().toISOString() }, previous: [] });
      return value;
    });
  }

  async set(name: string, value: string): Promise<void> {
    checkName(name);
    if (value === '') throw new SecretError('SECRET_EMPTY', `secret ${name} cannot be set to an empty value`, { details: { secret: name } });
    return this.serialise(async () => {
      const existing = this.records[name];
      if (existing?.current.value === value) return;
      const now = this.clock().toISOString();
      await this.replace(name, { spec: { kind: 'imported' }, current: { value, createdAt: now }, previous: existing ? retire(existing, now) : [] });
    });
  }

  async rotate(name: string, spec?: SecretSpec): Promise<string> {
    checkName(name);
    return this.serialise(async () => {
      const existing = this.records[name];
      if (existing === undefined) throw new SecretError('SECRET_NOT_FOUND', `secret ${name} does not exist, so it cannot be rotated`, { details: { secret: name } });
      const next = spec ?? existing.spec;
      if (next.kind === 'imported') throw new SecretError('SECRET_SPEC_INVALID', `secret ${name} is imported; set a new value instead of rotating it`, { details: { secret: name } });
      const value = generateSecret(next);
      const now = this.clock().toISOString();
      await this.replace(name, { spec: next, current: { value, createdAt: now }, previous: retire(existing, now) });
      return value;
    });
  }

  /** Runs one read-decide-write at a time, so two first needs of a secret cannot both generate it. */
  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private isInGrace(retiredAt: string, now: Date): boolean {
    return Date.parse(retiredAt) + this.graceMs > now.getTime();
  }

  /** Sets a record in memory and persists the whole vault; a failed write puts the old record back. */
  private async replace(name: string, next: SecretRecord): Promise<void> {
    const before = this.records[name];
    this.records[name] = next;
    try {
      await this.persist();
    } catch (error) {
      if (before === undefined) delete this.records[name];
      else this.records[name] = before;
      throw error;
    }
  }

  private async persist(): Promise<void> {
    const now = this.clock();
    for (const record of Object.values(this.records)) record.previous = record.previous.filter((version) => this.isInGrace(version.retiredAt, now));
    const sorted = Object.fromEntries(Object.entries(this.records).sort(([a], [b]) => a.localeCompare(b)));
    const envelope = sealVault(Buffer.from(JSON.stringify({ secrets: sorted })), this.options.key, this.options.cluster);
    await writeFileAtomic(this.options.path, `${JSON.stringify(envelope, null, 2)}\n`, { mode: 0o600 });
  }
}

/** Opens (or starts) a cluster's vault file. Example: `await openFileVault({ path, cluster: 'pub1', key })`. */
export function openFileVault(options: FileVaultOptions): Promise<SecretVault> {
  return FileVault.open(options);
}
