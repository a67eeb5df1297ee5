/**
 * The ipmitool driver against real `ipmi_sim` BMCs: what the simulator's chassis hook recorded is what the BMC
 * received.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCommand } from '../../reconciler/lib/command.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIpmitoolDriver, prepareIpmitoolHome, type IpmitoolMode } from '../../reconciler/drivers/bmc/ipmitool/index.js';
import { BmcError } from '../../reconciler/drivers/bmc/errors.js';
import type { BmcTarget } from '../../reconciler/drivers/bmc/types.js';
import { readState, reservePort, SIMULATOR_CIPHER_SUITE, startBmc, waitForState, type SimulatedBmc } from '../support/ipmi-sim.js';

async function failureOf(promise: Promise<unknown>): Promise<BmcError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof BmcError)) throw new Error(`expected a BmcError, got ${String(error)}`);
  return error;
}

const MODES: IpmitoolMode[] = ['session', 'one-shot'];

describe.each(MODES)('%s mode', (mode) => {
  let driver: ReturnType<typeof createIpmitoolDriver>;
  let home = '';
  let bmc: SimulatedBmc;
  let target: BmcTarget;

  beforeAll(async () => {
    // Power and boot calls run with the compact vendor registry, as the controller runs them.
    home = await prepareIpmitoolHome(await mkdtemp(join(tmpdir(), 'plinth-ipmitool-home-')));
    // Sessions are what the controller uses; one-shot stays selectable for BMCs that dislike long sessions.
    driver = createIpmitoolDriver({ runCommand, cipherSuite: SIMULATOR_CIPHER_SUITE, home, mode });
    bmc = await startBmc({ user: 'plinth', password: 'sim-pass-4417' });
    target = { address: bmc.url, credentials: { username: bmc.user, password: bmc.password } };
  });

  afterAll(async () => {
    await driver?.close();
    await bmc?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  describe('ipmitool driver against ipmi_sim: power', () => {
    it('powers on once, then reports convergence without acting', async () => {
      expect(await driver.getPower(target)).toBe('off');
      expect(await driver.ensurePower(target, 'on')).toEqual({ changed: true, before: 'off', after: 'on' });
      const afterFirst = await readState(bmc.statePath);
      expect(afterFirst.power).toBe('on');
      expect(afterFirst.calls).toContain('set power 1');

      expect(await driver.ensurePower(target, 'on')).toEqual({ changed: false, before: 'on', after: 'on' });
      const afterSecond = await readState(bmc.statePath);
      expect(afterSecond.calls.filter((call) => call.startsWith('set')).length).toBe(
        afterFirst.calls.filter((call) => call.startsWith('set')).length,
      );
    });

    it('honours dry-run: reports the change, sends nothing', async () => {
      const before = await readState(bmc.statePath);
      expect(await driver.ensurePower(target, 'off', { dryRun: true })).toEqual({ changed: true, dryRun: true, before: 'on', after: 'off' });
      const after = await readState(bmc.statePath);
      expect(after.power).toBe('on');
      expect(after.calls.filter((call) => call.startsWith('set'))).toEqual(before.calls.filter((call) => call.startsWith('set')));
    });

    it('cycles: the BMC receives power 0 then power 1', async () => {
      const start = (await readState(bmc.statePath)).calls.length;
      expect(await driver.ensurePower(target, 'cycle')).toMatchObject({ changed: true, before: 'on', after: 'on' });
      const state = await waitForState(bmc.statePath, (s) => s.calls.slice(start).includes('set power 1'));
      expect(state.calls.slice(start).filter((call) => call.startsWith('set'))).toEqual(['set power 0', 'set power 1']);
      expect(state.power).toBe('on');
    });

    it('soft: the BMC receives a shutdown request and the machine goes off', async () => {
      await waitForState(bmc.statePath, (s) => s.power === 'on');
      expect(await driver.ensurePower(target, 'soft')).toMatchObject({ changed: true, before: 'on', after: 'off' });
      const state = await readState(bmc.statePath);
      expect(state.calls).toContain('set shutdown 1');
      expect(state.power).toBe('off');
      expect(await driver.getPower(target)).toBe('off');
    });

    it('off when already off changes nothing; cycle of an off machine powers it on', async () => {
      expect(await driver.ensurePower(target, 'off')).toEqual({ changed: false, before: 'off', after: 'off' });
      const start = (await readState(bmc.statePath)).calls.length;
      expect(await driver.ensurePower(target, 'cycle')).toMatchObject({ changed: true, before: 'off' });
      const state = await readState(bmc.statePath);
      expect(state.calls.slice(start).filter((call) => call.startsWith('set'))).toEqual(['set power 1']);
      expect(await driver.ensurePower(target, 'off')).toMatchObject({ changed: true, before: 'on' });
      expect((await readState(bmc.statePath)).power).toBe('off');
    });
  });

  describe('ipmitool driver against ipmi_sim: boot device', () => {
    it('sets PXE (with EFI and persistent sent), then sees it converged', async () => {
      const result = await driver.ensureBootDevice(target, 'pxe', { persistent: true, efi: true });
      expect(result).toMatchObject({ changed: true, after: { device: 'pxe', persistent: true, efi: true } });
      const state = await readState(bmc.statePath);
      expect(state.boot).toBe('pxe');
      const setsBefore = state.calls.filter((call) => call.startsWith('set boot')).length;

      // ipmi_sim drops the EFI/persistent bits and clears "valid", so only the device can be compared here.
      expect(await driver.ensureBootDevice(target, 'pxe', { persistent: true, efi: true })).toMatchObject({ changed: false, before: { device: 'pxe' } });
      const again = await readState(bmc.statePath);
      expect(again.calls.filter((call) => call.startsWith('set boot')).length).toBe(setsBefore);
    });

    it('sets disk (ipmi_sim calls it "default") and dry-run leaves it alone', async () => {
      expect(await driver.ensureBootDevice(target, 'disk', { persistent: false, efi: false, dryRun: true })).toMatchObject({ changed: true, dryRun: true });
      expect((await readState(bmc.statePath)).boot).toBe('pxe');
      expect(await driver.ensureBootDevice(target, 'disk', { persistent: false, efi: false })).toMatchObject({ changed: true, before: { device: 'pxe' } });
      const state = await readState(bmc.statePath);
      expect(state.boot).toBe('default');
      expect(state.calls.at(-1)).toBe('set boot default');
    });
  });

  describe('ipmitool driver against ipmi_sim: identity and failures', () => {
    it('reads the BMC identity, with vendor names from the full registry', async () => {
      const info = await driver.getInfo(target);
      expect(info).toMatchObject({ protocol: 'ipmi', manufacturer: 'MontaVista Software, Inc.', firmwareVersion: '9.08' });
    });

    it('maps a wrong password to BMC_AUTH, not transient, and the BMC state is untouched', async () => {
      const before = await readState(bmc.statePath);
      const error = await failureOf(driver.ensurePower({ ...target, credentials: { username: bmc.user, password: 'wrong-pass' } }, 'on'));
      expect(error.code).toBe('BMC_AUTH');
      expect(error.transient).toBe(false);
      expect(JSON.stringify(error.details) + error.message).not.toContain('wrong-pass');
      expect((await readState(bmc.statePath)).calls).toEqual(before.calls);
    });

    it('maps an unknown user to BMC_AUTH', async () => {
      const error = await failureOf(driver.getPower({ ...target, credentials: { username: 'nobody', password: bmc.password } }));
      expect(error.code).toBe('BMC_AUTH');
    });

    it('maps a BMC that does not answer to BMC_UNREACHABLE (transient)', async () => {
      const port = await reservePort('127.0.0.1');
      const error = await failureOf(driver.getPower({ ...target, address: `ipmi://127.0.0.1:${port}` }));
      expect(error.code).toBe('BMC_UNREACHABLE');
      expect(error.transient).toBe(true);
    });

    it('maps a call cut by its timeout to BMC_TIMEOUT (transient)', async () => {
      const patient = createIpmitoolDriver({ runCommand, cipherSuite: SIMULATOR_CIPHER_SUITE, retransmit: { timeoutSeconds: 5, retries: 3 }, mode });
      const port = await reservePort('127.0.0.1');
      const error = await failureOf(patient.getPower({ ...target, address: `ipmi://127.0.0.1:${port}` }, { timeoutMs: 300 }));
      await patient.close();
      expect(error.code).toBe('BMC_TIMEOUT');
      expect(error.transient).toBe(true);
    });

    it('refuses a Redfish address with BMC_UNSUPPORTED', async () => {
      const error = await failureOf(driver.getPower({ ...target, address: 'redfish+https://127.0.0.1/redfish/v1/Systems/1' }));
      expect(error.code).toBe('BMC_UNSUPPORTED');
    });
  });
});
