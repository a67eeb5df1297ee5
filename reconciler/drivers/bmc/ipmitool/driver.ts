import type { CommandRunner } from '../../../lib/command.js';
import { parseBmcAddress } from '../address.js';
import { BmcError } from '../errors.js';
import type {
  BmcDriver,
  BmcInfo,
  BmcTarget,
  BootDevice,
  BootOptions,
  BootSetting,
  CallOptions,
  EnsureResult,
  PowerAction,
  PowerState,
} from '../types.js';
import { classifyFailure } from './classify.js';
import { parseBootFlags, parseMcInfo, parsePowerStatus } from './parse.js';

export interface IpmitoolDriverOptions {
  runCommand: CommandRunner;
  /** Path of the ipmitool binary. */
  program?: string;
  /** ipmitool `-I`; IPMI 2.0 `lanplus` unless a BMC only speaks 1.5. */
  interface?: string;
  /** ipmitool `-C`. 17 (HMAC-SHA256, AES) is what current BMCs expect; simulators may need 3. */
  cipherSuite?: string;
  /** Hard cap on one ipmitool run; ipmitool is killed after it. */
  timeoutMs?: number;
  /** ipmitool `-N` (seconds per try) and `-R` (tries); kept small so a dead BMC is detected quickly. */
  retransmit?: { timeoutSeconds: number; retries: number };
  /**
   * HOME for power and boot calls, prepared by `prepareIpmitoolHome` (a compact vendor registry that makes each
   * ipmitool run several times cheaper in CPU). Unset: ipmitool runs with the inherited HOME.
   */
  home?: string;
}

const DEFAULTS = {
  program: 'ipmitool',
  interface: 'lanplus',
  cipherSuite: '17',
  timeoutMs: 10_000,
  retransmit: { timeoutSeconds: 1, retries: 1 },
};

/** The ipmitool sub-command for each power action, once the current state is known. */
function powerCommand(action: PowerAction, before: PowerState): string {
  if (action === 'cycle') return before === 'off' ? 'on' : 'cycle';
  return action;
}

function targetState(action: PowerAction): PowerState {
  return action === 'on' || action === 'cycle' ? 'on' : 'off';
}

/** The `chassis bootdev` arguments; ipmitool sets the "valid" bit itself. */
function bootdevArgs(device: BootDevice, options: BootOptions): string[] {
  const flags = [...(options.efi ? ['efiboot'] : []), ...(options.persistent ? ['persistent'] : [])];
  return ['chassis', 'bootdev', device, ...(flags.length > 0 ? [`options=${flags.join(',')}`] : [])];
}

/** Converged when the device matches and, where the BMC reports them, the persistent and EFI bits too. */
function bootConverged(current: BootSetting, device: BootDevice, options: BootOptions): boolean {
  if (current.device !== device) return false;
  if (current.persistent !== undefined && current.persistent !== options.persistent) return false;
  if (current.efi !== undefined && current.efi !== options.efi) return false;
  return true;
}

export function createIpmitoolDriver(options: IpmitoolDriverOptions): BmcDriver {
  const settings = { ...DEFAULTS, ...options };

  /** `fullRegistry`: the call prints vendor names, so it must see the system registry. */
  async function run(
    target: BmcTarget,
    command: string[],
    opts: CallOptions = {},
    fullRegistry = false,
  ): Promise<string> {
    const address = parseBmcAddress(target.address);
    if (address.protocol !== 'ipmi') {
      throw new BmcError('BMC_UNSUPPORTED', `the ipmitool driver cannot drive ${target.address}`);
    }
    // The password travels only in the environment (-E); argv is readable by every user through /proc.
    const args = [
      ...['-I', settings.interface, '-H', address.host, '-p', String(address.port)],
      ...['-U', target.credentials.username, '-E', '-C', settings.cipherSuite],
      ...['-N', String(settings.retransmit.timeoutSeconds), '-R', String(settings.retransmit.retries)],
      '-v',
      ...command,
    ];
    const env: Record<string, string> = { IPMI_PASSWORD: target.credentials.password };
    if (settings.home !== undefined && !fullRegistry) env.HOME = settings.home;
    const result = await settings.runCommand(settings.program, args, {
      env,
      timeoutMs: opts.timeoutMs ?? settings.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (result.exitCode !== 0 || result.timedOut) throw classifyFailure(result, command.join(' '), target.address);
    return result.stdout;
  }

  async function getPower(target: BmcTarget, opts?: CallOptions): Promise<PowerState> {
    return parsePowerStatus(await run(target, ['chassis', 'power', 'status'], opts));
  }

  async function ensurePower(
    target: BmcTarget,
    action: PowerAction,
    opts: CallOptions & { dryRun?: boolean } = {},
  ): Promise<EnsureResult<PowerState>> {
    const before = await getPower(target, opts);
    const after = targetState(action);
    const isEvent = action === 'cycle' || action === 'soft';
    if (!isEvent && before === after) return { changed: false, before, after };
    if (opts.dryRun) return { changed: true, dryRun: true, before, after };
    await run(target, ['chassis', 'power', powerCommand(action, before)], opts);
    return { changed: true, before, after };
  }

  async function readBoot(target: BmcTarget, opts: CallOptions): Promise<BootSetting> {
    return parseBootFlags(await run(target, ['chassis', 'bootparam', 'get', '5'], opts));
  }

  async function ensureBootDevice(
    target: BmcTarget,
    device: BootDevice,
    options: BootOptions & CallOptions,
  ): Promise<EnsureResult<BootSetting>> {
    const before = await readBoot(target, options);
    const after: BootSetting = { device, persistent: options.persistent, efi: options.efi };
    if (bootConverged(before, device, options)) return { changed: false, before, after };
    if (options.dryRun) return { changed: true, dryRun: true, before, after };
    await run(target, bootdevArgs(device, options), options);
    return { changed: true, before, after };
  }

  async function getInfo(target: BmcTarget, opts?: CallOptions): Promise<BmcInfo> {
    const info = await run(target, ['mc', 'info'], opts, true);
    const guid = await run(target, ['mc', 'guid'], opts, true).catch(() => '');
    return parseMcInfo(info, guid);
  }

  return { getPower, ensurePower, ensureBootDevice, getInfo };
}
