import { afterEach, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { STATUS_DRIVERS, type ForgeKind } from '../../reconciler/report/forges/index.js';
import { CONTRACT_ROOT, ContractServer, loadContracts, type Contract } from './contract-server.js';

const NOW = Date.parse('2026-01-10T09:00:00Z');
/** Single-call contracts; rate limits and recoveries span several calls and have their own tests. */
function singleCallContracts(forge: ForgeKind): string[] {
  return readdirSync(join(CONTRACT_ROOT, forge))
    .map((name) => name.replace(/\.json$/, ''))
    .filter((name) => !['rate-limited', 'outage-then-recovery'].includes(name))
    .sort();
}

const API_PREFIX: Record<ForgeKind, string> = { github: '', gitlab: '/api/v4', gitea: '/api/v1' };

let server: ContractServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Runs one ensureStatus against a contract; returns the result or the error thrown. */
async function runContract(forge: ForgeKind, contract: Contract): Promise<{ result?: unknown; error?: unknown }> {
  const prefix = API_PREFIX[forge];
  const interactions = contract.interactions.map((interaction) => ({ ...interaction, request: { ...interaction.request, path: prefix + interaction.request.path } }));
  server = new ContractServer(interactions, { resetEpochSeconds: String(NOW / 1000 + 120) });
  const baseUrl = (await server.start()) + prefix;
  const driver = STATUS_DRIVERS[forge]({ baseUrl, project: contract.project, token: contract.token, now: () => NOW });
  try {
    return { result: await driver.ensureStatus(contract.desired) };
  } catch (error) {
    return { error };
  }
}

describe.each(['github', 'gitlab', 'gitea'] as const)('%s commit-status driver against recorded contracts', (forge) => {
  it('has contracts that cite the documentation they were transcribed from', async () => {
    for (const { contract } of await loadContracts(forge)) expect(contract.documentation.every((url) => url.startsWith('https://'))).toBe(true);
  });

  it.each(singleCallContracts(forge))('follows the %s contract exactly', async (name) => {
    const found = (await loadContracts(forge)).find((entry) => entry.name === `${name}.json`);
    if (!found) throw new Error(`missing contract ${forge}/${name}`);
    const { contract } = found;
    const outcome = await runContract(forge, contract);
    expect(server?.mismatches).toEqual([]);
    if ('posted' in contract.expect) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.result).toEqual({ posted: contract.expect.posted });
      expect(server?.remaining).toBe(0);
    } else {
      expect(outcome.error).toMatchObject(contract.expect.error);
      expect(server?.remaining).toBe(0);
    }
    expect(JSON.stringify(outcome.error ?? {}) + String(outcome.error)).not.toContain(contract.token);
  });
});

describe.each(['github', 'gitlab'] as const)('%s rate limits', (forge) => {
  it('turns a rate-limit answer into a transient error and sends nothing more until the reset', async () => {
    const found = (await loadContracts(forge)).find((entry) => entry.name === 'rate-limited.json');
    if (!found) throw new Error(`missing contract ${forge}/rate-limited`);
    const prefix = API_PREFIX[forge];
    const interactions = found.contract.interactions.map((interaction) => ({ ...interaction, request: { ...interaction.request, path: prefix + interaction.request.path } }));
    server = new ContractServer(interactions, { resetEpochSeconds: String(NOW / 1000 + 120) });
    const baseUrl = (await server.start()) + prefix;
    const driver = STATUS_DRIVERS[forge]({ baseUrl, project: found.contract.project, token: found.contract.token, now: () => NOW });
    await expect(driver.ensureStatus(found.contract.desired)).rejects.toMatchObject({ code: 'FORGE_RATE_LIMITED', transient: true });
    // The second call is refused locally: a request would be an unexpected extra one for the server.
    await expect(driver.ensureStatus(found.contract.desired)).rejects.toMatchObject({ code: 'FORGE_RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    expect(server.mismatches).toEqual([]);
    expect(server.remaining).toBe(0);
  });
});
