import { createHash } from 'node:crypto';
import type { EncDocument, EncValue } from './types.js';

/** Keys written bare: Puppet class names and parameter names. Anything else is quoted. */
const PLAIN_KEY = /^[a-z_][a-z0-9_]*(::[a-z0-9_]+)*$/;

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function renderKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : JSON.stringify(key);
}

// Strings are always double-quoted: a JSON string is a valid YAML double-quoted scalar, and quoting keeps
// values such as "yes", "1.0" or "" from being read back as booleans, numbers or null.
function renderScalar(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function isMap(value: EncValue): value is { readonly [key: string]: EncValue } {
  return typeof value === 'object' && !Array.isArray(value);
}

function renderBlock(value: EncValue, indent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly EncValue[]) renderEntry(`${indent}-`, item, `${indent}  `, lines);
    return;
  }
  if (isMap(value)) {
    for (const key of Object.keys(value).sort(compareKeys)) renderEntry(`${indent}${renderKey(key)}:`, value[key] as EncValue, `${indent}  `, lines);
  }
}

function renderEntry(head: string, value: EncValue, childIndent: string, lines: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) lines.push(`${head} []`);
    else {
      lines.push(head);
      renderBlock(value, childIndent, lines);
    }
  } else if (isMap(value)) {
    if (Object.keys(value).length === 0) lines.push(`${head} {}`);
    else {
      lines.push(head);
      renderBlock(value, childIndent, lines);
    }
  } else {
    lines.push(`${head} ${renderScalar(value as string | number | boolean)}`);
  }
}

/**
 * Renders an ENC as the canonical YAML that Puppet reads and plans compare: keys sorted at every level,
 * block style, strings double-quoted, so the same document always gives the same bytes.
 */
export function renderEncYaml(enc: EncDocument): string {
  const lines = ['---'];
  renderEntry('classes:', enc.classes, '  ', lines);
  renderEntry('environment:', enc.environment, '  ', lines);
  renderEntry('parameters:', enc.parameters, '  ', lines);
  return `${lines.join('\n')}\n`;
}

export function digestEncYaml(yaml: string): string {
  return createHash('sha256').update(yaml).digest('hex');
}
