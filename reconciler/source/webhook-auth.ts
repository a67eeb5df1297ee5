import { createHmac, timingSafeEqual } from 'node:crypto';

export type WebhookScheme = 'github' | 'gitlab' | 'gitea' | 'generic';

/** Reads a request header by name (case-insensitive), undefined when absent. */
export type HeaderReader = (name: string) => string | undefined;

export type WebhookVerdict = { ok: true; scheme: WebhookScheme } | { ok: false; reason: string };

/**
 * Decides whether a webhook comes from a holder of one of `secrets` (several allow rotation).
 * GitHub `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, Gitea `X-Gitea-Signature: <hex>`,
 * GitLab `X-Gitlab-Token: <secret>`, plinth's own `X-Plinth-Signature` like GitHub's. Comparisons are
 * constant-time; the most specific header wins because Gitea also sends GitHub's.
 */
export function authenticateWebhook(header: HeaderReader, body: Uint8Array, secrets: readonly string[]): WebhookVerdict {
  const usable = secrets.filter((secret) => secret.length > 0);
  if (usable.length === 0) return { ok: false, reason: 'no webhook secret is configured' };
  const gitea = header('x-gitea-signature');
  if (gitea !== undefined) return verdict('gitea', usable.some((secret) => equalHex(gitea, hmacHex(secret, body))));
  const gitlab = header('x-gitlab-token');
  if (gitlab !== undefined) return verdict('gitlab', usable.some((secret) => equalText(gitlab, secret)));
  const github = header('x-hub-signature-256');
  if (github !== undefined) return verdict('github', usable.some((secret) => equalPrefixed(github, hmacHex(secret, body))));
  const generic = header('x-plinth-signature');
  if (generic !== undefined) return verdict('generic', usable.some((secret) => equalPrefixed(generic, hmacHex(secret, body))));
  return { ok: false, reason: 'no signature header' };
}

/** The value of a GitHub-style signature header for `body`; senders and tests use it. */
export function signWebhookBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${hmacHex(secret, typeof body === 'string' ? Buffer.from(body) : body)}`;
}

function verdict(scheme: WebhookScheme, matched: boolean): WebhookVerdict {
  return matched ? { ok: true, scheme } : { ok: false, reason: `${scheme} signature does not match` };
}

function hmacHex(secret: string, body: Uint8Array): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function equalPrefixed(received: string, expectedHex: string): boolean {
  const trimmed = received.trim();
  return trimmed.startsWith('sha256=') && equalHex(trimmed.slice('sha256='.length), expectedHex);
}

function equalHex(received: string, expectedHex: string): boolean {
  return equalText(received.trim().toLowerCase(), expectedHex);
}

/** Hashing both sides first makes the comparison constant-time whatever their lengths. */
function equalText(received: string, expected: string): boolean {
  const left = createHmac('sha256', 'plinth-compare').update(received).digest();
  const right = createHmac('sha256', 'plinth-compare').update(expected).digest();
  return timingSafeEqual(left, right);
}

/** The branch a push event names (`refs/heads/<branch>`), or undefined for events that name none. */
export function readPushedBranch(body: Uint8Array): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    const ref = typeof parsed === 'object' && parsed !== null ? (parsed as { ref?: unknown }).ref : undefined;
    return typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  } catch {
    return undefined; // form-encoded or empty bodies still trigger a fetch; they carry nothing we use
  }
}
