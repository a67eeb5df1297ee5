import { listEncSecrets, resolveEncSecrets } from '../compile/enc-secrets.js';
import type { SecretSpec, SecretVault } from './types.js';

/**
 * How an ENC secret is made when a node first asks for it. Role parameters only say `type: secret`, so the
 * name decides: `*_key` and `*_suffix` are hex keys, anything else a password.
 */
export function decideSecretSpec(name: string): SecretSpec {
  if (/_(key|suffix)$/.test(name)) return { kind: 'hex', bytes: 32 };
  return { kind: 'password', length: 32 };
}

/**
 * Swaps an ENC's secret placeholders for the cluster's values at delivery time, generating (and persisting)
 * any secret that is needed for the first time. The result must go only to the node it belongs to.
 * Example: `await resolveDeliveredEnc(target.encYaml, vault)`.
 */
export async function resolveDeliveredEnc(encYaml: string, vault: SecretVault, specFor: (name: string) => SecretSpec = decideSecretSpec): Promise<string> {
  const values = new Map<string, string>();
  for (const name of listEncSecrets(encYaml)) values.set(name, await vault.ensure(name, specFor(name)));
  return resolveEncSecrets(encYaml, (name) => values.get(name));
}
