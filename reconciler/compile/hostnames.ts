import type { HostnameAssignment } from '../inventory/snapshot.js';
import { DEFAULT_HOSTNAME_PATTERN } from '../manifests/kinds/cluster.js';
import type { CompileProblem } from './types.js';

/** A machine that needs a hostname, with what can decide it. */
export interface HostnameRequest {
  nodeId: string;
  role: string;
  /** From the Node manifest: a short name or an FQDN. */
  pinned?: string;
  /** Identity of the machine this one replaces: it adopts that machine's hostname. */
  replaces?: string;
  /** Placeholders of the pattern that come from placement: datacenter, row, rack, az. */
  place: Record<string, string>;
}

export interface HostnameContext {
  cluster: string;
  domain: string;
  pattern?: string;
  prior: readonly HostnameAssignment[];
  highWater: Readonly<Record<string, number>>;
}

export interface HostnameResult {
  byNode: Map<string, string>;
  assignments: HostnameAssignment[];
  highWater: Record<string, number>;
  problems: CompileProblem[];
}

function qualify(name: string, domain: string): string {
  return name.includes('.') ? name : `${name}.${domain}`;
}

function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\{([a-z]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches the hostnames the pattern gives a role, capturing `{n}`; the index a pin carries keeps generated names off it. */
function buildIndexPattern(role: string, context: HostnameContext): RegExp {
  const pattern = qualify(context.pattern ?? DEFAULT_HOSTNAME_PATTERN, context.domain);
  const fixed: Record<string, string> = { cluster: context.cluster, role, domain: context.domain };
  const source = escapeRegExp(pattern).replace(/\\\{([a-z]+)\\\}/g, (_whole, key: string) => (key === 'n' ? '(\\d+)' : key in fixed ? escapeRegExp(fixed[key] ?? '') : '[^.]*'));
  return new RegExp(`^${source}$`);
}

function parsePinnedIndex(hostname: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(hostname);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function compareAssignments(a: HostnameAssignment, b: HostnameAssignment): number {
  return a.role < b.role ? -1 : a.role > b.role ? 1 : a.index - b.index;
}

/**
 * Gives every requested machine its hostname: its prior one (stable for its lifetime), the one of the machine
 * it replaces, its pin, or the next index of its role's sequence. Indices are never reused: the high-water mark
 * only grows, even when a machine leaves. Requests are served in identity order, so the result is deterministic.
 * Example: `assignHostnames(requests, { cluster: 'pub1', domain: 'pub1.example.net', prior: [], highWater: {} })`.
 */
export function assignHostnames(requests: readonly HostnameRequest[], context: HostnameContext): HostnameResult {
  const sorted = [...requests].sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  const highWater: Record<string, number> = { ...context.highWater };
  const held = new Map<string, HostnameAssignment>(context.prior.map((entry) => [entry.nodeId, entry]));
  const problems: CompileProblem[] = [];
  for (const entry of context.prior) highWater[entry.role] = Math.max(highWater[entry.role] ?? 0, entry.index);
  adoptReplacedHostnames(sorted, held);
  const taken = new Map<string, string>();
  for (const [nodeId, entry] of held) taken.set(entry.hostname, nodeId);
  const byNode = new Map<string, string>();
  const indexPatterns = new Map<string, RegExp>();
  for (const request of sorted) {
    if (request.pinned === undefined) continue;
    const hostname = qualify(request.pinned, context.domain);
    const owner = taken.get(hostname);
    if (owner !== undefined && owner !== request.nodeId) {
      problems.push({ nodeId: request.nodeId, code: 'hostname-conflict', severity: 'error', message: `hostname ${hostname} is already held by machine ${owner}` });
      continue;
    }
    let pattern = indexPatterns.get(request.role);
    if (!pattern) indexPatterns.set(request.role, (pattern = buildIndexPattern(request.role, context)));
    const index = parsePinnedIndex(hostname, pattern);
    if (index !== undefined) highWater[request.role] = Math.max(highWater[request.role] ?? 0, index);
    // A pin wins over what the machine held before; the old index stays retired.
    const previous = held.get(request.nodeId);
    if (previous && previous.hostname !== hostname) {
      held.delete(request.nodeId);
      taken.delete(previous.hostname);
    }
    if (index !== undefined) held.set(request.nodeId, { nodeId: request.nodeId, role: request.role, index, hostname });
    taken.set(hostname, request.nodeId);
    byNode.set(request.nodeId, hostname);
  }
  for (const request of sorted) {
    if (request.pinned !== undefined) continue;
    byNode.set(request.nodeId, held.get(request.nodeId)?.hostname ?? generateHostname(request, context, highWater, taken, held));
  }
  return { byNode, assignments: [...held.values()].sort(compareAssignments), highWater, problems };
}

/** A declared replacement takes over the old machine's assignment; the old machine then holds none. */
function adoptReplacedHostnames(requests: readonly HostnameRequest[], held: Map<string, HostnameAssignment>): void {
  for (const request of requests) {
    const old = request.replaces === undefined ? undefined : held.get(request.replaces);
    if (!old || held.has(request.nodeId)) continue;
    held.delete(old.nodeId);
    held.set(request.nodeId, { ...old, nodeId: request.nodeId });
  }
}

function generateHostname(
  request: HostnameRequest,
  context: HostnameContext,
  highWater: Record<string, number>,
  taken: Map<string, string>,
  held: Map<string, HostnameAssignment>,
): string {
  const pattern = qualify(context.pattern ?? DEFAULT_HOSTNAME_PATTERN, context.domain);
  const values = { ...request.place, cluster: context.cluster, role: request.role, domain: context.domain };
  // Bounded: each turn consumes one index, and at most `taken.size` names can be in the way.
  for (let attempt = 0; attempt <= taken.size; attempt += 1) {
    const index = (highWater[request.role] ?? 0) + 1;
    highWater[request.role] = index;
    const hostname = fillPattern(pattern, { ...values, n: String(index) });
    if (taken.has(hostname)) continue;
    held.set(request.nodeId, { nodeId: request.nodeId, role: request.role, index, hostname });
    taken.set(hostname, request.nodeId);
    return hostname;
  }
  throw new Error('unreachable: a free index always exists within taken.size + 1 attempts');
}
