import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A request the receiver got: the body as text (inflated if it came gzipped) and the headers that matter to the agent's contract. */
export interface ReceivedReport {
  body: string;
  authorization: string | undefined;
  contentType: string | undefined;
  contentEncoding: string | undefined;
}

/**
 * A small HTTP server on 127.0.0.1 that plays the controller for the agent: it answers each POST with the
 * next status of a script (then 202 forever) and keeps every body.
 */
export interface ReportReceiver {
  url: string;
  received: ReceivedReport[];
  close(): Promise<void>;
}

export async function startReportReceiver(statuses: readonly number[] = []): Promise<ReportReceiver> {
  const received: ReceivedReport[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const contentEncoding = request.headers['content-encoding'];
      received.push({
        body: (contentEncoding === 'gzip' ? gunzipSync(body) : body).toString('utf8'),
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        contentEncoding,
      });
      const status = statuses[received.length - 1] ?? 202;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/reports`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
