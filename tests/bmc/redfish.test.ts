/** The Redfish driver against an HTTPS BMC serving the DMTF rack-server mockup, with a pinned test CA. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createRedfishDriver } from '../../reconciler/drivers/bmc/redfish/index.js';
import { isolateBmcDriver } from '../../reconciler/drivers/bmc/isolation/index.js';
import { BmcError } from '../../reconciler/drivers/bmc/errors.js';
import type { BmcTarget } from '../../reconciler/drivers/bmc/types.js';
import { startRedfishServer, type RedfishServer } from '../support/redfish-server.js';
import { createCertificateAuthority } from '../support/test-ca.js';

let server: RedfishServer;
let target: BmcTarget;
const driver = createRedfishDriver({ timeoutMs: 5000 });

async function failureOf(promise: Promise<unknown>): Promise<BmcError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof BmcError)) throw new Error(`expected a BmcError, got ${String(error)}`);
  return error;
}

function writes(): Array<{ method: string; path: string; body?: unknown }> {
  return server.calls.filter((call) => call.method !== 'GET' && !call.path.endsWith('/Sessions')).map(({ method, path, body }) => ({ method, path, body }));
}

beforeAll(async () => {
  server = await startRedfishServer({ username: 'operator', password: 'rf-secret-92' });
  target = { address: server.url, credentials: { username: server.username, password: server.password }, caCertificate: server.caCertificate };
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(() => {
  server.setFaults({});
  server.calls.length = 0;
});

describe('Redfish driver: power', () => {
  it('reads the mockup power state over a session', async () => {
    expect(await driver.getPower(target)).toBe('on');
    expect(server.calls[0]).toMatchObject({ method: 'POST', path: '/redfish/v1/SessionService/Sessions', body: { UserName: 'operator' } });
    expect(server.calls.slice(1).every((call) => call.auth === 'token')).toBe(true);
  });

  it('turns off with ForceOff once, then sees it converged', async () => {
    expect(await driver.ensurePower(target, 'off')).toEqual({ changed: true, before: 'on', after: 'off' });
    expect(server.system().PowerState).toBe('Off');
    expect(await driver.ensurePower(target, 'off')).toEqual({ changed: false, before: 'off', after: 'off' });
    expect(writes()).toEqual([{ method: 'POST', path: '/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset', body: { ResetType: 'ForceOff' } }]);
  });

  it('dry-run reports the change and sends nothing', async () => {
    expect(await driver.ensurePower(target, 'on', { dryRun: true })).toEqual({ changed: true, dryRun: true, before: 'off', after: 'on' });
    expect(writes()).toEqual([]);
    expect(server.system().PowerState).toBe('Off');
  });

  it('cycle of an off machine sends On; of an on machine ForceRestart; soft sends GracefulShutdown', async () => {
    await driver.ensurePower(target, 'cycle');
    await driver.ensurePower(target, 'cycle');
    await driver.ensurePower(target, 'soft');
    expect(writes().map((call) => (call.body as { ResetType: string }).ResetType)).toEqual(['On', 'ForceRestart', 'GracefulShutdown']);
    expect(server.system().PowerState).toBe('Off');
  });
});

describe('Redfish driver: boot override', () => {
  it('PATCHes Boot to PXE, persistent, UEFI and then sees it converged', async () => {
    const result = await driver.ensureBootDevice(target, 'pxe', { persistent: true, efi: true });
    expect(result).toMatchObject({ changed: true, before: { device: 'pxe', persistent: false, efi: true }, after: { device: 'pxe', persistent: true, efi: true } });
    expect(server.system().Boot).toMatchObject({ BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' });
    expect(await driver.ensureBootDevice(target, 'pxe', { persistent: true, efi: true })).toMatchObject({ changed: false });
    expect(writes()).toEqual([
      { method: 'PATCH', path: '/redfish/v1/Systems/437XR1138R2', body: { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Continuous', BootSourceOverrideMode: 'UEFI' } } },
    ]);
  });

  it('sets disk, once, legacy; dry-run first changes nothing', async () => {
    expect(await driver.ensureBootDevice(target, 'disk', { persistent: false, efi: false, dryRun: true })).toMatchObject({ changed: true, dryRun: true });
    expect(writes()).toEqual([]);
    await driver.ensureBootDevice(target, 'disk', { persistent: false, efi: false });
    expect(server.system().Boot).toMatchObject({ BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Once', BootSourceOverrideMode: 'Legacy' });
  });
});

describe('Redfish driver: identity, sessions, auth', () => {
  it('reads identity from the system and the managing BMC', async () => {
    expect(await driver.getInfo(target)).toEqual({
      protocol: 'redfish',
      manufacturer: 'Contoso',
      model: '3500',
      serialNumber: '437XR1138R2',
      firmwareVersion: expect.any(String),
      guid: '38947555-7742-3448-3784-823347823834',
    });
  });

  it('logs in again when the BMC forgets the session', async () => {
    await driver.getPower(target);
    server.dropSessions();
    server.calls.length = 0;
    expect(await driver.getPower(target)).toBe('off');
    expect(server.calls.map((call) => `${call.method} ${call.auth}`)).toEqual(['GET none', 'POST none', 'GET token']);
  });

  it('works with basic auth', async () => {
    const basic = createRedfishDriver({ auth: 'basic' });
    expect(await basic.getPower(target)).toBe('off');
    expect(server.calls.map((call) => call.auth)).toEqual(['basic']);
  });

  it('maps a wrong password to BMC_AUTH (not transient) and keeps it out of the error', async () => {
    const error = await failureOf(createRedfishDriver().getPower({ ...target, credentials: { username: 'operator', password: 'nope-nope' } }));
    expect(error.code).toBe('BMC_AUTH');
    expect(error.transient).toBe(false);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain('nope-nope');
  });
});

describe('Redfish driver: TLS pinning and faults', () => {
  it('refuses a BMC whose certificate does not chain to the pinned CA', async () => {
    const other = await createCertificateAuthority('some other CA');
    try {
      const error = await failureOf(createRedfishDriver().getPower({ ...target, caCertificate: other.certificate }));
      expect(error.code).toBe('BMC_AUTH');
      expect(error.details.reason).toBe('tls-verify');
      expect(server.calls).toEqual([]);
    } finally {
      await other.dispose();
    }
  });

  it('refuses a self-made certificate when no CA is pinned', async () => {
    const { caCertificate: _unused, ...unpinned } = target;
    const error = await failureOf(createRedfishDriver().getPower(unpinned));
    expect(error.code).toBe('BMC_AUTH');
    expect(server.calls).toEqual([]);
  });

  it('gives up on a slow BMC with BMC_TIMEOUT (transient)', async () => {
    server.setFaults({ delayMs: 3000 });
    const error = await failureOf(driver.getPower(target, { timeoutMs: 150 }));
    expect(error.code).toBe('BMC_TIMEOUT');
    expect(error.transient).toBe(true);
  });

  it('retries a 503 through the isolation layer and succeeds', async () => {
    const client = isolateBmcDriver(driver, { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    await driver.getPower(target);
    server.calls.length = 0;
    server.setFaults({ failStatus: 503, failCount: 1 });
    expect(await client.getPower(target)).toBe('off');
    expect(server.calls.length).toBe(2);
  });

  it('maps a BMC that keeps answering 500 to a transient BMC_PROTOCOL after bounded retries', async () => {
    const client = isolateBmcDriver(driver, { retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    server.setFaults({ failStatus: 500 });
    const error = await failureOf(client.getPower(target));
    expect(error).toMatchObject({ code: 'BMC_PROTOCOL', transient: true, details: { status: 500 } });
    expect(server.calls.length).toBe(3);
  });

  it('maps a closed port to BMC_UNREACHABLE', async () => {
    const closed = target.address.replace(/:\d+\//, ':1/');
    const error = await failureOf(driver.getPower({ ...target, address: closed }));
    expect(error.code).toBe('BMC_UNREACHABLE');
  });
});
