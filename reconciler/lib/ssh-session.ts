import { Client, type ClientChannel, type ServerHostKeyAlgorithm } from 'ssh2';
import type { Readable } from 'node:stream';
import { PlinthError } from './errors.js';
import { feedChannel, OutputTail } from './ssh-streams.js';
import { fingerprintOf, hostKeyAlgorithmsFor, parseOpenSshPublicKey, type PinnedHostKey } from './ssh-host-key.js';

/** How to reach a node over SSH. The host key comes from the node's discovery report and is pinned. */
export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  /** OpenSSH public key line (`ssh-ed25519 AAAA...`); any other key presented by the server is refused. */
  hostKey: string;
  /** Secret: the controller's private key. Never logged, never put into an error. */
  privateKey: string | Buffer;
  readyTimeoutMs?: number;
}

export interface RemoteExecOptions {
  /** Sent to the command's stdin, then EOF. A stream is piped with backpressure. */
  input?: string | Buffer | Readable;
  /** Called with the running total of stdin bytes handed to the channel. */
  onInputBytes?: (total: number) => void;
  timeoutMs?: number;
  /** Only this many trailing bytes of each output stream are kept (default 1 MiB). */
  maxOutputBytes?: number;
}

/** A finished remote command. A non-zero exit is a result, not an exception. */
export interface RemoteResult {
  /** Null when the command was killed by a signal. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface SshSession {
  exec(command: string, options?: RemoteExecOptions): Promise<RemoteResult>;
  close(): void;
}

/** Opens a session to an endpoint; drivers take one of these so tests and the lab can pass their own. */
export type SshConnector = (endpoint: SshEndpoint) => Promise<SshSession>;

interface ConnectionState {
  closed: boolean;
  onDrop: Set<() => void>;
}

/**
 * Connects with the host key pinned: the server must present exactly the key from the discovery report,
 * otherwise the connection is dropped before authentication (SSH_HOST_KEY) and nothing is sent.
 * Example: `const session = await openSshSession(endpoint); await session.exec('uname -a')`.
 */
export const openSshSession: SshConnector = (endpoint) => {
  const pinned = parseOpenSshPublicKey(endpoint.hostKey);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: Buffer | undefined;
    const onConnectError = (error: Error & { level?: string }): void => {
      client.end();
      reject(classifyConnectError(error, endpoint, pinned, presented));
    };
    // A peer that hangs up before the handshake ends may close without an error; settle the promise anyway.
    const onEarlyClose = (): void => onConnectError(Object.assign(new Error('connection closed before the SSH handshake finished'), { level: 'client-socket' }));
    client.once('error', onConnectError);
    client.once('close', onEarlyClose);
    client.once('ready', () => {
      client.removeListener('error', onConnectError);
      client.removeListener('close', onEarlyClose);
      resolve(wrapClient(client, endpoint));
    });
    client.connect({
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      privateKey: endpoint.privateKey,
      readyTimeout: endpoint.readyTimeoutMs ?? 20_000,
      // Detects a node that vanished without closing the TCP connection (power cut mid-deploy).
      keepaliveInterval: 10_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: hostKeyAlgorithmsFor(pinned) as ServerHostKeyAlgorithm[] },
      hostVerifier: (key: Buffer): boolean => {
        presented = key;
        return key.equals(pinned.blob);
      },
    });
  });
};

