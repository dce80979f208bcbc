/**
 * Named groups of failure kinds: every decision that treats several kinds alike asks one of these,
 * so a kind is never put in the wrong group by a local list (campaign watch once took a permission
 * refusal for a dead token and stopped watching the connection).
 */

/** The token itself may be dead (revoked, expired): only a probe with the same token can tell. */
export function isTokenFailure(kind: string): boolean {
  return kind === 'auth_invalid' || kind === 'auth_expired';
}

/** TikTok refused the credentials of the call: the token, or the app's own id and secret. Verify by a probe. */
export function isAuthFailure(kind: string): boolean {
  return isTokenFailure(kind) || kind === 'app_credentials';
}

/** The token works but lacks a scope or a Business Center role for this endpoint and advertiser. */
export function isPermissionFailure(kind: string): boolean {
  return kind === 'permission_denied';
}

/** Only a person can restore access (authorize again, grant the permission, fix the app's secret). */
export function isAccessFailure(kind: string): boolean {
  return isAuthFailure(kind) || isPermissionFailure(kind);
}

/** TikTok (or the road to it) failed for a while: 5xx, timeouts, resets, gateway pages. */
export function isTransient(kind: string): boolean {
  return kind === 'transient';
}

/**
 * What a check cannot blame on the connection: transient trouble, and answers nobody can read. Counts
 * toward outage correlation and the "unreachable" rule.
 */
export function isInconclusiveFailure(kind: string): boolean {
  return isTransient(kind) || kind === 'unknown';
}

/** TikTok asked us to slow down (40100, 40133, QPD), or our pacing held the call for the app's budget. */
export function isRateLimited(kind: string): boolean {
  return kind === 'rate_limited';
}
