import { requestId } from './ids.ts';

/** TikTok's response envelope: HTTP 200, `{ code, message, request_id, data }`. */
export interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: unknown;
}

/** A success envelope. */
export function ok(data: unknown, now: number): Envelope {
  return { code: 0, message: 'OK', request_id: requestId(now), data };
}

/** An error envelope (still HTTP 200, as TikTok sends it). */
export function fail(code: number, message: string, now: number): Envelope {
  return { code, message, request_id: requestId(now), data: {} };
}

/** Thrown by route handlers to answer with a TikTok error envelope. */
export class ApiFailure extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}
