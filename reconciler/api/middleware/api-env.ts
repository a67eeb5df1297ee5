import type { IncomingMessage } from 'node:http';
import type { Logger } from '../../lib/logger.js';

/**
 * What the API's handlers share through Hono's context. `incoming` is the Node request, present when
 * served by @hono/node-server (in-process `app.request()` callers may pass one as the env argument).
 */
export interface ApiEnv {
  Bindings: { incoming?: Pick<IncomingMessage, 'socket'> };
  Variables: {
    /** The peer's IP address, IPv4-mapped IPv6 unwrapped; `unknown` when there is no socket. */
    sourceAddress: string;
    log: Logger;
  };
}
