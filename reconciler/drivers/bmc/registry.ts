import type { CommandRunner } from '../../lib/command.js';
import { parseBmcAddress, type BmcProtocol } from './address.js';
import { createIpmitoolDriver, startProcess, type IpmitoolDriverOptions, type ProcessStarter } from './ipmitool/index.js';
import { isolateBmcDriver, type IsolatedBmcDriver, type IsolationOptions } from './isolation/index.js';
import { createRedfishDriver, type RedfishDriverOptions } from './redfish/index.js';
import type { BmcDriver, BmcTarget } from './types.js';

/** What BMC drivers may need from the outside world; passed in, never imported. */
export interface BmcDriverDeps {
  runCommand: CommandRunner;
  /** Starts long-lived programs (ipmitool sessions) where `runCommand` runs its programs; Node's spawn by default. */
  startProcess?: ProcessStarter;
  ipmitool?: Omit<IpmitoolDriverOptions, 'runCommand' | 'startProcess'>;
  redfish?: RedfishDriverOptions;
}

export type BmcDriverFactory = (deps: BmcDriverDeps) => BmcDriver;

/** One implementation per address scheme (`ipmi://`, `redfish+https://`). */
export const bmcDriverFactories: Readonly<Record<BmcProtocol, BmcDriverFactory>> = {
  ipmi: (deps) =>
    createIpmitoolDriver({ ...deps.ipmitool, runCommand: deps.runCommand, startProcess: deps.startProcess ?? startProcess }),
  redfish: (deps) => createRedfishDriver(deps.redfish ?? {}),
};

/** A driver that picks the implementation from each target's address; implementations are built on first use. */
export function createProtocolDriver(
  deps: BmcDriverDeps,
  factories: Readonly<Record<BmcProtocol, BmcDriverFactory>> = bmcDriverFactories,
): BmcDriver & { close(): Promise<void> } {
  const drivers = new Map<BmcProtocol, BmcDriver>();
  function driverFor(target: BmcTarget): BmcDriver {
    const { protocol } = parseBmcAddress(target.address);
    let driver = drivers.get(protocol);
    if (!driver) {
      driver = factories[protocol](deps);
      drivers.set(protocol, driver);
    }
    return driver;
  }
  return {
    getPower: async (target, opts) => driverFor(target).getPower(target, opts),
    ensurePower: async (target, action, opts) => driverFor(target).ensurePower(target, action, opts),
    ensureBootDevice: async (target, device, opts) => driverFor(target).ensureBootDevice(target, device, opts),
    getInfo: async (target, opts) => driverFor(target).getInfo(target, opts),
    close: async () => {
      await Promise.all([...drivers.values()].map(async (driver) => driver.close?.()));
    },
  };
}

/**
 * The BMC client the apply stage uses: every protocol, behind per-BMC isolation and global limits. IPMI runs on
 * long-lived sessions unless `ipmitool.mode` is `one-shot`; `close()` it at shutdown.
 */
export function createBmcClient(deps: BmcDriverDeps, isolation: IsolationOptions = {}): IsolatedBmcDriver {
  return isolateBmcDriver(createProtocolDriver(deps), isolation);
}
