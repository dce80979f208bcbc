import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = Date;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb: written as JSON text (pg would turn a JS array into a Postgres array), read back parsed. */
type Json<T> = ColumnType<T, string, string>;

/** A registered TikTok developer app. */
export interface TikTokAppsTable {
  app_id: string;
  name: string;
  environment: 'production' | 'sandbox';
  secret_sealed: string;
  base_url: string | null;
  /** Null: the service's public URL + `/oauth/tiktok/callback`, whatever it is at the time. */
  redirect_uri: string | null;
  rate_tier: 'basic' | 'advanced' | 'premium' | 'ultimate';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type ConnectionStatus = 'pending' | 'healthy' | 'degraded' | 'needs_reauth' | 'revoked';
export type Regime = 'advertiser' | 'tt_user';

/** One authorization: a token (and its history) plus the advertisers it reaches. */
export interface ConnectionsTable {
  id: string;
  app_id: string;
  regime: Regime;
  status: ConnectionStatus;
  status_reason: string | null;
  scopes: Json<Array<number | string>>;
  owner_contact: string | null;
  labels: Json<Record<string, string>>;
  open_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  last_check_at: Timestamp | null;
  last_ok_at: Timestamp | null;
  /** A short lease taken by whoever refreshes a tt_user token, so two processes never refresh at once. */
  refresh_lease_until: Timestamp | null;
}

export type TokenStatus = 'active' | 'revoked' | 'superseded';

/** Tokens of a connection: one active; revoked and superseded ones kept for audit, never used again. */
export interface ConnectionTokensTable {
  id: string;
  connection_id: string;
  access_sealed: string;
  refresh_sealed: string | null;
  access_expires_at: Timestamp | null;
  refresh_expires_at: Timestamp | null;
  issued_at: Timestamp;
  status: TokenStatus;
  ended_at: Timestamp | null;
  end_reason: string | null;
}

export interface AdvertisersTable {
  connection_id: string;
  advertiser_id: string;
  name: string;
  status: string | null;
  currency: string | null;
  timezone: string | null;
  bc_id: string | null;
  /** False once the advertiser dropped out of the token's authorization. */
  granted: boolean;
  removed_at: Timestamp | null;
  updated_at: Timestamp;
}

/** Probe history (retention-bounded by the monitor). */
export interface ChecksTable {
  id: Generated<number>;
  connection_id: string;
  at: Timestamp;
  outcome: string;
  code: number | null;
  kind: string | null;
  detail: Json<Record<string, unknown>>;
  api_calls: number;
}

/** Everything that happened to a connection, newest last. */
export interface ConnectionEventsTable {
  id: Generated<number>;
  connection_id: string;
  at: Timestamp;
  type: string;
  detail: Json<Record<string, unknown>>;
}

export interface OAuthStatesTable {
  nonce_hash: string;
  app_id: string;
  purpose: 'connect' | 'reauth';
  regime: Regime;
  connection_id: string | null;
  /** Who to tell when the connection breaks (given when the connect link was opened). */
  owner_contact: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** Durable links sent to the person who can repair a connection; each click starts a fresh OAuth state. */
export interface ReauthLinksTable {
  token_hash: string;
  connection_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export type ParkedStatus = 'pending' | 'replayed' | 'failed' | 'skipped';

export interface ParkedCallsTable {
  id: string;
  connection_id: string;
  advertiser_id: string | null;
  method: 'GET' | 'POST';
  path: string;
  query: Json<Record<string, unknown> | null>;
  body: Json<Record<string, unknown> | null>;
  replay_safe: boolean;
  error_code: number | null;
  parked_at: Timestamp;
  status: ParkedStatus;
  finished_at: Timestamp | null;
  result: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  scopes: Json<string[]>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** adwarden's database, as Kysely sees it. */
export interface Database {
  tiktok_apps: TikTokAppsTable;
  connections: ConnectionsTable;
  connection_tokens: ConnectionTokensTable;
  advertisers: AdvertisersTable;
  checks: ChecksTable;
  connection_events: ConnectionEventsTable;
  oauth_states: OAuthStatesTable;
  reauth_links: ReauthLinksTable;
  parked_calls: ParkedCallsTable;
  api_keys: ApiKeysTable;
}

export type AppRow = Selectable<TikTokAppsTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type TokenRow = Selectable<ConnectionTokensTable>;
export type AdvertiserRow = Selectable<AdvertisersTable>;
export type EventRow = Selectable<ConnectionEventsTable>;
export type CheckRow = Selectable<ChecksTable>;
export type ParkedCallRow = Selectable<ParkedCallsTable>;
export type NewParkedCall = Insertable<ParkedCallsTable>;
