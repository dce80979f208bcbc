import { type Dispatcher, FormData, Pool } from 'undici';
import { classify } from '../catalog/index.ts';
import type { Call, Envelope, ParamValue } from './call.ts';
import { malformedData, TikTokApiError, TikTokTransportError } from './errors.ts';

/** TikTok's API base URLs (fact sheet §1.4). */
export const TIKTOK_BASE_URLS = {
  production: 'https://business-api.tiktok.com/open_api/v1.3',
  sandbox: 'https://sandbox-ads.tiktok.com/open_api/v1.3',
} as const;

/** Transport settings. */
export interface TransportOptions {
  /** API base including `/open_api/v1.3`. */
  baseUrl: string;
  /** Keep-alive connections per origin. @default 50 */
  connections?: number;
  /** Time to wait for response headers, and between body chunks. @default 30000 */
  timeoutMs?: number;
  /** Bodies larger than this are refused (ADW_BODY_TOO_LARGE). @default 32 MiB */
  maxBodyBytes?: number;
  /** Clock for diagnoses (retryAt for daily limits). @default Date.now */
  now?: () => number;
}

/** Encodes a query the way TikTok reads it: list and object parameters as JSON strings. */
export function encodeQuery(query: Record<string, ParamValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Sends calls over one undici Pool per origin and decodes TikTok's envelope. */
export function createTransport(options: TransportOptions) {
  const base = new URL(options.baseUrl.replace(/\/+$/, ''));
  const prefix = base.pathname;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBody = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const now = options.now ?? Date.now;
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 50,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  const context = (call: Call) => ({ now: now(), endpoint: call.path, advertiserId: call.advertiserId });
  const site = (call: Call) => ({
    method: call.method,
    endpoint: call.path,
    advertiserId: call.advertiserId,
  });
  const transportError = (call: Call, facts: Parameters<typeof classify>[0]) =>
    new TikTokTransportError(classify(facts, context(call)), site(call), call.attempt);

  async function send(call: Call): Promise<Envelope> {
    const { headers, body } = requestOf(call);
    let status: number;
    let text: string;
    try {
      const response = await pool.request({
        method: call.method,
        path: `${prefix}${call.path}${encodeQuery(call.query)}`,
        headers,
        body,
        signal: call.signal,
      });
      status = response.statusCode;
      text = await readBody(response, maxBody);
    } catch (error) {
      const e = error as { code?: unknown; name?: unknown; message?: unknown };
      throw transportError(call, { transport: { code: e.code, name: e.name, message: e.message } });
    }
    return decode(call, status, text);
  }

  function decode(call: Call, status: number, text: string): Envelope {
    if (status === 200 && text.startsWith('{"code":0,')) {
      // The fast path: a success envelope. Still parsed and checked in full.
      try {
        const envelope = parseLossless(text) as Envelope;
        if (envelope.code === 0 && typeof envelope.data === 'object' && envelope.data !== null)
          return checkShape(site(call), envelope);
      } catch {}
    }
    let envelope: unknown;
    try {
      envelope = parseLossless(text);
    } catch {
      throw transportError(call, { http: { status, body: text } });
    }
    const { code, data } = (envelope ?? {}) as { code?: unknown; data?: unknown };
    // Success is code 0 with data (an object; a list for a few endpoints, e.g. video upload); anything
    // else claiming it is a malformed response.
    if (status === 200 && code === 0 && typeof data === 'object' && data !== null)
      return checkShape(site(call), envelope as Envelope);
    const diagnosis = classify({ envelope, http: { status, body: text } }, context(call));
    if (typeof diagnosis.code === 'number') throw new TikTokApiError(diagnosis, site(call), call.attempt);
    throw new TikTokTransportError(diagnosis, site(call), call.attempt);
  }

  return {
    send,
    origin: base.origin,
    close: () => pool.close(),
  };
}

/** A transport: sends one request of a call and returns the decoded envelope or throws a TikTokError. */
export type Transport = ReturnType<typeof createTransport>;

// Drops a body we will not read; a destroyed undici body reports an AbortError nobody needs to see.
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

/** The headers and body of one call: the token in `Access-Token`, JSON or multipart bodies. */
function requestOf(call: Call): { headers: Record<string, string>; body: string | FormData | undefined } {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.accessToken) headers['access-token'] = call.accessToken;
  if (call.body instanceof FormData) return { headers, body: call.body };
  if (!call.body) return { headers, body: undefined };
  headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(call.body) };
}

/** A response's body as text, refused (RESPONSE_TOO_LARGE) past `maxBody` bytes, declared or streamed. */
async function readBody(response: Dispatcher.ResponseData, maxBody: number): Promise<string> {
  const tooLarge = () => {
    discard(response.body);
    return Object.assign(new Error('response too large'), { code: 'RESPONSE_TOO_LARGE' });
  };
  if (Number(response.headers['content-length'] ?? 0) > maxBody) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > maxBody) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

// TikTok's conventions every endpoint keeps: a `list` is an array, `page_info` an object. A body that
// breaks them came from something else, and would otherwise fail later as a TypeError.
function checkShape(where: Parameters<typeof malformedData>[0], envelope: Envelope): Envelope {
  if (Array.isArray(envelope.data)) return envelope;
  const data = envelope.data as Record<string, unknown>;
  const broken =
    'list' in data && !Array.isArray(data.list)
      ? 'data.list is not a list'
      : 'page_info' in data && (typeof data.page_info !== 'object' || data.page_info === null)
        ? 'data.page_info is not an object'
        : null;
  if (broken) throw malformedData(where, broken, envelope.request_id);
  return envelope;
}

// A bare integer too long to be sure of as a JavaScript number (16+ digits: TikTok's ids have 19), as a
// whole JSON token; strings are matched first so digits inside them are left alone.
const BIG_INTEGER = /"(?:[^"\\]|\\.)*"|-?\d{16,}(?=\s*[,}\]])/g;
const HAS_BIG_INTEGER = /[:[,]\s*-?\d{16}/;

/**
 * JSON.parse, except that integers of 16 digits or more become strings: an id sent as a number (some
 * TikTok fields are) keeps every digit instead of being rounded to the nearest double.
 */
export function parseLossless(text: string): unknown {
  if (!HAS_BIG_INTEGER.test(text)) return JSON.parse(text);
  return JSON.parse(text.replace(BIG_INTEGER, (token) => (token.startsWith('"') ? token : `"${token}"`)));
}
