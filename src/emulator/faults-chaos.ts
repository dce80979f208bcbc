import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Envelope } from './envelope.ts';

/** Bodies TikTok's gateway or a proxy in between could answer with HTTP 200 that are not a usable envelope. */
export const MALFORMED_VARIANTS = [
  'missing_code',
  'code_as_string',
  'null',
  'array',
  'empty',
  'not_json',
  'no_data',
  'wrong_shape',
  'unknown_code',
  'html_200',
] as const;

/** What `chaos` draws from, one per affected request. */
export const CHAOS_KINDS = [
  'malformedBody',
  'truncatedJson',
  'gatewayHtml',
  'hugeBody',
  'slow',
  'stalledBody',
  'connectionReset',
  'outage',
] as const;

/** When a request fault acts: every request fault takes these. */
export const requestWindow = {
  /** Share of matching requests affected, 0..1. @default 1 */
  rate: z.number().min(0).max(1).default(1),
  /** How long the fault lasts on the emulator clock; absent means until DELETE /__control/faults. */
  durationMs: z.number().int().positive().optional(),
  /** Only these API paths (e.g. "/advertiser/info/"); absent means every path. */
  paths: z.array(z.string().startsWith('/')).optional(),
  /** Ends after affecting this many requests (a single failed exchange, three resets); absent means no limit. */
  times: z.number().int().positive().optional(),
  /** Only calls of these apps (by their token, or the app_id they send); absent means every app. */
  appIds: z.array(z.string()).optional(),
};
const window = requestWindow;
const hugeBytes = z
  .number()
  .int()
  .min(1024)
  .max(1024 * 1024 * 1024)
  .default(64 * 1024 * 1024);

/** The chaos faults, as the control API accepts them. */
export const CHAOS_FAULTS = [
  z.strictObject({
    type: z.literal('malformedBody'),
    variant: z.enum(MALFORMED_VARIANTS).optional(),
    ...window,
  }),
  z.strictObject({
    type: z.literal('hugeBody'),
    bytes: hugeBytes,
    /** Announce the size in content-length (a client can refuse it unread) or stream it chunked. */
    declared: z.boolean().default(false),
    ...window,
  }),
  z.strictObject({
    type: z.literal('stalledBody'),
    /** Half the body is sent, then nothing for this long, then the connection is closed. */
    stallMs: z.number().int().min(1).max(600_000).default(60_000),
    ...window,
  }),
  z.strictObject({
    type: z.literal('chaos'),
    kinds: z
      .array(z.enum(CHAOS_KINDS))
      .min(1)
      .default([...CHAOS_KINDS]),
    slowMs: z.number().int().min(1).max(120_000).default(5_000),
    stallMs: z.number().int().min(1).max(600_000).default(60_000),
    bytes: hugeBytes,
    ...window,
  }),
] as const;

type Pick = <T>(list: readonly T[]) => T;

/** The response of a malformed variant: HTTP 200 with a body that is not a usable TikTok envelope. */
export function malformedResponse(
  variant: (typeof MALFORMED_VARIANTS)[number],
  envelope: Envelope,
): { type: string; body: string } {
  const json = (value: unknown) => ({ type: 'application/json', body: JSON.stringify(value) });
  const { code: _code, ...rest } = envelope;
  switch (variant) {
    case 'missing_code':
      return json(rest);
    case 'code_as_string':
      return json({ ...envelope, code: String(envelope.code) });
    case 'null':
      return { type: 'application/json', body: 'null' };
    case 'array':
      return json([envelope]);
    case 'empty':
      return { type: 'application/json', body: '' };
    case 'not_json':
      return { type: 'application/json', body: 'OK' };
    case 'no_data':
      return json({ code: 0, message: 'OK', request_id: envelope.request_id });
    case 'wrong_shape':
      return json({
        code: 0,
        message: 'OK',
        request_id: envelope.request_id,
        data: { list: 'unavailable', page_info: 7 },
      });
    case 'unknown_code':
      return json({
        code: 48_765,
        message: 'Unrecognised upstream condition.',
        request_id: envelope.request_id,
        data: {},
      });
    case 'html_200':
      return {
        type: 'text/html',
        body: '<!doctype html><html><head><title>Access denied</title></head><body>Request blocked by proxy.</body></html>',
      };
  }
}

/** Sends `bytes` of a JSON document that looks like a success envelope, chunked or with its length declared. */
export function sendHuge(reply: FastifyReply, bytes: number, declared: boolean) {
  const head = '{"code":0,"message":"OK","request_id":"huge","data":{"list":["';
  const tail = '"]}}';
  const filler = Math.max(0, bytes - head.length - tail.length);
  const chunk = 'x'.repeat(64 * 1024);
  async function* body() {
    yield head;
    for (let sent = 0; sent < filler; sent += chunk.length)
      yield chunk.slice(0, Math.min(chunk.length, filler - sent));
    yield tail;
  }
  if (declared) reply.header('content-length', String(head.length + filler + tail.length));
  return reply.code(200).type('application/json').send(Readable.from(body()));
}

/** Sends headers and half the body, then stalls, then closes the connection. */
export function sendStalled(
  request: FastifyRequest,
  reply: FastifyReply,
  envelope: Envelope,
  stallMs: number,
) {
  const text = JSON.stringify(envelope);
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
  raw.write(text.slice(0, Math.floor(text.length / 2)));
  const timer = setTimeout(() => request.raw.socket.destroy(), stallMs);
  timer.unref();
  request.raw.socket.once('close', () => clearTimeout(timer));
}

/** The fault a `chaos` fault becomes for one request. */
export function drawChaos(
  fault: {
    kinds: ReadonlyArray<(typeof CHAOS_KINDS)[number]>;
    slowMs: number;
    stallMs: number;
    bytes: number;
  },
  pick: Pick,
) {
  const kind = pick(fault.kinds);
  switch (kind) {
    case 'malformedBody':
      return { type: kind, variant: pick(MALFORMED_VARIANTS) } as const;
    case 'hugeBody':
      return { type: kind, bytes: fault.bytes, declared: pick([true, false]) } as const;
    case 'slow':
      return { type: kind, delayMs: fault.slowMs } as const;
    case 'stalledBody':
      return { type: kind, stallMs: fault.stallMs } as const;
    case 'gatewayHtml':
      return { type: kind, status: pick([500, 502, 503, 504]) } as const;
    case 'outage':
      return { type: kind, code: 50002, message: undefined } as const;
    default:
      return { type: kind } as const;
  }
}
