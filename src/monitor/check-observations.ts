import {
  type DiagnosisKind,
  isInconclusiveFailure,
  isPermissionFailure,
  isRateLimited,
} from '../catalog/index.ts';
import type { Observation, Subject } from '../incidents/index.ts';
import { advertiserSubject, permissionRefused, permissionRestored } from './permission-observation.ts';
import { ACCOUNT_STATUS_FIX } from './push-signals.ts';

/** A diagnosis as a check reports it (its kind from the closed vocabulary). */
export interface CheckDiagnosis {
  kind: DiagnosisKind;
  code: number | string;
  title: string;
  fix: string[];
  request_id: string | null;
  endpoint: string | null;
  method: string | null;
  permission_group: string | null;
  window: string | null;
  message: string | null;
  /** A finer reading of the code from TikTok's message (`app_scope_missing`, `scope_not_granted`…). */
  reason?: string | null;
}

/** What one liveness check found (the `connections check` result, narrowed to what decisions read). */
export interface CheckFindings {
  connectionId: string;
  appId: string;
  /** A person-readable name: "Northwind Outdoor +5". */
  label: string;
  live: boolean;
  status: string | null;
  needsReauth: boolean;
  summary: string;
  tokenEnvironment: string | null;
  removed: Array<{ advertiserId: string; name: string }>;
  granted: Array<{ advertiser_id: string; name: string }>;
  diagnosis: CheckDiagnosis | null;
  accountStatus: {
    checked: boolean;
    blocked: Array<{ advertiser_id: string; name: string; status: string }>;
    /** Advertisers whose account information TikTok refused on their own. */
    refused: Array<{ advertiser_id: string; name: string; error: CheckDiagnosis }>;
    /** Advertisers whose account information was read. */
    read: string[];
    error: CheckDiagnosis | null;
  };
}

/** How the check ended for the sweep's schedule and for outage correlation. */
export type CheckOutcomeKind = 'ok' | 'transient' | 'rate_limited' | 'dead';

/** Observations a check yields, and how it ended. */
export interface CheckReading {
  outcome: CheckOutcomeKind;
  observations: Observation[];
  /** Advertisers whose account status was read (their account_status incidents can recover). */
  accountsRead: string[];
}

const ACCOUNT_INFO = '/advertiser/info/';

/** What the readers below share: the check, its subjects, and where observations go. */
interface Reader {
  f: CheckFindings;
  at: number;
  connection: Subject;
  app: Subject;
  see(o: Omit<Observation, 'at' | 'source'>): void;
  facts(d: CheckDiagnosis | null): Record<string, unknown>;
}

/**
 * Turns a check into observations, one per problem it proves or clears. Pure: the monitor applies
 * them. An inconclusive check proves nothing about the token, so it opens nothing (transient failures
 * feed outage correlation instead; per-second and per-minute rate limits are paced, not alerted).
 */
export function readCheck(f: CheckFindings, at: number): CheckReading {
  const observations: Observation[] = [];
  const r: Reader = {
    f,
    at,
    connection: {
      type: 'connection',
      id: f.connectionId,
      label: f.label,
      connectionId: f.connectionId,
      appId: f.appId,
    },
    app: { type: 'app', id: f.appId, label: `app ${f.appId}`, appId: f.appId },
    see: (o) => observations.push({ ...o, at, source: 'sweep' }),
    facts: (d) =>
      d
        ? { code: d.code, kind: d.kind, request_id: d.request_id, verification: f.status }
        : { verification: f.status },
  };
  const ended = (outcome: CheckOutcomeKind, accountsRead: string[] = []) => ({
    outcome,
    observations,
    accountsRead,
  });
  if (!f.live) return ended('dead');
  if (f.status === 'inconclusive') return ended(readInconclusive(r));
  if (f.status === 'wrong_environment') return ended(readWrongEnvironment(r));
  if (f.needsReauth) return ended(readNeedsReauth(r));
  if (f.status === 'app_secret_rotated') return ended(readSecretRotated(r));
  readWorkingToken(r);
  readAccountStatus(r);
  const error = f.accountStatus.error;
  return ended(error && isInconclusiveFailure(error.kind) ? 'transient' : 'ok', f.accountStatus.read);
}

/** Nothing proven about the token; a spent daily quota is the app's problem, said once. */
function readInconclusive({ f, app, see, facts }: Reader): CheckOutcomeKind {
  const kind = f.diagnosis?.kind ?? 'unknown';
  if (kind === 'rate_limited' && f.diagnosis?.window === 'day')
    see({
      problem: 'rate_limit',
      subject: app,
      failing: true,
      summary: `The app's daily request quota is spent (${f.diagnosis.code}); calls are parked until 00:00 UTC.`,
      fix: ["Ask TikTok for a higher rate tier, or spread the app's work over more of the day."],
      facts: facts(f.diagnosis),
    });
  return isRateLimited(kind) ? 'rate_limited' : isInconclusiveFailure(kind) ? 'transient' : 'ok';
}

/**
 * The token belongs to the other environment. It is not dead: the connection stays in the sweep, so
 * the check after the app is registered in the right environment finds it healthy.
 */
