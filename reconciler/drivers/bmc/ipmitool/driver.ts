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
import { parseActionDone, parseBootFlags, parseMcInfo, parsePowerStatus } from './parse.js';
import { callInSession, sessionKey, type Invocation, type SessionContext } from './session-call.js';
import { createSessionPool } from './session-pool.js';
import { startProcess as startNodeProcess, type ProcessStarter } from './shell-session.js';

/**
 * `session`: one long-lived `ipmitool shell` (one RMCP+ session) per BMC, fed commands on stdin, closed after
 * `sessionIdleMs` without calls. `one-shot`: one ipmitool process (and one session) per command, for BMCs that
 * misbehave with long sessions.
 */
export type IpmitoolMode = 'session' | 'one-shot';

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
  /**
   * Starts session processes (the default starts them here; a caller whose `runCommand` runs elsewhere, in a
   * network namespace say, passes one that starts them there too).
   */
  startProcess?: ProcessStarter;
  /** `session` by default when `startProcess` is given, else `one-shot` (sessions start where `runCommand` runs). */
  mode?: IpmitoolMode;
  /** How long an unused session stays open. Real BMCs expire idle sessions after about 60 s. */
  sessionIdleMs?: number;
  /** Most sessions kept open at once; the least recently used idle one is closed to open another. */
  maxSessions?: number;
}

/** The ipmitool driver; `close()` ends its sessions (on the BMCs too) and their processes. */
export interface IpmitoolDriver extends BmcDriver {
  close(): Promise<void>;
  /** Process ids of the sessions open now. */
  readonly sessionPids: number[];
}

const DEFAULTS = {
  program: 'ipmitool',
  interface: 'lanplus',
  cipherSuite: '17',
  timeoutMs: 10_000,
  retransmit: { timeoutSeconds: 1, retries: 1 },
  // Well under the ~60 s after which real BMCs drop an idle session, and longer than a reconcile's gaps.
  sessionIdleMs: 20_000,
  maxSessions: 128,
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

export function createIpmitoolDriver(options: IpmitoolDriverOptions): IpmitoolDriver {
  const settings = { ...DEFAULTS, ...options };
  const mode: IpmitoolMode = options.mode ?? (options.startProcess ? 'session' : 'one-shot');
  const startProcess = options.startProcess ?? startNodeProcess;
  const pool = createSessionPool(settings.sessionIdleMs, settings.maxSessions);

  function resolveHost(target: BmcTarget): { host: string; port: number } {
    const address = parseBmcAddress(target.address);
    if (address.protocol !== 'ipmi') {
      throw new BmcError('BMC_UNSUPPORTED', `the ipmitool driver cannot drive ${target.address}`);
    }
    return address;
  }

  /** ipmitool's options for a BMC. The password travels only in the environment (-E): argv is public in /proc. */
  function optionsFor(target: BmcTarget): string[] {
    const { host, port } = resolveHost(target);
    return [
      ...['-I', settings.interface, '-H', host, '-p', String(port)],
      ...['-U', target.credentials.username, '-E', '-C', settings.cipherSuite],
      ...['-N', String(settings.retransmit.timeoutSeconds), '-R', String(settings.retransmit.retries)],
      '-v',
    ];
  }

  /** `fullRegistry`: the call prints vendor names, so it must see the system registry. */
  function envFor(target: BmcTarget, fullRegistry: boolean): Record<string, string> {
    const env: Record<string, string> = { IPMI_PASSWORD: target.credentials.password };
    if (settings.home !== undefined && !fullRegistry) env.HOME = settings.home;
    return env;
  }

  async function runOnce(target: BmcTarget, command: string[], timeoutMs: number, signal?: AbortSignal, fullRegistry = false): Promise<string> {
    const result = await settings.runCommand(settings.program, [...optionsFor(target), ...command], {
      env: envFor(target, fullRegistry),
      timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (result.exitCode !== 0 || result.timedOut) throw classifyFailure(result, command.join(' '), target.address);
    return result.stdout;
  }

  function sessionContext(target: BmcTarget, starter: ProcessStarter): SessionContext {
    return {
      pool,
      startProcess: starter,
      program: settings.program,
      args: optionsFor(target),
      env: envFor(target, false),
      address: target.address,
      key: sessionKey(target.address, target.credentials.username, target.credentials.password),
      runOnce: (command, timeoutMs, signal) => runOnce(target, command, timeoutMs, signal),
    };
  }

  async function call<T>(target: BmcTarget, invocation: Invocation<T>, opts: CallOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? settings.timeoutMs;
    if (mode === 'one-shot') {
      return invocation.parse(await runOnce(target, invocation.command, timeoutMs, opts.signal));
    }
    return callInSession(sessionContext(target, startProcess), invocation, timeoutMs, opts.signal);
  }

  async function getPower(target: BmcTarget, opts?: CallOptions): Promise<PowerState> {
    return call(target, { command: ['chassis', 'power', 'status'], parse: parsePowerStatus, idempotent: true }, opts);
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
    const command = powerCommand(action, before);
    // on/off converge whatever happened before; cycle and soft act again each time they are sent.
    const idempotent = command === 'on' || command === 'off';
    await call(target, { command: ['chassis', 'power', command], parse: parseActionDone, idempotent }, opts);
    return { changed: true, before, after };
  }

  async function readBoot(target: BmcTarget, opts: CallOptions): Promise<BootSetting> {
    return call(target, { command: ['chassis', 'bootparam', 'get', '5'], parse: parseBootFlags, idempotent: true }, opts);
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
    await call(target, { command: bootdevArgs(device, options), parse: parseActionDone, idempotent: true }, options);
    return { changed: true, before, after };
  }

  async function getInfo(target: BmcTarget, opts?: CallOptions): Promise<BmcInfo> {
    // Vendor names need the full registry, which sessions do not load: identity is read by one-shot runs.
    const timeoutMs = opts?.timeoutMs ?? settings.timeoutMs;
    const info = await runOnce(target, ['mc', 'info'], timeoutMs, opts?.signal, true);
    const guid = await runOnce(target, ['mc', 'guid'], timeoutMs, opts?.signal, true).catch(() => '');
    return parseMcInfo(info, guid);
  }

  return {
    getPower,
    ensurePower,
    ensureBootDevice,
    getInfo,
    close: () => pool.closeAll(),
    get sessionPids() {
      return pool.pids;
    },
  };
}
