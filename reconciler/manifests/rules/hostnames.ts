import type { Problem } from '../../lib/problems.js';
import { DEFAULT_HOSTNAME_PATTERN } from '../kinds/cluster.js';
import { problemAt } from '../loaded-document.js';
import type { RuleContext } from './rule-context.js';

export const HOSTNAME_PLACEHOLDERS = ['cluster', 'role', 'n', 'domain', 'datacenter', 'row', 'rack', 'az'] as const;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Fills every placeholder with a typical value, to check that what the pattern makes is a valid DNS name. */
function sampleHostname(pattern: string, domain: string): string {
  return pattern.replace(/\{([a-z]+)\}/g, (_, name: string) => (name === 'domain' ? domain : name === 'n' ? '1' : 'x'));
}

/** Why `name` is not a valid hostname, or undefined when it is. */
export function explainInvalidHostname(name: string): string | undefined {
  if (name.length > 253) return 'is longer than 253 characters';
  const bad = name.split('.').find((label) => !LABEL.test(label));
  return bad === undefined ? undefined : `has the label \`${bad}\`; labels are 1-63 lower-case letters, digits or dashes, not starting or ending with a dash`;
}

function checkPattern(context: RuleContext): Problem[] {
  const cluster = context.ofKind('Cluster')[0];
  if (!cluster) return [];
  const pattern = cluster.manifest.spec.hostnamePattern ?? DEFAULT_HOSTNAME_PATTERN;
  const path = ['spec', 'hostnamePattern'];
  const placeholders = [...pattern.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
  const unknown = placeholders.find((name) => !(HOSTNAME_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return [problemAt(cluster, path, 'hostname-pattern', `unknown placeholder {${unknown}}; use ${HOSTNAME_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')}`)];
  }
  if (!placeholders.includes('n')) return [problemAt(cluster, path, 'hostname-pattern', 'the pattern needs {n}, or two machines of one role would get the same name')];
  const why = explainInvalidHostname(sampleHostname(pattern, cluster.manifest.spec.domain));
  return why ? [problemAt(cluster, path, 'hostname-pattern', `the pattern makes names like \`${sampleHostname(pattern, cluster.manifest.spec.domain)}\`, which ${why}`)] : [];
}

/** Rule `hostname-pattern` and `invalid-hostname`: generated and pinned names are valid DNS names in the cluster's domain. */
export function checkHostnames(context: RuleContext): Problem[] {
  const problems = checkPattern(context);
  const domain = context.ofKind('Cluster')[0]?.manifest.spec.domain;
  for (const document of context.ofKind('Node')) {
    const hostname = document.manifest.spec.hostname;
    if (hostname === undefined) continue;
    const why = explainInvalidHostname(hostname);
    if (why) problems.push(problemAt(document, ['spec', 'hostname'], 'invalid-hostname', `hostname \`${hostname}\` ${why}`));
    else if (domain && hostname.includes('.') && !hostname.endsWith(`.${domain}`)) {
      problems.push(problemAt(document, ['spec', 'hostname'], 'invalid-hostname', `hostname \`${hostname}\` is outside the cluster domain ${domain}; give the short name or an FQDN in ${domain}`));
    }
  }
  return problems;
}
