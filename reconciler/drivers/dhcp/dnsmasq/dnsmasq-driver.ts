import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../lib/atomic-write.js';
import type { IpNetwork } from '../../../lib/ip-address.js';
import { normaliseMac } from '../../../lib/mac-address.js';
import { silentLogger, type Logger } from '../../../lib/logger.js';
import type { Template } from '../../../lib/render-template.js';
import { DhcpError } from '../errors.js';
import { formatHostLine, hostFileName, macFromHostFileName, parseHostLine } from '../host-file.js';
import type { DhcpDriver, EnsureOptions, EnsureResult, HostEntry } from '../types.js';
import { validateHostEntry } from '../validate-host.js';
import { findConflict, wrapIoError } from './host-store.js';
import { sendReload, type SignalProcess } from './reload.js';
import { buildTemplateValues, checkDnsmasqSettings, type DnsmasqPaths, type DnsmasqSettings } from './settings.js';

export interface DnsmasqDriverDeps {
  settings: DnsmasqSettings;
  /** The compiled `boot-assets/dnsmasq.conf.tmpl` (see `loadDnsmasqTemplate`). */
  template: Template;
  /** Sends a signal to a process; `process.kill` in production. */
  signalProcess?: SignalProcess;
  log?: Logger;
}

interface Context {
  paths: DnsmasqPaths;
  network: IpNetwork;
  log: Logger;
  reload: () => Promise<void>;
}

/**
 * The dnsmasq implementation of the DHCP driver. Reservations are files in `dhcp-hostsdir`, which dnsmasq
 * re-reads through inotify when one is created or replaced; a deleted file is only forgotten on SIGHUP.
 * Example: `await createDnsmasqDriver({ settings, template }).ensureHost({ mac, ip, hostname })`.
 */
export function createDnsmasqDriver(deps: DnsmasqDriverDeps): DhcpDriver {
  const network = checkDnsmasqSettings(deps.settings);
  const log = deps.log ?? silentLogger();
  const signalProcess = deps.signalProcess ?? ((pid, signal) => process.kill(pid, signal));
  const reload = () => sendReload(deps.settings.paths.pidFile, signalProcess, log);
  const context: Context = { paths: deps.settings.paths, network, log, reload };
  return {
    renderConfig: () => deps.template(buildTemplateValues(deps.settings, network)),
    listHosts: () => listHosts(context),
    reload,
    ensureHost: (entry, options) => ensureHost(context, entry, options),
    removeHost: (mac, options) => removeHost(context, mac, options),
  };
}

async function listHosts({ paths, log }: Context): Promise<HostEntry[]> {
  const names = await readdir(paths.hostsDir).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw wrapIoError(error, 'list reservations', paths.hostsDir);
  });
  const entries: HostEntry[] = [];
  for (const name of names.sort()) {
    if (macFromHostFileName(name) === undefined) continue;
    const text = await readOptional(join(paths.hostsDir, name));
    const entry = text === undefined ? undefined : parseHostLine(text);
    if (entry) entries.push(entry);
    else if (text !== undefined) log.warn({ file: name }, 'unreadable reservation file ignored');
  }
  return entries;
}

async function ensureHost(context: Context, entry: HostEntry, options: EnsureOptions = {}): Promise<EnsureResult> {
  const problems = validateHostEntry(entry, context.network);
  if (problems.length > 0) {
    throw new DhcpError('DHCP_INVALID_ENTRY', `invalid reservation for ${entry.mac}: ${problems.map((problem) => problem.message).join('; ')}`, {
      details: { mac: entry.mac, problems },
    });
  }
  const mac = normaliseMac(entry.mac) ?? entry.mac;
  const content = formatHostLine({ ...entry, mac });
  const path = join(context.paths.hostsDir, hostFileName(mac));
  if ((await readOptional(path)) === content) return { changed: false };
  const conflict = findConflict(await listHosts(context), { ...entry, mac });
  if (conflict) throw conflict;
  if (options.dryRun) return { changed: true };
  // The temporary file lives outside the watched folder: dnsmasq would otherwise try to read it too.
  await writeFileAtomic(path, content, { tempDir: context.paths.stagingDir }).catch((error: unknown) => {
    throw wrapIoError(error, 'write reservation', path);
  });
  context.log.info({ mac, ip: entry.ip, hostname: entry.hostname }, 'reservation written');
  return { changed: true };
}

async function removeHost(context: Context, macText: string, options: EnsureOptions = {}): Promise<EnsureResult> {
  const mac = normaliseMac(macText);
  if (mac === undefined) throw new DhcpError('DHCP_INVALID_ENTRY', `"${macText}" is not a MAC address`, { details: { mac: macText } });
  const path = join(context.paths.hostsDir, hostFileName(mac));
  if ((await readOptional(path)) === undefined) return { changed: false };
  if (options.dryRun) return { changed: true };
  await rm(path, { force: true }).catch((error: unknown) => {
    throw wrapIoError(error, 'remove reservation', path);
  });
  // dnsmasq's inotify handling does not drop a deleted reservation: only SIGHUP makes it forget the node.
  await context.reload();
  context.log.info({ mac }, 'reservation removed');
  return { changed: true };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw wrapIoError(error, 'read reservation', path);
  }
}
