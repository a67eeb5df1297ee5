import { runCommand, type CommandRunner } from '../reconciler/lib/command.js';
import { tapName, type LabConfig } from './lab-config.js';

/** Runs `ip ARGS` and throws with its stderr when it fails. */
async function ip(args: readonly string[]): Promise<void> {
  const result = await runCommand('ip', args, { timeoutMs: 15_000 });
  if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

/** `ip netns exec NS FILE ARGS` as a program and its arguments, for spawning inside the namespace. */
export function inNamespace(namespace: string, file: string, args: readonly string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', namespace, file, ...args]];
}

/** A command runner whose programs run inside the lab namespace, e.g. ipmitool reaching the lab's BMCs. */
export function createNamespaceRunner(namespace: string): CommandRunner {
  return (file, args, options) => runCommand(...inNamespace(namespace, file, args), options);
}

export async function namespaceExists(namespace: string): Promise<boolean> {
  const result = await runCommand('ip', ['netns', 'list'], { timeoutMs: 15_000 });
  return result.stdout.split('\n').some((line) => line.split(' ')[0] === namespace);
}

/**
 * Creates the namespace with the provisioning bridge and one persistent tap per node on it. QEMU opens its
 * tap by name; the namespace keeps all of it off the host's network, and deleting it removes every link.
 */
export async function createProvisioningNetwork(config: LabConfig): Promise<void> {
  const ns = config.namespace;
  await ip(['netns', 'add', ns]);
  const inNs = (args: string[]) => ip(['-n', ns, ...args]);
  await inNs(['link', 'set', 'lo', 'up']);
  await inNs(['link', 'add', config.bridge, 'type', 'bridge']);
  await inNs(['addr', 'add', config.serverCidr, 'dev', config.bridge]);
  // nodad: usable at once; dnsmasq's router advertisements need an IPv6 address on the bridge.
  await inNs(['-6', 'addr', 'add', config.serverCidr6, 'dev', config.bridge, 'nodad']);
  await inNs(['link', 'set', config.bridge, 'up']);
  for (let index = 0; index < config.nodes.length; index += 1) {
    await inNs(['tuntap', 'add', tapName(index), 'mode', 'tap']);
    await inNs(['link', 'set', tapName(index), 'master', config.bridge]);
    await inNs(['link', 'set', tapName(index), 'up']);
  }
}

/** Deletes the namespace (and with it the bridge and taps); nothing to do when it is gone. */
export async function deleteProvisioningNetwork(namespace: string): Promise<void> {
  if (await namespaceExists(namespace)) await ip(['netns', 'delete', namespace]);
}
