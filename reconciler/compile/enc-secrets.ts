import { PlinthError } from '../lib/errors.js';

/**
 * Secrets never enter compile's output: an ENC holds a placeholder per secret, and only the delivery step,
 * which sends the document to its own node, swaps the real values in. Plans and digests see placeholders.
 */
const PLACEHOLDER = /ENC_SECRET\(([a-z][a-z0-9_]*)\)/g;

export function secretPlaceholder(name: string): string {
  return `ENC_SECRET(${name})`;
}

export function containsSecretPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

/** Names of the secrets a rendered ENC refers to, sorted and distinct. */
export function listEncSecrets(encYaml: string): string[] {
  return [...new Set([...encYaml.matchAll(PLACEHOLDER)].map((match) => match[1] ?? ''))].sort();
}

/**
 * Replaces every placeholder of a rendered ENC with its secret, quoted for the double-quoted YAML scalar it
 * sits in. A secret the lookup does not know fails with `ENC_SECRET_MISSING`, naming the secret, never a value.
 * Example: `resolveEncSecrets(target.encYaml, (name) => store.read(name))`.
 */
export function resolveEncSecrets(encYaml: string, lookup: (name: string) => string | undefined): string {
  const missing = listEncSecrets(encYaml).filter((name) => lookup(name) === undefined);
  if (missing.length > 0) {
    throw new PlinthError('ENC_SECRET_MISSING', `the ENC needs secrets that are not available: ${missing.join(', ')}`, { details: { secrets: missing } });
  }
  // The renderer quotes every string with JSON rules, so the escaped secret without its quotes fits in place.
  return encYaml.replace(PLACEHOLDER, (_whole, name: string) => JSON.stringify(lookup(name) ?? '').slice(1, -1));
}
