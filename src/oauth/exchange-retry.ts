import type { Diagnosis } from '../catalog/index.ts';

/** Tries at a code exchange; the code lives an hour, but the person waits on the callback page. */
export const CODE_EXCHANGE_ATTEMPTS = 3;

/**
 * True when a failed `/oauth2/access_token/` call cannot have used the single-use authorization code,
 * so sending it again is safe: the connection never got through (refused, DNS), was reset under the
 * request, or a gateway answered with its own error page instead of TikTok's envelope. An answer in
 * TikTok's envelope (even 50002) means TikTok handled the request: the code may be spent, and a second
 * try would only replace the real error with "auth_code invalid".
 */
export function mayRetryCodeExchange(diagnosis: Diagnosis): boolean {
  switch (diagnosis.code) {
    case 'ADW_NETWORK_REFUSED':
    case 'ADW_DNS_FAILURE':
    case 'ADW_NETWORK_RESET':
    case 'ADW_HTTP_SERVER_ERROR':
      return true;
    default:
      return false;
  }
}

/** The wait before try `attempt + 1` (ms). */
export function codeExchangeDelayMs(attempt: number): number {
  return 500 * attempt;
}
