import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatText } from './text.js';
import type { ProblemFormatter } from './types.js';

export type { FormatContext, ProblemFormatter } from './types.js';

/** Every output format of `plinth validate --format`. */
export const problemFormatters = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  junit: formatJunit,
} as const satisfies Record<string, ProblemFormatter>;

export type ProblemFormat = keyof typeof problemFormatters;

export function isProblemFormat(value: string): value is ProblemFormat {
  return Object.hasOwn(problemFormatters, value);
}
