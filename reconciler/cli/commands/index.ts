import type { Command } from 'commander';
import { registerEnc } from './enc.js';
import { registerExplain } from './explain.js';
import { registerInventoryExport } from './inventory-export.js';
import { registerNodes } from './nodes.js';
import { registerPlan } from './plan.js';
import { registerReportParse } from './report-parse.js';
import { registerSecrets } from './secrets.js';
import { registerServe } from './serve.js';
import { registerStatus } from './status.js';
import { registerSummary } from './summary.js';
import { registerValidate } from './validate.js';

/** A sub-command registers itself on the root program. Each lives in its own file in this folder. */
export type CommandRegistrar = (program: Command) => void;

/** Every sub-command, in the order `plinth --help` lists them. Add one line per command. */
export const registrars: CommandRegistrar[] = [registerValidate, registerSummary, registerReportParse, registerNodes, registerExplain, registerEnc, registerSecrets, registerPlan, registerInventoryExport, registerServe, registerStatus];
