import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the sink received. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test payloads are read loosely
  json: any;
}

/**
 * A real HTTP server standing in for Slack and webhook receivers: records every POST, answers 200
 * (or the next status queued with `failNext`).
 */
export async function startWebhookSink(options: { delayMs?: number } = {}) {
  const received: Received[] = [];
  let inFlight = 0;
  /** Requests answered with a queued failure status. */
  const refused: Received[] = [];
  const statuses: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    inFlight++;
    request.on('end', async () => {
      // A slow receiver: the sender waits, so a crash can land in the middle of a delivery.
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      inFlight--;
      const status = statuses.shift() ?? 200;
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {}
      (status === 200 ? received : refused).push({
        path: request.url ?? '/',
        headers: request.headers,
        body,
        json,
      });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'try later');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    refused,
    /** Requests being answered right now. */
    inFlight: () => inFlight,
    /** The next `count` requests get `status` (e.g. 503) and are not recorded. */
    failNext(count: number, status = 503) {
      for (let i = 0; i < count; i++) statuses.push(status);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls `probe` until it returns a truthy value (state the system reaches by itself), or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  what: string,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
