import type { CommandResult } from '../../../lib/command.js';
import { BmcError, type BmcErrorCode } from '../errors.js';

/**
 * ipmitool prints the same last line ("Unable to establish IPMI v2 / RMCP+ session") for a wrong password and a
 * dead BMC; the driver runs it with `-v` so the line before says which. Order matters: first match wins.
 */
const RULES: ReadonlyArray<{ pattern: RegExp; code: BmcErrorCode; reason: string }> = [
  {
    pattern: /RAKP 2 HMAC is invalid|unauthorized name|RAKP \d message indicates an error|Insufficient privilege/i,
    code: 'BMC_AUTH',
    reason: 'the BMC refused the credentials',
  },
  {
    pattern: /invalid (authentication|integrity|confidentiality) algorithm|cipher suite/i,
    code: 'BMC_UNSUPPORTED',
    reason: 'the BMC does not support the cipher suite',
  },
  {
    pattern: /Address lookup for .* failed|Could not open socket/i,
    code: 'BMC_UNREACHABLE',
    reason: 'the BMC address does not resolve',
  },
  {
    pattern: /Get Auth Capabilities error|No response from remote controller|Unable to establish IPMI v2/i,
    code: 'BMC_UNREACHABLE',
    reason: 'the BMC did not answer',
  },
  {
    pattern: /Invalid command|Invalid data field|not supported/i,
    code: 'BMC_UNSUPPORTED',
    reason: 'the BMC does not support the request',
  },
];

/**
 * Drops what `-v` prints on every call, including the harmless probe for vendor-specific capabilities that many
 * BMCs answer with "Invalid command" (which would otherwise read as an unsupported request).
 */
export function dropVerboseNoise(stderr: string): string[] {
  const kept: string[] = [];
  let afterProbe = false;
  for (const line of stderr.split('\n')) {
    const probeAnswer = afterProbe && line.startsWith('Invalid completion code received');
    afterProbe = line.startsWith('Running Get VSO Capabilities');
    if (line.trim() === '' || line.startsWith('Loading IANA') || afterProbe || probeAnswer) continue;
    if (line.startsWith('Discovered IPMB address')) continue;
    kept.push(line);
  }
  return kept;
}

function summarise(lines: string[]): string {
  return lines.slice(-3).join(' | ').slice(0, 300);
}

/** Maps a failed ipmitool run to a typed error. `operation` and `address` are context only. */
export function classifyFailure(result: CommandResult, operation: string, address: string): BmcError {
  const diagnostics = dropVerboseNoise(result.stderr);
  const details = { address, operation, exitCode: result.exitCode, stderr: summarise(diagnostics) };
  if (result.timedOut) {
    return new BmcError('BMC_TIMEOUT', `BMC ${address} did not complete ${operation} in time`, { details });
  }
  const output = `${diagnostics.join('\n')}\n${result.stdout}`;
  const rule = RULES.find((candidate) => candidate.pattern.test(output));
  if (rule) return new BmcError(rule.code, `BMC ${address}: ${operation} failed: ${rule.reason}`, { details });
  return new BmcError('BMC_PROTOCOL', `BMC ${address}: ${operation} failed (ipmitool exit ${result.exitCode})`, {
    details,
  });
}
