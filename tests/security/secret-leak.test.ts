/**
 * Seeds known secret values (canaries) into the vault, the environment and a secrets file, runs every path
 * that exists (validate, compile, enc and node CLIs, ENC delivery over mutual TLS, secret references, vault
 * failures, the store) and greps everything they produced: output, logs, error messages, files on disk.
 * Only the ENC delivered to its own node may carry its own secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { claimFromInventory, decideEnrolment } from '../../reconciler/inventory/enrol.js';
import { createLogger } from '../../reconciler/lib/logger.js';
import { openFileVault } from '../../reconciler/secrets/file-vault.js';
import { resolveSecretReference } from '../../reconciler/secrets/resolve-reference.js';
import { SECRET_KEY_ENV } from '../../reconciler/secrets/vault-key.js';
import { SqliteStore } from '../../reconciler/store/sqlite/sqlite-store.js';
import { FIXTURE_TIMEOUT_MS, fetchEnc, startEncFixture, type EncFixture } from '../pki/enc-fixture.js';
import { buildExampleSnapshot } from '../support/example-inventory.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = join(ROOT, 'cluster-repo-example');
const CONTROLLER = 'pub1-controller-1.pub1.example.net';
const canary = (label: string) => `canary-${label}-${randomBytes(8).toString('hex')}`;

/** ENC secrets of the example's roles, and the three BMC password references of its Node manifests. */
const ENC_SECRETS: Record<string, string> = {
  keystone_admin_password: canary('keystone'),
  rabbitmq_password: canary('rabbitmq'),
  mon_key: canary('ceph-mon'),
  swift_hash_path_suffix: canary('swift'),
  galera_root_password: canary('galera'),
};
const BMC = { env: canary('bmc-env'), file: canary('bmc-file'), store: canary('bmc-store') };
const ALL = [...Object.values(ENC_SECRETS), ...Object.values(BMC)];