function readWrongEnvironment({ f, connection, see, facts }: Reader): CheckOutcomeKind {
  see({
    problem: 'environment',
    subject: connection,
    failing: true,
    summary: f.summary,
    fix: [
      `The token belongs to TikTok's ${f.tokenEnvironment ?? 'other'} environment. Register the app with that environment (adwarden apps add --environment ${f.tokenEnvironment ?? 'sandbox'}), or connect the advertiser again through an app of the right environment.`,
    ],
    facts: { ...facts(f.diagnosis), token_environment: f.tokenEnvironment },
  });
  return 'ok';
}

function readNeedsReauth({ f, connection, see, facts }: Reader): CheckOutcomeKind {
  see({
    problem: 'auth',
    subject: connection,
    failing: true,
    summary: f.summary,
    fix: [
      'The owner opens the re-auth link adwarden sent and authorizes the app again; the same connection is repaired and the failed calls re-run.',
      ...(f.diagnosis?.fix ?? []),
    ],
    facts: facts(f.diagnosis),
  });
  return 'dead';
}

function readSecretRotated({ f, app, see, facts }: Reader): CheckOutcomeKind {
  see({
    problem: 'app_credentials',
    subject: app,
    failing: true,
    summary: f.summary,
    fix: [
      "Copy the new secret from TikTok's developer portal (My Apps > the app > App secret).",
      `Give it to adwarden: adwarden apps add --id ${f.appId} --secret - (reads it from standard input). Every connection of the app recovers at its next check.`,
    ],
    facts: facts(f.diagnosis),
  });
  return 'ok';
}

/** The token works (valid, or valid with advertisers removed): what that clears, and who left. */
function readWorkingToken({ f, connection, app, see }: Reader): void {
  for (const problem of ['auth', 'environment'] as const)
    see({ problem, subject: connection, failing: false, summary: 'The token works again.' });
  // Only a probe that used the app secret (an advertiser token's /oauth2/advertiser/get/) proves it works.
  if (f.granted.length > 0)
    see({
      problem: 'app_credentials',
      subject: app,
      failing: false,
      summary: "The app's credentials are accepted again.",
    });
  see({
    problem: 'unreachable',
    subject: connection,
    failing: false,
    summary: 'The connection answers again.',
  });
  for (const removed of f.removed)
    see({
      problem: 'advertiser_removed',
      subject: advertiserOf(f, removed.advertiserId, removed.name),
      failing: true,
      summary: `${removed.name} (${removed.advertiserId}) is no longer in the authorization of ${f.label}: its owner or a Business Center admin removed it from the app's access, or the ad account was deleted.`,
      fix: [
        'If it was a mistake, the advertiser owner (or the Business Center admin) grants the app access to this ad account again through the re-auth link.',
        'If the account left on purpose, nothing to do: adwarden stopped watching it.',
      ],
      facts: { advertiser_id: removed.advertiserId, connection_id: f.connectionId },
    });
}

/** `/advertiser/info/`: who refused it, who was read again, which accounts cannot deliver. */
function readAccountStatus({ f, at, connection, see }: Reader): void {
  const { accountStatus } = f;
  const where = { connectionId: f.connectionId, appId: f.appId };
  for (const refused of accountStatus.refused)
    if (isPermissionFailure(refused.error.kind))
      see(
        permissionRefused(
          advertiserSubject({ id: refused.advertiser_id, name: refused.name }, where),
          {
            method: refused.error.method ?? 'GET',
            endpoint: refused.error.endpoint ?? ACCOUNT_INFO,
            message: refused.error.message ?? refused.error.title,
            code: refused.error.code,
            permissionGroup: refused.error.permission_group,
            requestId: refused.error.request_id,
            appScope: refused.error.reason === 'app_scope_missing',
          },
          at,
          'sweep',
        ),
      );
  const nameOf = new Map(f.granted.map((g) => [g.advertiser_id, g.name]));
  for (const id of accountStatus.read)
    see(
      permissionRestored(
        advertiserSubject({ id, name: nameOf.get(id) ?? id }, where),
        { method: 'GET', endpoint: ACCOUNT_INFO },
        at,
        'sweep',
      ),
    );
  // Incidents opened before refusals were told apart by advertiser named the connection.
  if (accountStatus.checked && accountStatus.refused.length === 0)
    see({
      problem: 'permission',
      subject: connection,
      detail: `GET ${ACCOUNT_INFO}`,
      failing: false,
      summary: `GET ${ACCOUNT_INFO} works again.`,
    });
  for (const blocked of accountStatus.blocked)
    see({
      problem: 'account_status',
      subject: advertiserOf(f, blocked.advertiser_id, blocked.name),
      failing: true,
      severity: blocked.status === 'STATUS_DISABLE' ? 'critical' : 'high',
      summary: `The ad account ${blocked.name} (${blocked.advertiser_id}) cannot deliver: ${blocked.status}.`,
      fix: ACCOUNT_STATUS_FIX,
      facts: { status: blocked.status },
    });
}

function advertiserOf(f: CheckFindings, advertiserId: string, name: string): Subject {
  return {
    type: 'advertiser',
    id: advertiserId,
    label: `${name} (${advertiserId})`,
    connectionId: f.connectionId,
    appId: f.appId,
    advertiserId,
  };
}