function classifyConnectError(
  error: Error & { level?: string },
  endpoint: SshEndpoint,
  pinned: PinnedHostKey,
  presented: Buffer | undefined,
): PlinthError {
  const where = { host: endpoint.host, port: endpoint.port, username: endpoint.username };
  if (presented !== undefined && !presented.equals(pinned.blob)) {
    return new PlinthError(
      'SSH_HOST_KEY',
      `Refused ${endpoint.host}:${endpoint.port}: its SSH host key ${fingerprintOf(presented)} is not the pinned ${fingerprintOf(pinned.blob)}`,
      { cause: error, details: { ...where, expected: fingerprintOf(pinned.blob), presented: fingerprintOf(presented) } },
    );
  }
  if (error.level === 'client-authentication') {
    return new PlinthError('SSH_AUTH', `SSH authentication as ${endpoint.username} on ${endpoint.host}:${endpoint.port} failed`, {
      cause: error,
      details: where,
    });
  }
  if (error.level === 'handshake') {
    // Usually the node offers no key of the pinned type: retrying cannot help.
    return new PlinthError('SSH_HANDSHAKE', `SSH handshake with ${endpoint.host}:${endpoint.port} failed: ${error.message}`, {
      cause: error,
      details: where,
    });
  }
  return new PlinthError('SSH_CONNECT', `Could not connect to ${endpoint.host}:${endpoint.port} over SSH: ${error.message}`, {
    cause: error,
    transient: true,
    details: where,
  });
}

function wrapClient(client: Client, endpoint: SshEndpoint): SshSession {
  const state: ConnectionState = { closed: false, onDrop: new Set() };
  const dropAll = (): void => {
    state.closed = true;
    for (const drop of [...state.onDrop]) drop();
  };
  // After `ready`, errors arrive with or before `close`; the pending commands learn of them through `close`.
  client.on('error', () => undefined);
  client.on('close', dropAll);
  client.on('end', dropAll);
  return {
    exec: (command, options = {}) => execOn(client, state, endpoint, command, options),
    close: () => {
      state.closed = true;
      client.end();
    },
  };
}

function disconnected(endpoint: SshEndpoint, command: string): PlinthError {
  return new PlinthError('SSH_DISCONNECTED', `The SSH connection to ${endpoint.host}:${endpoint.port} closed before the command finished`, {
    transient: true,
    details: { host: endpoint.host, port: endpoint.port, command: firstWord(command) },
  });
}

function firstWord(command: string): string {
  return command.trim().split(/\s+/, 1)[0] ?? '';
}

function execOn(
  client: Client,
  state: ConnectionState,
  endpoint: SshEndpoint,
  command: string,
  options: RemoteExecOptions,
): Promise<RemoteResult> {
  return new Promise((resolve, reject) => {
    if (state.closed) {
      reject(disconnected(endpoint, command));
      return;
    }
    client.exec(command, (error, channel) => {
      if (error) {
        reject(new PlinthError('SSH_EXEC', `Could not start a command over SSH on ${endpoint.host}`, { cause: error, transient: true }));
        return;
      }
      watchChannel(channel, state, endpoint, command, options).then(resolve, reject);
    });
  });
}

function watchChannel(
  channel: ClientChannel,
  state: ConnectionState,
  endpoint: SshEndpoint,
  command: string,
  options: RemoteExecOptions,
): Promise<RemoteResult> {
  return new Promise((resolve, reject) => {
    const stdout = new OutputTail(options.maxOutputBytes);
    const stderr = new OutputTail(options.maxOutputBytes);
    let exit: { code: number | null; signal: string | null } | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: PlinthError): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      state.onDrop.delete(onDrop);
      if (error !== undefined || exit === undefined) reject(error ?? disconnected(endpoint, command));
      else resolve({ exitCode: exit.code, signal: exit.signal, stdout: stdout.text(), stderr: stderr.text() });
    };
    const onDrop = (): void => finish(disconnected(endpoint, command));
    state.onDrop.add(onDrop);
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = { code: code ?? null, signal: signal ?? null };
    });
    channel.on('close', () => finish());
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        finish(new PlinthError('SSH_TIMEOUT', `A command over SSH on ${endpoint.host} took longer than ${options.timeoutMs} ms`, { transient: true }));
        channel.close();
      }, options.timeoutMs);
    }
    // A failed feed shows up as a channel closed without an exit status, which `finish` reports.
    feedChannel(channel, options.input, options.onInputBytes).catch(() => undefined);
  });
}
