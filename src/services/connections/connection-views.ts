import type { Diagnosis } from '../../catalog/index.ts';
import type {
  AdvertiserRow,
  ConnectionRow,
  ConnectionSummary,
  EventRow,
  ParkedCallRow,
  TokenRow,
} from '../../db/index.ts';
import type { Verification } from '../../oauth/index.ts';
import type { AccountFacts } from './connection-reads.ts';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** A connection as `connections list` and the API show it. Tokens never appear, only their dates. */
export function connectionView(c: ConnectionSummary, maxTokenAgeMs: number | null) {
  const maxAgeAt =
    maxTokenAgeMs !== null && c.regime === 'advertiser' && c.token_issued_at
      ? new Date(c.token_issued_at.getTime() + maxTokenAgeMs)
      : null;
  const more = c.advertiser_count > 1 ? ` +${c.advertiser_count - 1}` : '';
  return {
    id: c.id,
    /** What people know it by: its first advertiser's name (and how many more), else its id. */
    name: c.first_advertiser
      ? `${c.first_advertiser}${more}`
      : c.regime === 'tt_user'
        ? 'TikTok account'
        : c.id,
    client_id: c.client_id,
    status: c.status,
    status_reason: c.status_reason,
    app_id: c.app_id,
    regime: c.regime,
    advertisers: c.advertiser_count,
    owner_contact: c.owner_contact,
    scopes: c.scopes,
    expiries: {
      access_token: iso(c.access_expires_at),
      refresh_token: iso(c.refresh_expires_at),
      max_age: iso(maxAgeAt),
    },
    token_issued_at: iso(c.token_issued_at),
    last_check_at: iso(c.last_check_at),
    last_ok_at: iso(c.last_ok_at),
    created_at: iso(c.created_at),
  };
}

export type ConnectionView = ReturnType<typeof connectionView>;

export const advertiserView = (a: AdvertiserRow) => ({
  advertiser_id: a.advertiser_id,
  name: a.name,
  status: a.status,
  currency: a.currency,
  timezone: a.timezone,
  bc_id: a.bc_id,
  granted: a.granted,
  removed_at: iso(a.removed_at),
});

export const tokenView = (t: TokenRow) => ({
  id: t.id,
  status: t.status,
  issued_at: iso(t.issued_at),
  access_expires_at: iso(t.access_expires_at),
  refresh_expires_at: iso(t.refresh_expires_at),
  ended_at: iso(t.ended_at),
  end_reason: t.end_reason,
});

export const eventView = (e: EventRow) => ({ at: iso(e.at), type: e.type, ...e.detail });

export const parkedView = (p: ParkedCallRow) => ({
  id: p.id,
  method: p.method,
  path: p.path,
  advertiser_id: p.advertiser_id,
  replay_safe: p.replay_safe,
  error_code: p.error_code,
  status: p.status,
  parked_at: iso(p.parked_at),
  finished_at: iso(p.finished_at),
  result: p.result,
});

/** A diagnosis as the API shows it. */
export function diagnosisView(d: Diagnosis) {
  return {
    kind: d.kind,
    code: d.code,
    title: d.title,
    fix: d.fix,
    action: d.action,
    request_id: d.requestId ?? null,
    endpoint: d.details.endpoint ?? d.endpoint ?? null,
    method: d.details.method ?? null,
    permission_group: d.details.permissionGroup ?? null,
    window: d.details.window ?? null,
    message: d.message ?? null,
    reason: d.details.reason ?? null,
  };
}

/** A check of a connection that is not checked any more (its token is dead). */
export function deadCheckView(connection: ConnectionRow) {
  const { id, status } = connection;
  const next =
    status === 'revoked'
      ? 'connect the advertiser again'
      : `send the owner a re-auth link (adwarden connections reauth-link ${id})`;
  return {
    connection_id: id,
    status,
    live: false as const,
    summary: `${(connection.status_reason ?? 'The token was revoked').replace(/\.$/, '')}. The stored token is not used again; ${next}.`,
    diagnosis: null,
    verification: null,
  };
}

/** A granted advertiser as people read it: "Northwind Outdoor (7001)", or its id when it has no name. */
export function advertiserLabel(verification: Pick<Verification, 'granted'>, advertiserId: string) {
  const name = verification.granted?.find((g) => g.advertiserId === advertiserId)?.name;
  return name && name !== advertiserId ? `${name} (${advertiserId})` : advertiserId;
}

/** What one check found, as `connections check` and the monitor read it. */
export function checkView(
  connection: ConnectionRow,
  verification: Verification,
  facts: AccountFacts,
  at: Date,
) {
  const d = verification.diagnosis;
  const nameOf = (advertiserId: string) =>
    verification.granted?.find((g) => g.advertiserId === advertiserId)?.name ?? advertiserId;
  return {
    connection_id: connection.id,
    status: connection.status,
    live: true as const,
    summary: verification.summary,
    verification: {
      status: verification.status,
      needs_reauth: verification.needsReauth,
      token_environment: verification.tokenEnvironment ?? null,
      removed_advertisers: verification.removed,
    },
    diagnosis: d ? diagnosisView(d) : null,
    api_calls: verification.apiCalls + facts.calls,
    checked_at: at.toISOString(),
    app_id: connection.app_id,
    regime: connection.regime,
    granted: (verification.granted ?? []).map((g) => ({ advertiser_id: g.advertiserId, name: g.name })),
    account_status: {
      checked: facts.checked,
      blocked: facts.blocked,
      refused: facts.refused.map((r) => ({
        advertiser_id: r.advertiserId,
        name: nameOf(r.advertiserId),
        error: diagnosisView(r.diagnosis),
      })),
      read: facts.read,
      error: facts.error ? diagnosisView(facts.error) : null,
    },
  };
}
