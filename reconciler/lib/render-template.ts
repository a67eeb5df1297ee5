import { readFile } from 'node:fs/promises';
import { PlinthError } from './errors.js';

/** A compiled template: fills `{{ name }}` placeholders from `values`. */
export type Template = (values: Readonly<Record<string, string>>) => string;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Compiles a template once so that rendering is a join (boot scripts are rendered per request).
 * Values may not contain line breaks: every template plinth renders is line-oriented (dnsmasq options,
 * iPXE commands), so a line break in a value would smuggle in a new directive.
 * Example: `compileTemplate('port={{ port }}\n', 'x')({ port: '0' })` → `'port=0\n'`.
 */
export function compileTemplate(text: string, name: string): Template {
  const literals: string[] = [];
  const keys: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    literals.push(text.slice(last, match.index));
    keys.push(match[1] ?? '');
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return (values) => {
    let output = literals[0] ?? '';
    for (let index = 0; index < keys.length; index += 1) {
      output += readValue(values, keys[index] ?? '', name) + (literals[index + 1] ?? '');
    }
    return output;
  };
}

function readValue(values: Readonly<Record<string, string>>, key: string, name: string): string {
  const value = values[key];
  if (value === undefined) {
    throw new PlinthError('TEMPLATE_VALUE_MISSING', `template ${name} needs a value for "${key}"`, { details: { template: name, key } });
  }
  if (/[\r\n\0]/.test(value)) {
    throw new PlinthError('TEMPLATE_VALUE_INVALID', `template ${name}: the value of "${key}" contains a line break`, {
      details: { template: name, key },
    });
  }
  return value;
}

/** The placeholder names a template uses, in order of first appearance. */
export function listTemplateKeys(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))];
}

/** Reads and compiles a template file. */
export async function loadTemplate(path: string): Promise<Template> {
  return compileTemplate(await readFile(path, 'utf8'), path);
}
