import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One end of the pair: a namespace with one veth interface. */
export interface NetnsEnd {
  namespace: string;
  interface: string;
}

/**
 * Two network namespaces joined by a veth pair, so that DHCP, TFTP and PXE traffic stays off the host's network.
 * Names are unique per test run; `destroy()` deletes both namespaces, which also removes the veth pair.
 */
export interface NetnsPair {
  server: NetnsEnd;
  client: NetnsEnd;
  /** Runs a program inside a namespace and returns its output; rejects on a non-zero exit. */
  exec(end: NetnsEnd, file: string, args: readonly string[], timeoutMs?: number): Promise<{ stdout: string; stderr: string }>;
  /** The argument list that runs `file args` inside a namespace, for callers that spawn long-running programs. */
  command(end: NetnsEnd, file: string, args: readonly string[]): [string, string[]];
  destroy(): Promise<void>;
}

export interface NetnsPairOptions {
  /** Address with prefix for the server end, e.g. `10.250.0.1/24`. */
  serverAddress: string;
  /** Optional address for the client end. */
  clientAddress?: string;
  /** Optional IPv6 address for the server end (router advertisements need one). */
  serverAddress6?: string;
  clientMac?: string;
}

/** Why network namespaces cannot be used here, or undefined when they can (root and `ip netns` work). */
export async function explainMissingNetns(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'network namespace tests need root';
  const probe = `plinth-probe-${randomBytes(3).toString('hex')}`;
  try {
    await run('ip', ['netns', 'add', probe]);
    await run('ip', ['netns', 'delete', probe]);
    return undefined;
  } catch (error) {
    return `cannot create network namespaces: ${(error as Error).message.split('\n')[0]}`;
  }
}

/** Creates the pair; the caller must call `destroy()` (in afterAll). */
export async function createNetnsPair(options: NetnsPairOptions): Promise<NetnsPair> {
  const suffix = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  const server = { namespace: `plinth-srv-${suffix}`, interface: 'vsrv' };
  const client = { namespace: `plinth-cli-${suffix}`, interface: 'vcli' };
  const inNs = (end: NetnsEnd, file: string, args: readonly string[]): [string, string[]] => ['ip', ['netns', 'exec', end.namespace, file, ...args]];
  const pair: NetnsPair = {
    server,
    client,
    command: inNs,
    exec: async (end, file, args, timeoutMs = 15_000) => {
      const [program, programArgs] = inNs(end, file, args);
      return run(program, programArgs, { timeout: timeoutMs, encoding: 'utf8' });
    },
    destroy: async () => {
      for (const end of [client, server]) await run('ip', ['netns', 'delete', end.namespace]).catch(() => undefined);
    },
  };
  try {
    await run('ip', ['netns', 'add', server.namespace]);
    await run('ip', ['netns', 'add', client.namespace]);
    // Created directly inside the namespaces, so the fixed interface names never collide with other test runs.
    await run('ip', ['link', 'add', server.interface, 'netns', server.namespace, 'type', 'veth', 'peer', 'name', client.interface, 'netns', client.namespace]);
    await configureEnds(pair, options);
  } catch (error) {
    await pair.destroy();
    throw error;
  }
  return pair;
}

async function configureEnds(pair: NetnsPair, options: NetnsPairOptions): Promise<void> {
  const { server, client } = pair;
  await pair.exec(server, 'ip', ['addr', 'add', options.serverAddress, 'dev', server.interface]);
  if (options.serverAddress6) {
    // nodad: the address is usable at once instead of after duplicate address detection.
    await pair.exec(server, 'ip', ['-6', 'addr', 'add', options.serverAddress6, 'dev', server.interface, 'nodad']);
  }
  if (options.clientMac) await pair.exec(client, 'ip', ['link', 'set', client.interface, 'address', options.clientMac]);
  if (options.clientAddress) await pair.exec(client, 'ip', ['addr', 'add', options.clientAddress, 'dev', client.interface]);
  for (const end of [server, client]) {
    await pair.exec(end, 'ip', ['link', 'set', 'lo', 'up']);
    await pair.exec(end, 'ip', ['link', 'set', end.interface, 'up']);
  }
}
