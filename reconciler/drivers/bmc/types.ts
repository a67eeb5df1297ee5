/**
 * The BMC driver interface: one shape for every out-of-band protocol (IPMI, Redfish).
 * Credentials are resolved by the caller and passed in; drivers never log them nor put them on a command line.
 */
export type PowerState = 'on' | 'off';

/**
 * `on` and `off` are states: converged when the machine already is in that state.
 * `cycle` and `soft` are events: they always act (unless dry-run). `cycle` on a machine that is off powers it on;
 * `soft` asks the operating system to shut down and does not wait for it.
 */
export type PowerAction = 'on' | 'off' | 'cycle' | 'soft';

export type BootDevice = 'pxe' | 'disk';

export interface BmcCredentials {
  username: string;
  password: string;
}

export interface BmcTarget {
  /** A BMC URL: `ipmi://host[:port]`, `redfish+https://host[:port]/redfish/v1/Systems/ID`. */
  address: string;
  credentials: BmcCredentials;
  /** PEM of the CA (or the self-signed certificate) this BMC's TLS certificate must chain to. */
  caCertificate?: string;
}

export interface CallOptions {
  /** Upper bound for one attempt of the call; the driver's default applies when absent. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The boot override as a BMC reports it. `persistent`/`efi` are absent when the BMC does not report them. */
export interface BootSetting {
  device: BootDevice | 'none' | 'other';
  persistent?: boolean;
  efi?: boolean;
}

export interface BootOptions {
  persistent: boolean;
  efi: boolean;
  dryRun?: boolean;
}

export interface EnsureResult<T> {
  /** True when the driver acted, or would have acted in dry-run. */
  changed: boolean;
  dryRun?: boolean;
  before?: T;
  /** The state asked for; for `soft` the machine reaches it on its own time. */
  after?: T;
}

export interface BmcInfo {
  protocol: 'ipmi' | 'redfish';
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  firmwareVersion?: string;
  guid?: string;
}

export interface BmcDriver {
  getPower(target: BmcTarget, opts?: CallOptions): Promise<PowerState>;
  ensurePower(
    target: BmcTarget,
    action: PowerAction,
    opts?: CallOptions & { dryRun?: boolean },
  ): Promise<EnsureResult<PowerState>>;
  ensureBootDevice(
    target: BmcTarget,
    device: BootDevice,
    options: BootOptions & CallOptions,
  ): Promise<EnsureResult<BootSetting>>;
  getInfo(target: BmcTarget, opts?: CallOptions): Promise<BmcInfo>;
  /** Ends what the driver keeps open between calls (BMC sessions and their processes); call it at shutdown. */
  close?(): Promise<void>;
}
