import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readStatus, renderStatus, type ControllerStatus } from '../../controller/read-status.js';
import { PlinthError, UsageError } from '../../lib/errors.js';
import { SqliteControllerStore } from '../../store/sqlite/sqlite-controller-store.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';

interface StatusFlags {
  data?: string;
  url?: string;
  output: 'text' | 'json';
}

async function readFromData(dataDir: string): Promise<ControllerStatus> {
  const dbPath = join(dataDir, 'plinth.db');
  if (!existsSync(dbPath)) throw new UsageError(`no store at ${dbPath}`);
  const store = SqliteStore.open(dbPath);
  const controllerStore = SqliteControllerStore.open(dbPath);
  try {
    return await readStatus(store, controllerStore);
  } finally {
    await controllerStore.close();
    await store.close();
  }
}

async function readFromUrl(url: string): Promise<ControllerStatus> {
  let response: Response;
  try {
    response = await fetch(new URL('/v1/status', url), { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new PlinthError('STATUS_UNREACHABLE', `cannot reach the controller at ${url}`, { cause: error, transient: true });
  }
  if (!response.ok) throw new PlinthError('STATUS_FAILED', `the controller answered ${response.status}`, { details: { status: response.status } });
  return (await response.json()) as ControllerStatus;
}

/** `plinth status [--data DIR | --url URL]`: last applied and attempted revisions, nodes by state, what is blocked or failing. */
export async function runStatus(flags: StatusFlags, write: (text: string) => void): Promise<number> {
  if ((flags.data === undefined) === (flags.url === undefined)) throw new UsageError('give exactly one of --data DIR or --url URL');
  const status = flags.url !== undefined ? await readFromUrl(flags.url) : await readFromData(flags.data as string);
  write(flags.output === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
  return status.failing.length > 0 || status.validationErrors.length > 0 ? 1 : 0;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show the last applied and attempted revisions, nodes by state, and anything blocked or failing')
    .option('--data <dir>', 'read the store of a controller on this machine')
    .option('--url <url>', 'ask a running controller (its HTTP listener)')
    .option('--output <format>', 'text or json', 'text')
    .action(async (flags: StatusFlags) => {
      process.exitCode = await runStatus(flags, (text) => process.stdout.write(text));
    });
}