/** Every canary found in `text`, raw or base64-encoded. */
function findLeaks(text: string, allowed: readonly string[] = []): string[] {
  return ALL.filter((value) => !allowed.includes(value)).filter((value) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')));
}

interface Output {
  source: string;
  text: string;
}

function describeFailure(error: unknown): string {
  const record = error as { message?: string; details?: unknown; cause?: unknown; stack?: string };
  return JSON.stringify({ message: record.message, details: record.details, cause: String(record.cause), stack: record.stack });
}

describe('secret-leak check', () => {
  let dir: string;
  let fixture: EncFixture;
  const logLines: string[] = [];
  const outputs: Output[] = [];
  let delivered = '';
  const key = randomBytes(32);

  async function runCli(args: string[]): Promise<void> {
    const env = { ...process.env, BMC_PASSWORD: BMC.env, [SECRET_KEY_ENV]: key.toString('base64'), PLINTH_LOG_LEVEL: 'debug' };
    const result = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'reconciler', 'cli', 'main.ts'), ...args], { cwd: dir, env, maxBuffer: 64 << 20 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
    );
    outputs.push({ source: `plinth ${args.join(' ')}`, text: result.stdout + result.stderr });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plinth-leak-'));
    const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
    fixture = await startEncFixture({ key, log, vaultDir: dir });
    for (const [name, value] of Object.entries(ENC_SECRETS)) await fixture.vault.set(name, value);
    await fixture.vault.set('bmc/controller-3', BMC.store);
    await mkdir(join(dir, 'secrets', 'bmc'), { recursive: true });
    await writeFile(join(dir, 'secrets', 'bmc', 'compute-a02-7.password'), `${BMC.file}\n`, { mode: 0o600 });

    const own = await fixture.certificatesOf(CONTROLLER);
    const other = await fixture.certificatesOf('pub1-compute-10.pub1.example.net');
    delivered = (await fetchEnc(fixture, `/v1/enc/${CONTROLLER}`, own.client)).body;
    for (const [path, client] of [[`/v1/enc/${CONTROLLER}`, other.client], ['/v1/enc/nobody.example.net', fixture.puppetServer.client], ['/v1/enc/BAD_NAME', own.client]] as const) {
      const response = await fetchEnc(fixture, path, client);
      outputs.push({ source: `GET ${path} → ${response.status}`, text: response.body });
    }
    outputs.push({ source: 'compile result', text: JSON.stringify(fixture.compiled) });

    const snapshotFile = join(dir, 'inventory.json');
    await writeFile(snapshotFile, JSON.stringify(buildExampleSnapshot()));
    await runCli(['validate', EXAMPLE]);
    await runCli(['validate', EXAMPLE, '--format', 'json']);
    await runCli(['enc', CONTROLLER, '--repo', EXAMPLE, '--inventory', snapshotFile]);
    await runCli(['nodes', '--repo', EXAMPLE, '--inventory', snapshotFile, '--output', 'json']);
  }, FIXTURE_TIMEOUT_MS + 240_000);

  afterAll(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the canaries where they belong, so the search can find something', async () => {
    const deps = { env: { BMC_PASSWORD: BMC.env }, secretsDir: join(dir, 'secrets'), vault: fixture.vault };
    expect(await resolveSecretReference({ env: 'BMC_PASSWORD' }, deps)).toBe(BMC.env);
    expect(await resolveSecretReference({ file: 'bmc/compute-a02-7.password' }, deps)).toBe(BMC.file);
    expect(await resolveSecretReference({ store: 'bmc/controller-3' }, deps)).toBe(BMC.store);
    expect(findLeaks(delivered)).toEqual([ENC_SECRETS.keystone_admin_password]);
  });

  it('leaves no secret in CLI output, compile output or HTTP error bodies', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    // The CLI really ran: its ENC holds the placeholder where delivery puts the secret.
    expect(outputs.find((output) => output.source.startsWith('plinth enc'))?.text).toContain('keystone_admin_password: "ENC_SECRET(keystone_admin_password)"');
    const leaks = outputs.map((output) => ({ source: output.source, leaks: findLeaks(output.text) })).filter((entry) => entry.leaks.length > 0);
    expect(leaks).toEqual([]);
  });

  it('leaves no secret in the controller log', () => {
    expect(logLines.join('')).toContain('enc delivered');
    expect(findLeaks(logLines.join(''))).toEqual([]);
  });

  it('leaves no secret in error messages, details, causes or stacks', async () => {
    const failures: string[] = [];
    const capture = (promise: Promise<unknown>) => promise.then(() => failures.push('no error'), (error: unknown) => failures.push(describeFailure(error)));
    await capture(resolveSecretReference({ env: 'BMC_PASSWORD' }, { env: {}, secretsDir: dir }));
    await capture(resolveSecretReference({ file: 'secrets' }, { env: {}, secretsDir: dir }));
    await capture(resolveSecretReference({ store: 'bmc/none' }, { env: {}, secretsDir: dir, vault: fixture.vault }));
    await capture(openFileVault({ path: join(dir, 'pub1.vault'), cluster: 'pub1', key: randomBytes(32) }));
    const envelope = JSON.parse(await readFile(join(dir, 'pub1.vault'), 'utf8')) as Record<string, string>;
    await writeFile(join(dir, 'tampered.vault'), JSON.stringify({ ...envelope, tag: Buffer.alloc(16).toString('base64') }));
    await capture(openFileVault({ path: join(dir, 'tampered.vault'), cluster: 'pub1', key }));
    await capture(fixture.vault.rotate('bmc/controller-3'));
    expect(failures.filter((failure) => failure === 'no error')).toEqual([]);
    expect(failures.flatMap((failure) => findLeaks(failure))).toEqual([]);
  });

  it('leaves no secret in any file on disk: vault, store database, written configuration', async () => {
    const store = SqliteStore.open(join(dir, 'plinth.db'));
    for (const node of buildExampleSnapshot().nodes) {
      const claim = claimFromInventory(node.inventory);
      const rawBody = Buffer.from(JSON.stringify(node.inventory));
      await store.ingestReport({ rawBody, inventory: node.inventory, claim, receivedAt: '2026-01-01T00:00:00Z' }, (ingested, context) => decideEnrolment(ingested, context, node.inventory));
    }
    for (const allocation of fixture.compiled.allocations) await store.allocateAddress({ ...allocation, allocatedAt: '2026-01-01T00:00:00Z' });
    await store.close();
    const files = (await readdir(dir)).filter((name) => name !== 'secrets');
    expect(files).toEqual(expect.arrayContaining(['pub1.vault', 'plinth.db']));
    const leaks: string[] = [];
    for (const name of files) {
      const bytes = await readFile(join(dir, name)).catch(() => Buffer.alloc(0));
      leaks.push(...findLeaks(bytes.toString('latin1')).map((value) => `${name}: ${value}`));
    }
    expect(leaks).toEqual([]);
  });
});
