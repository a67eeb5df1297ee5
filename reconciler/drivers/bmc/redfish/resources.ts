import { BmcError } from '../errors.js';
import type { BootDevice, BootOptions, BootSetting, PowerAction, PowerState } from '../types.js';

/** The parts of a Redfish ComputerSystem plinth reads. */
export interface ComputerSystem {
  PowerState?: string;
  Manufacturer?: string;
  Model?: string;
  SerialNumber?: string;
  UUID?: string;
  Boot?: {
    BootSourceOverrideTarget?: string;
    BootSourceOverrideEnabled?: string;
    BootSourceOverrideMode?: string;
  };
  Actions?: Record<string, { target?: string; 'ResetType@Redfish.AllowableValues'?: string[] } | undefined>;
  Links?: { ManagedBy?: Array<{ '@odata.id'?: string }> };
}

export function asSystem(body: unknown, origin: string): ComputerSystem {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const details = { address: origin };
    throw new BmcError('BMC_PROTOCOL', `BMC ${origin} returned something other than a ComputerSystem`, { details });
  }
  return body as ComputerSystem;
}

/** Transitional states count as where the machine is heading. */
export function readPowerState(system: ComputerSystem, origin: string): PowerState {
  switch (system.PowerState) {
    case 'On':
    case 'PoweringOn':
    case 'Paused':
      return 'on';
    case 'Off':
    case 'PoweringOff':
      return 'off';
    default:
      throw new BmcError('BMC_PROTOCOL', `BMC ${origin} reports an unknown PowerState`, {
        details: { address: origin, powerState: String(system.PowerState) },
      });
  }
}

/** The ResetType for an action, preferring what the BMC says it allows. */
export function chooseResetType(action: PowerAction, before: PowerState, allowed: string[] | undefined): string {
  const wanted: Record<PowerAction, string[]> = {
    on: ['On', 'ForceOn'],
    off: ['ForceOff'],
    cycle: before === 'off' ? ['On', 'ForceOn'] : ['PowerCycle', 'ForceRestart'],
    soft: ['GracefulShutdown'],
  };
  const candidates = wanted[action];
  const choice = allowed === undefined ? candidates[0] : candidates.find((type) => allowed.includes(type));
  if (choice === undefined) {
    throw new BmcError('BMC_UNSUPPORTED', `the BMC allows none of ${candidates.join(', ')} for power ${action}`, {
      details: { allowed },
    });
  }
  return choice;
}

const TARGETS: Record<BootDevice, string> = { pxe: 'Pxe', disk: 'Hdd' };
const DEVICES: Record<string, BootSetting['device']> = { Pxe: 'pxe', Hdd: 'disk', None: 'none' };

export function readBoot(system: ComputerSystem): BootSetting {
  const boot = system.Boot ?? {};
  const target = boot.BootSourceOverrideTarget;
  const device = target === undefined ? 'none' : (DEVICES[target] ?? 'other');
  const enabled = boot.BootSourceOverrideEnabled;
  return {
    device,
    ...(enabled === 'Continuous' || enabled === 'Once' ? { persistent: enabled === 'Continuous' } : {}),
    ...(boot.BootSourceOverrideMode === undefined ? {} : { efi: boot.BootSourceOverrideMode === 'UEFI' }),
  };
}

/**
 * The `Boot` PATCH body. The mode is sent only to BMCs that report one: older ones reject the property.
 * An override that is "Disabled" is not converged even if the target matches.
 */
export function bootPatch(system: ComputerSystem, device: BootDevice, options: BootOptions): Record<string, string> {
  return {
    BootSourceOverrideTarget: TARGETS[device],
    BootSourceOverrideEnabled: options.persistent ? 'Continuous' : 'Once',
    ...(system.Boot?.BootSourceOverrideMode === undefined
      ? {}
      : { BootSourceOverrideMode: options.efi ? 'UEFI' : 'Legacy' }),
  };
}

export function bootConverged(system: ComputerSystem, patch: Record<string, string>): boolean {
  const boot: Record<string, string | undefined> = system.Boot ?? {};
  return Object.entries(patch).every(([key, value]) => boot[key] === value);
}
