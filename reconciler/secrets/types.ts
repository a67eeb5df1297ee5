/** How a secret is made when it is first needed. `imported` secrets are only ever set by an operator. */
export type SecretSpec =
  | { kind: 'password'; length?: number; charset?: string }
  | { kind: 'hex'; bytes?: number }
  | { kind: 'ssh-ed25519' }
  | { kind: 'imported' };

export type SecretKind = SecretSpec['kind'];

export interface SecretVersion {
  value: string;
  createdAt: string;
}

/** A secret's current value and the versions a rotation replaced, kept until their grace window ends. */
export interface SecretRecord {
  /** How the value was made; a rotation makes the next one the same way. */
  spec: SecretSpec;
  current: SecretVersion;
  previous: (SecretVersion & { retiredAt: string })[];
}

/**
 * A cluster's secrets: service passwords, keys, CA private keys. Values leave the vault only through
 * `get`/`ensure`, to the code that delivers them; everything else handles names.
 */
export interface SecretVault {
  readonly cluster: string;
  /** The current value, or undefined when the secret was never made. */
  get(name: string): string | undefined;
  /** The current value, generated from `spec` and persisted on first need; stable afterwards. */
  ensure(name: string, spec: SecretSpec): Promise<string>;
  /** Stores an operator-provided value (BMC passwords, imported keys). */
  set(name: string, value: string): Promise<void>;
  /** Replaces the value with a fresh one; the old one stays readable through `previous` for the grace window. */
  rotate(name: string, spec?: SecretSpec): Promise<string>;
  /** Values a rotation replaced that are still inside the grace window, newest first. */
  previous(name: string): string[];
  /** Names of every secret, sorted. */
  names(): string[];
  /** What is known about a secret without its value: for listings and audits. */
  inspect(name: string): SecretSummary | undefined;
}

export interface SecretSummary {
  name: string;
  kind: SecretKind;
  createdAt: string;
  /** Rotated-out versions still inside the grace window. */
  previousVersions: number;
}
