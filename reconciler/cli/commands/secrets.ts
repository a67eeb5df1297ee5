import type { Command } from 'commander';
import { dirname, join } from 'node:path';
import { UsageError } from '../../lib/errors.js';
import { listTrackedCertificates } from '../../pki/cluster-pki.js';
import { planRenewals } from '../../pki/plan-renewals.js';
import { openFileVault } from '../../secrets/file-vault.js';
import type { SecretVault } from '../../secrets/types.js';
import { loadVaultKey } from '../../secrets/vault-key.js';

export interface SecretsFlags {
  vault: string;
  cluster: string;
  /** Defaults to `vault.key` beside the vault; `PLINTH_SECRET_KEY` wins when set. */
  keyFile?: string;
  renewalMarginDays?: string;
}

export interface SecretsIo {
  write: (text: string) => void;
  readInput: () => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  clock?: () => Date;
}

async function openVaultFromFlags(flags: SecretsFlags, io: SecretsIo): Promise<SecretVault> {
  const key = await loadVaultKey({ keyFile: flags.keyFile ?? join(dirname(flags.vault), 'vault.key'), env: io.env });
  return openFileVault({ path: flags.vault, cluster: flags.cluster, key, ...(io.clock ? { clock: io.clock } : {}) });
}

/** `plinth secrets list`: names, kinds and ages, never values. */
export async function runSecretsList(flags: SecretsFlags, io: SecretsIo): Promise<void> {
  const vault = await openVaultFromFlags(flags, io);
  const rows = vault.names().map((name) => vault.inspect(name));
  for (const row of rows) if (row) io.write(`${row.name}\t${row.kind}\t${row.createdAt}${row.previousVersions > 0 ? `\t(${row.previousVersions} previous kept)` : ''}\n`);
  if (rows.length === 0) io.write('the vault holds no secrets\n');
}

/** `plinth secrets rotate NAME`: a fresh value; the old one stays readable for the grace window. */
export async function runSecretsRotate(name: string, flags: SecretsFlags, io: SecretsIo): Promise<void> {
  const vault = await openVaultFromFlags(flags, io);
  await vault.rotate(name);
  io.write(`rotated ${name}; nodes receive the new value with their next ENC\n`);
}

/** `plinth secrets set NAME`: the value comes on standard input, never on the command line. */
export async function runSecretsSet(name: string, flags: SecretsFlags, io: SecretsIo): Promise<void> {
  const value = (await io.readInput()).replace(/\r?\n$/, '');
  if (value === '') throw new UsageError(`no value for ${name} on standard input`);
  const vault = await openVaultFromFlags(flags, io);
  await vault.set(name, value);
  io.write(`stored ${name}\n`);
}

/** `plinth secrets certificates`: every certificate the vault holds with its expiry, and which are due. */
export async function runSecretsCertificates(flags: SecretsFlags, io: SecretsIo): Promise<number> {
  const vault = await openVaultFromFlags(flags, io);
  const now = (io.clock ?? (() => new Date()))();
  const margin = flags.renewalMarginDays === undefined ? undefined : Number(flags.renewalMarginDays);
  if (margin !== undefined && !(Number.isInteger(margin) && margin >= 0)) throw new UsageError('--renewal-margin-days must be a whole number of days');
  const tracked = listTrackedCertificates(vault);
  const due = new Map(planRenewals(tracked, now, margin).map((renewal) => [renewal.name, renewal.reason]));
  for (const certificate of tracked) io.write(`${certificate.name}\t${certificate.notAfter.toISOString()}${due.has(certificate.name) ? `\trenew (${due.get(certificate.name)})` : ''}\n`);
  return due.size > 0 ? 1 : 0;
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerSecrets(program: Command): void {
  const io: SecretsIo = { write: (text) => process.stdout.write(text), readInput: readStandardInput, env: process.env };
  const secrets = program
    .command('secrets')
    .description("manage a cluster's encrypted secret vault (values are never printed)")
    .requiredOption('--vault <file>', 'the encrypted vault file of the cluster')
    .requiredOption('--cluster <name>', 'the cluster the vault belongs to')
    .option('--key-file <file>', 'the vault key (default: vault.key beside the vault; PLINTH_SECRET_KEY wins)');
  const flagsOf = (command: Command) => command.optsWithGlobals<SecretsFlags>();
  secrets.command('list').description('list secret names, kinds and creation times').action((_options: unknown, command: Command) => runSecretsList(flagsOf(command), io));
  secrets
    .command('rotate')
    .description('replace a generated secret with a fresh value')
    .argument('<name>')
    .action((name: string, _options: unknown, command: Command) => runSecretsRotate(name, flagsOf(command), io));
  secrets
    .command('set')
    .description('store an operator-provided secret read from standard input')
    .argument('<name>')
    .action((name: string, _options: unknown, command: Command) => runSecretsSet(name, flagsOf(command), io));
  secrets
    .command('certificates')
    .description('list the cluster certificates with their expiry; exits 1 when some are due for renewal')
    .option('--renewal-margin-days <days>', 'renew certificates that expire within this many days', '30')
    .action(async (_options: unknown, command: Command) => {
      process.exitCode = await runSecretsCertificates(flagsOf(command), io);
    });
}
