import type { Command } from 'commander';

/** A sub-command registers itself on the root program. Each lives in its own file in this folder. */
export type CommandRegistrar = (program: Command) => void;

/** Every sub-command, in the order `plinth --help` lists them. Add one line per command. */
export const registrars: CommandRegistrar[] = [];
