export { CODE_EXCHANGE_ATTEMPTS, codeExchangeDelayMs, mayRetryCodeExchange } from './exchange-retry.ts';
export { hashNonce, newNonce, REAUTH_LINK_TTL_MS, STATE_TTL_MS } from './state-token.ts';
export { authorizeUrl, counterpartBaseUrl, effectiveBaseUrl } from './urls.ts';
export { type TokenProbe, type Verification, type VerificationStatus, verifyToken } from './verify-token.ts';
