export { hashNonce, newNonce, REAUTH_LINK_TTL_MS, STATE_TTL_MS } from './state-token.ts';
export { authorizeUrl, counterpartBaseUrl, effectiveBaseUrl } from './urls.ts';
export { type TokenProbe, type Verification, type VerificationStatus, verifyToken } from './verify-token.ts';
