import { type Diagnosis, isAuthFailure, isTokenFailure } from '../catalog/index.ts';
import { isTikTokError } from '../tiktok/errors.ts';

/** What a verification concluded about a token. */
export type VerificationStatus =
  | 'valid'
  | 'revoked'
  | 'expired'
  | 'wrong_environment'
  | 'app_secret_rotated'
  | 'advertiser_removed'
  | 'app_token_mismatch'
  | 'inconclusive';

/** The result of `verifyToken`: a conclusion a person can act on, with the evidence behind it. */
export interface Verification {
  status: VerificationStatus;
  /** True when only the owner authorizing again can repair the connection. */
  needsReauth: boolean;
  /** One sentence: what is wrong (or not) and what to do. */
  summary: string;
  /** The diagnosis of the probe that decided it (null when every probe answered). */
  diagnosis: Diagnosis | null;
  /** The environment the token was issued for, when it is not the app's. */
  tokenEnvironment?: 'production' | 'sandbox';
  /** Advertisers the token still reaches (production advertiser tokens only). */
  granted: Array<{ advertiserId: string; name: string }> | null;
  /** Stored advertisers that dropped out of the authorization. */
  removed: string[];
  apiCalls: number;
}

/** The calls a verification makes, all with the connection's own token. */
export interface TokenProbe {
  /** The app's environment. */
  environment: 'production' | 'sandbox';
  regime: 'advertiser' | 'tt_user';
  /** `/oauth2/advertiser/get/`: the advertisers the token reaches (production only). */
  listAdvertisers(): Promise<Array<{ advertiserId: string; name: string }>>;
  /** `/user/info/` with the same token, here or in the other environment. */
  whoAmI(where: 'same' | 'other'): Promise<unknown>;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; diagnosis: Diagnosis };

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (isTikTokError(error)) return { ok: false, diagnosis: error.diagnosis };
    throw error;
  }
}

const other = (environment: 'production' | 'sandbox') =>
  environment === 'production' ? 'sandbox' : 'production';

/**
 * Probes a token with itself and tells apart why it fails: revoked, expired, issued for the other
 * environment, app secret rotated, app/token mismatch, advertisers removed, or nothing wrong (then
 * `earlier`, the error that triggered the check, is explained as something else). Transient
 * failures are `inconclusive`: no single error condemns a token.
 */
export async function verifyToken(
  probe: TokenProbe,
  context: { storedAdvertiserIds: readonly string[]; earlier?: Diagnosis | null },
): Promise<Verification> {
  const canList = probe.environment === 'production' && probe.regime === 'advertiser';
  const first = canList
    ? await attempt(() => probe.listAdvertisers())
    : await attempt(async () => {
        await probe.whoAmI('same');
        return null;
      });
  const base = { diagnosis: null, granted: null, removed: [], apiCalls: 1 } satisfies Partial<Verification>;
  if (first.ok) return readGrant(first.value, context, base);
  const diagnosis = first.diagnosis;
  if (diagnosis.details.reason === 'app_token_mismatch')
    return {
      ...base,
      diagnosis,
      status: 'app_token_mismatch',
      needsReauth: true,
      summary:
        "The token belongs to a different app than the one it is stored under (TikTok: app_id is inconsistent with the token). Connect the advertiser again through this app's link.",
    };
  if (diagnosis.kind === 'app_credentials')
    return {
      ...base,
      diagnosis,
      status: 'app_secret_rotated',
      needsReauth: false,
      summary:
        "TikTok refused the app's own credentials (40101): the app secret was probably rotated in TikTok's developer portal. Update the secret in adwarden (adwarden apps add with the new --secret); the tokens themselves are not at fault.",
    };
  if (isTokenFailure(diagnosis.kind)) return readTokenRefusal(probe, { ...base, diagnosis, apiCalls: 2 });
  return {
    ...base,
    diagnosis,
    status: 'inconclusive',
    needsReauth: false,
    summary: `The check could not reach a conclusion: TikTok answered ${diagnosis.code} (${diagnosis.kind.replace(/_/g, ' ')}: ${diagnosis.title}). The token is not condemned; the check will run again.`,
  };
}

type Base = Pick<Verification, 'diagnosis' | 'granted' | 'removed' | 'apiCalls'>;

/** The token answered: valid, or valid with advertisers gone from its authorization. */
function readGrant(
  granted: Array<{ advertiserId: string; name: string }> | null,
  context: { storedAdvertiserIds: readonly string[]; earlier?: Diagnosis | null },
  base: Base,
): Verification {
  const removed = granted
    ? context.storedAdvertiserIds.filter((id) => !granted.some((g) => g.advertiserId === id))
    : [];
  if (granted && removed.length > 0) {
    const all = granted.length === 0;
    const one = removed.length === 1;
    return {
      ...base,
      status: 'advertiser_removed',
      needsReauth: all,
      granted,
      removed,
      summary: all
        ? `The token works but no longer reaches any advertiser: ${removed.join(', ')} ${one ? 'was' : 'were'} removed from the authorization. The owner must authorize the advertisers again.`
        : `The token works, but advertiser${one ? '' : 's'} ${removed.join(', ')} dropped out of the authorization (the advertiser or a Business Center admin removed the app's access). Authorize ${one ? 'it' : 'them'} again to monitor ${one ? 'it' : 'them'}.`,
    };
  }
  const earlier = context.earlier;
  return {
    ...base,
    status: 'valid',
    needsReauth: false,
    granted,
    summary: earlier
      ? `The token is valid: the earlier ${earlier.code} was not about the token but ${earlier.kind.replace(/_/g, ' ')} (${earlier.title}).`
      : 'The token is valid.',
  };
}

/**
 * The token was refused: asks the other environment before condemning it. Issued there, it is the
 * wrong environment (not dead); refused there too, it is revoked or expired; no answer there proves
 * nothing (evidence before destruction).
 */
async function readTokenRefusal(
  probe: TokenProbe,
  base: Base & { diagnosis: Diagnosis },
): Promise<Verification> {
  const { diagnosis } = base;
  const elsewhere = await attempt(() => probe.whoAmI('other'));
  if (!elsewhere.ok && !isAuthFailure(elsewhere.diagnosis.kind))
    return {
      ...base,
      status: 'inconclusive',
      needsReauth: false,
      summary: `The check could not reach a conclusion: the token was refused (${diagnosis.code}), and asking TikTok's ${other(probe.environment)} environment whether it was issued there failed (${elsewhere.diagnosis.code}: ${elsewhere.diagnosis.title}). The token is not condemned; the check will run again.`,
    };
  if (elsewhere.ok) {
    const tokenEnvironment = other(probe.environment);
    return {
      ...base,
      status: 'wrong_environment',
      // The token works where it was issued: not dead, and registering the app in that environment
      // repairs the connection without the owner (evidence before destruction).
      needsReauth: false,
      tokenEnvironment,
      summary: `The token was issued for TikTok's ${tokenEnvironment} environment but the app is registered for ${probe.environment}: it works against ${tokenEnvironment} and not against ${probe.environment}. Register the app with the right environment, or connect again through the ${probe.environment} app.`,
    };
  }
  const expired = diagnosis.kind === 'auth_expired';
  return {
    ...base,
    status: expired ? 'expired' : 'revoked',
    needsReauth: true,
    summary: expired
      ? `The access token has expired (${diagnosis.code}). The owner must authorize again.`
      : `The token was revoked or is no longer valid (${diagnosis.code}): the advertiser, a Business Center admin, or the app revoked the authorization. Send the owner a re-auth link.`,
  };
}
