import { readFile } from 'node:fs/promises';
import type { Logger } from '../../../lib/logger.js';
import { DhcpError } from '../errors.js';

export type SignalProcess = (pid: number, signal: NodeJS.Signals) => void;

/**
 * Sends SIGHUP to the dnsmasq whose pid is in `pidFile`, which makes it re-read its host files.
 * No pid file, or a pid that no longer runs, means dnsmasq is not running: it reads the folder when it starts.
 */
export async function sendReload(pidFile: string, signalProcess: SignalProcess, log: Logger): Promise<void> {
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      log.debug({ pidFile }, 'dnsmasq not running, nothing to reload');
      return;
    }
    throw new DhcpError('DHCP_RELOAD', `cannot read dnsmasq pid file ${pidFile}`, { cause: error, transient: true, details: { pidFile } });
  }
  const pid = Number(text.trim());
  if (!Number.isSafeInteger(pid) || pid <= 1) {
    throw new DhcpError('DHCP_RELOAD', `dnsmasq pid file ${pidFile} does not hold a process id`, { details: { pidFile } });
  }
  try {
    signalProcess(pid, 'SIGHUP');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      log.warn({ pidFile, pid }, 'dnsmasq pid file is stale, nothing to reload');
      return;
    }
    throw new DhcpError('DHCP_RELOAD', `cannot signal dnsmasq (pid ${pid})`, { cause: error, details: { pidFile, pid } });
  }
  log.info({ pid }, 'dnsmasq reloaded');
}
