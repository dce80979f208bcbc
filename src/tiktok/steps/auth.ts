import { isAccessFailure } from '../../catalog/index.ts';
import { isSecret, type Secret } from '../../vault/index.ts';
import type { Call, Step } from '../call.ts';
import { TikTokError } from '../errors.ts';
import { callEvent, type Events } from '../events.ts';

/** Where access tokens come from: a fixed token by default, the service's vault later. */
export interface AccessTokenProvider {
  /** The token to use for a call about `advertiserId` (absent for calls about no advertiser). */
  getAccessToken(request: { advertiserId?: string }): string | Secret | Promise<string | Secret>;
}

/** A provider that always answers the same token. */
export function fixedAccessToken(token: string | Secret): AccessTokenProvider {
  return { getAccessToken: () => token };
}

/** A call that failed for an auth reason, as the service would replay it after re-authorization. */
export interface ParkedCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Call['query'];
  /** JSON bodies only; uploads are not parked. */
  body?: Record<string, unknown>;
  advertiserId?: string;
  replaySafe: boolean;
}

/**
 * Puts the token from the provider on the call. Auth-class failures emit `authFailure` and, when the
 * client has a `parkFailedCall` hook, hand the call over for replay after re-authorization.
 */
export function authStep(options: {
  provider: AccessTokenProvider;
  events: Events;
  parkFailedCall?: (parked: ParkedCall, error: TikTokError) => void;
}): Step {
  return async (call, next) => {
    if (call.auth === 'token' && !call.accessToken) {
      const token = await options.provider.getAccessToken({ advertiserId: call.advertiserId });
      call = { ...call, accessToken: isSecret(token) ? String(token.reveal()) : token };
    }
    try {
      return await next(call);
    } catch (error) {
      if (error instanceof TikTokError && isAccessFailure(error.diagnosis.kind)) {
        options.events.emit('authFailure', {
          ...callEvent(call),
          code: error.code,
          diagnosis: error.diagnosis,
          requestId: error.requestId,
        });
        if (options.parkFailedCall && !isForm(call.body)) {
          options.parkFailedCall(
            {
              method: call.method,
              path: call.path,
              query: call.query,
              body: call.body as Record<string, unknown> | undefined,
              advertiserId: call.advertiserId,
              replaySafe: call.replaySafe,
            },
            error,
          );
        }
      }
      throw error;
    }
  };
}

// Uploads (undici's or the global FormData) are not parked: their bytes are not kept for a replay.
function isForm(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && typeof (body as { append?: unknown }).append === 'function'
  );
}
