import type { IncomingMessage } from 'node:http';
import { locateJsonError } from '../../lib/locate-json-error.js';
import { HttpError } from '../http-error.js';

/** Closing the connection after a 413 stops the client sending the rest of a body nobody will read. */
function tooLarge(limitBytes: number, detail: string): HttpError {
  return new HttpError(413, 'API_BODY_TOO_LARGE', `request body ${detail} exceeds the limit of ${limitBytes} bytes`, {
    headers: { Connection: 'close' },
  });
}

export function checkJsonContentType(contentType: string | undefined): void {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(415, 'API_UNSUPPORTED_MEDIA_TYPE', `content-type must be application/json, got ${JSON.stringify(contentType ?? '')}`, {
      headers: { Accept: 'application/json' },
    });
  }
}

/**
 * Reads a body up to `limitBytes`. A declared Content-Length over the limit is refused before any byte is
 * read; a chunked body is read until it passes the limit and the stream is then cancelled, so an
 * oversized body never sits in memory whole.
 */
export async function readLimitedBody(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes, `of ${declared} bytes`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel('body too large').catch(() => undefined);
      throw tooLarge(limitBytes, 'stream');
    }
    chunks.push(value);
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size);
}

/**
 * `readLimitedBody` for a request served by Node's HTTP server, read from the socket's own stream: going
 * through the Fetch `Request` would build a web stream, an abort signal and a header map per request, a
 * measurable share of the event loop's time when a rack reports at once. Same limits, same refusals.
 */
export function readLimitedIncoming(incoming: IncomingMessage, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(incoming.headers['content-length'] ?? NaN);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes, `of ${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.byteLength;
      if (size <= limitBytes) return void chunks.push(chunk);
      stop();
      // As with a cancelled web stream: the rest of an oversized body is never read.
      incoming.destroy();
      reject(tooLarge(limitBytes, 'stream'));
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    // A client that hangs up mid-body may end the stream with neither `end` nor `error`: never wait forever.
    const onClose = (): void => onError(new Error('request closed before its body was complete'));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a JSON body; a syntax error becomes a 400 naming the line and column, never quoting the body. */
export function parseJsonBody(raw: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new HttpError(400, 'API_BAD_ENCODING', 'request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = locateJsonError(text) ?? { offset: 0, line: 1, column: 1, message: 'not valid JSON' };
    throw new HttpError(400, 'API_MALFORMED_JSON', `request body is not valid JSON: ${where.message} at line ${where.line}, column ${where.column}`, {
      cause: error,
      problems: [{ line: where.line, column: where.column, message: where.message }],
    });
  }
}
