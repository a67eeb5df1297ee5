import { parseBmcAddress, type RedfishAddress } from '../address.js';
import { BmcError } from '../errors.js';
import type { BmcDriver, BmcInfo, BmcTarget, CallOptions, EnsureResult, PowerState } from '../types.js';
import { requestJson, type HttpMethod, type HttpRequester } from './http-client.js';
import {
  asSystem,
  bootConverged,
  bootPatch,
  chooseResetType,
  readBoot,
  readPowerState,
  type ComputerSystem,
} from './resources.js';
import { createSessionCaller, type RedfishAuthMode } from './session.js';

export interface RedfishDriverOptions {
  /** Per-request timeout when the caller gives none. */
  timeoutMs?: number;
  auth?: RedfishAuthMode;
  /** The HTTPS transport; tests and the lab use the default (node:https). */
  request?: HttpRequester;
}

/**
 * Resource links come from the BMC; only their path is kept, so credentials and tokens go nowhere but the
 * pinned origin even if a link names another host.
 */
function pathOf(link: string, origin: string): string {
  return new URL(link, origin).pathname;
}

function redfishAddress(target: BmcTarget): RedfishAddress {
  const address = parseBmcAddress(target.address);
  if (address.protocol !== 'redfish') {
    throw new BmcError('BMC_UNSUPPORTED', `the Redfish driver cannot drive ${target.address}`);
  }
  return address;
}

interface SystemRead {
  system: ComputerSystem;
  origin: string;
  path: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function createRedfishDriver(options: RedfishDriverOptions = {}): BmcDriver {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const callRedfish = createSessionCaller(options.request ?? requestJson, options.auth ?? 'session');

  async function call(
    target: BmcTarget,
    method: HttpMethod,
    path: string,
    opts: CallOptions,
    body?: unknown,
  ): Promise<unknown> {
    const address = redfishAddress(target);
    const response = await callRedfish(target, address.origin, {
      method,
      path,
      body,
      timeoutMs: opts.timeoutMs ?? timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return response.body;
  }

  async function getSystem(target: BmcTarget, opts: CallOptions): Promise<SystemRead> {
    const address = redfishAddress(target);
    const system = asSystem(await call(target, 'GET', address.systemPath, opts), address.origin);
    return { system, origin: address.origin, path: address.systemPath };
  }

  async function getPower(target: BmcTarget, opts: CallOptions = {}): Promise<PowerState> {
    const { system, origin } = await getSystem(target, opts);
    return readPowerState(system, origin);
  }

  const ensurePower: BmcDriver['ensurePower'] = async (target, action, opts = {}) => {
    const { system, origin, path } = await getSystem(target, opts);
    const before = readPowerState(system, origin);
    const after: PowerState = action === 'on' || action === 'cycle' ? 'on' : 'off';
    const isEvent = action === 'cycle' || action === 'soft';
    if (!isEvent && before === after) return { changed: false, before, after };
    const reset = system.Actions?.['#ComputerSystem.Reset'];
    const resetType = chooseResetType(action, before, reset?.['ResetType@Redfish.AllowableValues']);
    if (opts.dryRun) return { changed: true, dryRun: true, before, after };
    const resetPath = reset?.target ? pathOf(reset.target, origin) : `${path}/Actions/ComputerSystem.Reset`;
    await call(target, 'POST', resetPath, opts, { ResetType: resetType });
    return { changed: true, before, after };
  };

  const ensureBootDevice: BmcDriver['ensureBootDevice'] = async (target, device, options) => {
    const { system, path } = await getSystem(target, options);
    const before = readBoot(system);
    const patch = bootPatch(system, device, options);
    const after = readBoot({ Boot: patch });
    const result: EnsureResult<typeof before> = { changed: false, before, after: { ...after, device } };
    if (bootConverged(system, patch)) return result;
    if (options.dryRun) return { ...result, changed: true, dryRun: true };
    await call(target, 'PATCH', path, options, { Boot: patch });
    return { ...result, changed: true };
  };

  async function getInfo(target: BmcTarget, opts: CallOptions = {}): Promise<BmcInfo> {
    const { system, origin } = await getSystem(target, opts);
    const managerLink = system.Links?.ManagedBy?.[0]?.['@odata.id'];
    const manager = (managerLink ? await call(target, 'GET', pathOf(managerLink, origin), opts) : {}) as {
      FirmwareVersion?: unknown;
    };
    const fields = {
      manufacturer: text(system.Manufacturer),
      model: text(system.Model),
      serialNumber: text(system.SerialNumber),
      firmwareVersion: text(manager.FirmwareVersion),
      guid: text(system.UUID),
    };
    const known = Object.entries(fields).filter(([, value]) => value !== undefined);
    return { protocol: 'redfish', ...Object.fromEntries(known) };
  }

  return { getPower, ensurePower, ensureBootDevice, getInfo };
}
