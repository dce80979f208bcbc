import { classify, type Diagnosis } from '../catalog/index.ts';

/** Where a failed call went, for errors and events. Never holds a token or secret. */
export interface CallSite {
  method: string;
  /** The API path, e.g. `/advertiser/info/`. */
  endpoint: string;
  advertiserId?: string;
  appId?: string;
}

/** A call that failed, with the catalog's diagnosis. Base of both error classes. */
export class TikTokError extends Error {
  readonly diagnosis: Diagnosis;
  readonly requestId?: string;
  readonly endpoint: string;
  readonly method: string;
  readonly advertiserId?: string;
  readonly appId?: string;
  /** How many requests were sent for this call (1 when it was not retried). */
  attempts: number;

  constructor(diagnosis: Diagnosis, site: CallSite, attempts: number) {
    const where = `${site.method} ${site.endpoint}`;
    const id = diagnosis.requestId ? `, request_id ${diagnosis.requestId}` : '';
    super(`${where}: ${diagnosis.code} ${diagnosis.title}${id}`);
    this.diagnosis = diagnosis;
    this.requestId = diagnosis.requestId;
    this.endpoint = site.endpoint;
    this.method = site.method;
    this.advertiserId = site.advertiserId;
    this.appId = site.appId;
    this.attempts = attempts;
  }

  /** The TikTok code, or adwarden's `ADW_…` code when TikTok sent none. */
  get code(): number | string {
    return this.diagnosis.code;
  }
}

/** TikTok answered with an envelope whose `code` is not 0. */
export class TikTokApiError extends TikTokError {
  override readonly name = 'TikTokApiError';
}

/** No usable envelope: a network error, a timeout, an HTTP error page, a body that is not JSON. */
export class TikTokTransportError extends TikTokError {
  override readonly name = 'TikTokTransportError';
}

/** True for both error classes. */
export function isTikTokError(value: unknown): value is TikTokError {
  return value instanceof TikTokError;
}

/**
 * A success envelope whose data lacks what the caller reads (`what` says which field): the same
 * ADW_ENVELOPE_MALFORMED diagnosis as any other unusable response, so it is retried and reported alike.
 */
export function malformedData(site: CallSite, what: string, requestId?: string): TikTokTransportError {
  const diagnosis = classify(
    { envelope: { code: 0, message: what, request_id: requestId }, http: { status: 200 } },
    { endpoint: site.endpoint, advertiserId: site.advertiserId },
  );
  return new TikTokTransportError(diagnosis, site, 1);
}

/**
 * `data[field]` as a list of objects (every list TikTok returns holds objects), or a malformedData
 * error naming the field.
 */
export function listIn<T>(data: unknown, field: string, site: CallSite): T[] {
  const list = (data as Record<string, unknown> | null | undefined)?.[field];
  if (!Array.isArray(list))
    throw malformedData(site, `data.${field} is ${list === undefined ? 'missing' : 'not a list'}`);
  if (list.some((item) => typeof item !== 'object' || item === null || Array.isArray(item)))
    throw malformedData(site, `data.${field} holds something other than objects`);
  return list as T[];
}

/** `data[field]` as a non-empty string (a token, an id), or a malformedData error naming the field. */
export function stringIn(data: unknown, field: string, site: CallSite): string {
  const value = (data as Record<string, unknown> | null | undefined)?.[field];
  if (typeof value === 'string' && value.length > 0) return value;
  throw malformedData(site, `data.${field} is ${value === undefined ? 'missing' : 'not a string'}`);
}
