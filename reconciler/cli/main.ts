import { Command, CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeError, isPlinthError } from '../lib/errors.js';
import { registrars } from './commands/index.js';

/** Exit codes of every command: 0 success, 1 the input is invalid (or a plan has changes), 2 usage or I/O error. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export function buildProgram(): Command {
  const program = new Command('plinth')
    .description('Declarative GitOps reconciler for bare-metal clouds')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const register of registrars) register(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code. Commands set `process.exitCode` for their own outcome
 * (e.g. 1 for an invalid repository); thrown errors map to exit codes here and only here.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  process.exitCode = undefined;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`plinth: ${describeError(error)}\n`);
    return isPlinthError(error) && error.code !== 'USAGE' ? Number(error.details.exitCode ?? EXIT.usage) : EXIT.usage;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}

/** Whether this module is the program being run (also when reached through a symbolic link). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(fileURLToPath(import.meta.url)) === realpathSync(script);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv);
}
