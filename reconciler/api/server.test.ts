import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { ApiEnv } from './middleware/api-env.js';
import { DEFAULT_LISTEN_BACKLOG, startServer } from './server.js';

/** The queue length the kernel gave a listening socket: `ss` shows it as Send-Q. */
function listenQueue(port: number): number {
  const line = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const [, , sendQ] = line.split(/\s+/);
  return Number(sendQ);
}

function app(): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get('/ping', (c) => c.text('pong'));
}

describe('startServer', () => {
  it('listens with a queue for a rack of handshakes, not Node’s 511 (capped by net.core.somaxconn)', async () => {
    const server = await startServer(app(), { host: '127.0.0.1', port: 0 });
    try {
      const somaxconn = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
      expect(listenQueue(server.port)).toBe(Math.min(DEFAULT_LISTEN_BACKLOG, somaxconn));
      expect(await (await fetch(`${server.url}/ping`)).text()).toBe('pong');
    } finally {
      await server.close();
    }
  });

  it('takes the queue length it is given', async () => {
    const server = await startServer(app(), { host: '127.0.0.1', port: 0, backlog: 64 });
    try {
      expect(listenQueue(server.port)).toBe(64);
    } finally {
      await server.close();
    }
  });

  it('says which address it could not listen on', async () => {
    const first = await startServer(app(), { host: '127.0.0.1', port: 0 });
    try {
      await expect(startServer(app(), { host: '127.0.0.1', port: first.port })).rejects.toMatchObject({ code: 'API_LISTEN' });
    } finally {
      await first.close();
    }
  });
});
