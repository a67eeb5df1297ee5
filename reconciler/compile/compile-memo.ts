import { createHash } from 'node:crypto';
import type { DesiredState } from '../manifests/desired-state.js';
import type { NodePlan } from './node-target.js';

/**
 * A digest of an input object's JSON, computed once per object: unchanged objects cost one lookup on the
 * next compile, and a re-read object with the same content gets the same key.
 */
export type ContentKey = (value: object | undefined) => string;

export function createContentKey(): ContentKey {
  const memo = new WeakMap<object, string>();
  return (value) => {
    if (value === undefined) return '';
    let key = memo.get(value);
    if (key === undefined) {
      key = createHash('sha1').update(JSON.stringify(value)).digest('base64');
      memo.set(value, key);
    }
    return key;
  };
}

/**
 * Everything a machine's target depends on, as one string: cluster-wide facts by digest, manifests by
 * content, and only the parts of the classification and inventory that compile reads.
 */
export function describeDependencies(desired: DesiredState, plan: NodePlan, shared: string, contentKey: ContentKey): string {
  const { classification, snapshotNode } = plan;
  const profile = classification.profile === undefined ? undefined : desired.profiles.get(classification.profile);
  const inventory = snapshotNode.inventory;
  return [
    shared,
    contentKey(plan.role),
    contentKey(profile),
    contentKey(plan.node),
    `${classification.nodeId}|${classification.profile ?? ''}|${JSON.stringify(classification.placement ?? null)}`,
    inventory.nics.map((nic) => `${nic.mac}${nic.link === false ? '-' : '+'}`).join(','),
    inventory.gpus.map((gpu) => `${gpu.vendorId}:${gpu.deviceId}`).join(','),
    plan.hostname,
    Object.entries(plan.addresses).map(([network, address]) => `${network}=${address}`).join(','),
  ].join('\u0000');
}

/** What every machine depends on alike: cluster facts, the Cluster, CPU and GPU models, networks. */
export function describeSharedDependencies(desired: DesiredState, factsDigest: string, contentKey: ContentKey): string {
  const maps = [desired.cpuModels, desired.gpuModels, desired.networks].map((map) => [...map.values()].map((value) => contentKey(value)).join(','));
  return createHash('sha256').update([factsDigest, contentKey(desired.cluster), ...maps].join('\u0000')).digest('base64');
}

/** A small number per object, so that "the same array as last time" costs one lookup to tell. */
export function createIdentityToken(): (value: object) => number {
  const tokens = new WeakMap<object, number>();
  let next = 0;
  return (value) => {
    let token = tokens.get(value);
    if (token === undefined) tokens.set(value, (token = (next += 1)));
    return token;
  };
}

/** Structural equality of JSON-like values, without building strings: cheap when nothing changed. */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!isDeepEqual(a[index], b[index])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    count += 1;
    if (!(key in right) || !isDeepEqual(left[key], right[key])) return false;
  }
  for (const key in right) if (Object.hasOwn(right, key)) count -= 1;
  return count === 0;
}

/** Remembers the last result with the key and requests it was computed for; anything new computes afresh. */
export function memoizeLast<T>(): (key: string, requests: unknown, compute: () => T) => T {
  let last: { key: string; requests: unknown; value: T } | undefined;
  return (key, requests, compute) => {
    if (last?.key !== key || !isDeepEqual(last.requests, requests)) last = { key, requests, value: compute() };
    return last.value;
  };
}

/**
 * Whether a machine's inputs are the very same objects and values as last time: a check of a few
 * references that spares building its dependency string in the common case of nothing changed.
 */
export function isSamePlan(previous: NodePlan, plan: NodePlan): boolean {
  if (previous === plan) return true;
  const [a, b] = [previous.classification, plan.classification];
  const placementSame = a.placement === b.placement || isDeepEqual(a.placement, b.placement);
  return (
    previous.role === plan.role &&
    previous.node === plan.node &&
    previous.snapshotNode === plan.snapshotNode &&
    previous.addresses === plan.addresses &&
    previous.hostname === plan.hostname &&
    a.nodeId === b.nodeId &&
    a.profile === b.profile &&
    placementSame
  );
}

/**
 * A version number of a sequence of values by identity: it changes only when some value is not the very
 * object at the same position last time. One pass of reference comparisons, no string built.
 */
export function createSequenceVersion<T>(): (values: Iterable<T>, pick: (value: T) => unknown) => number {
  let last: unknown[] = [];
  let version = 0;
  return (values, pick) => {
    const next: unknown[] = [];
    let same = true;
    for (const value of values) {
      const picked = pick(value);
      if (same && (next.length >= last.length || last[next.length] !== picked)) same = false;
      next.push(picked);
    }
    if (!same || next.length !== last.length) version += 1;
    last = next;
    return version;
  };
}
