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
  /** The agency's client it belongs to, if any. */
  client_id: Generated<string | null>;
  /** A short lease taken by whoever refreshes a tt_user token, so two processes never refresh at once. */
  refresh_lease_until: Timestamp | null;
  /** When the liveness sweep checks this connection next (interval with jitter, or backoff). */
  next_check_at: Generated<Timestamp | null>;
  /** Checks in a row that failed for a transient reason. */
  check_failures: Generated<number>;
  /** When campaign watch lists this connection's advertisers next. */
  next_watch_at: Generated<Timestamp | null>;
  /** Held by the worker probing the connection, so two never probe it at once; short, so a dead worker does not hold it. */
  probe_lease_until: Generated<Timestamp | null>;
  /** Set when a check is asked for while a probe runs; taking the probe lease clears it. */
  check_requested_at: Generated<Timestamp | null>;
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
  /** The client a new connection goes to (a connect invitation's, or the operator's choice). */
  client_id: string | null;
  /** The invitation the consent was started from. */
  invitation_id: string | null;
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

/** One incident per fingerprint (problem + subject + detail); reopened rather than duplicated. */
export interface IncidentsTable {
  id: string;
  fingerprint: string;
  problem: string;
  subject: Json<Record<string, unknown>>;
  detail: string | null;
  connection_id: string | null;
  app_id: string | null;
  advertiser_id: string | null;
  severity: 'critical' | 'high' | 'medium' | 'low';
  state: 'open' | 'acknowledged' | 'resolved' | 'muted';
  summary: string;
  fix: Json<string[]>;
  facts: Json<Record<string, unknown>>;
  /** What adwarden did by itself, oldest first. */
  actions: ColumnType<Array<{ at: string; type: string; text: string }>, string | undefined, string>;
  opened_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
  last_failing_at: Timestamp;
  recovering_since: Timestamp | null;
  occurrences: number;
  muted_until: Timestamp | null;
  reopen_count: number;
}

/** An incident's timeline. */
export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: string;
  at: Timestamp;
  kind: string;
  text: string;
  data: Json<Record<string, unknown>>;
}

export type ChannelKind = 'slack' | 'email' | 'webhook';

/** Where notifications go; the URL, SMTP settings and signing secret are sealed. */
export interface ChannelsTable {
  id: string;
  name: string;
  kind: ChannelKind;
  config_sealed: string;
  min_severity: 'critical' | 'high' | 'medium' | 'low';
  /** Route only incidents whose connection carries every one of these labels. */
  labels: Json<Record<string, string>>;
  max_per_hour: number | null;
  /** Send what the hourly cap held back once a day, as one digest. */
  digest: ColumnType<boolean, boolean | undefined, boolean>;
  enabled: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'held';

/** A notification to deliver, written in the same transaction as the incident change it reports. */
export interface OutboxTable {
  id: string;
  /** incident + event + sequence + channel (+ recipient): the same event is never queued twice. */
  idempotency_key: string;
  channel_id: string;
  incident_id: string | null;
  event: string;
  /** An extra recipient (the connection owner's email), beside the channel's own. */
  recipient: string | null;
  payload: Json<Record<string, unknown>>;
  /** The re-auth link sent with this event, sealed (`{ url, expires_at }` as JSON); the payload holds none. */
  reauth_sealed: string | null;
  status: OutboxStatus;
  attempts: Generated<number>;
  created_at: Timestamp;
  next_attempt_at: Timestamp;
  /** A delivery in progress holds the row until then, so two workers never send it twice. */
  claimed_until: Timestamp | null;
  delivered_at: Timestamp | null;
  last_error: string | null;
}

/** When each schedule last ran, on the monitor's clock (so an accelerated clock runs them sooner). */
export interface ScheduleMarksTable {
  name: string;
  last_run_at: Timestamp;
}

/** An upload a pipeline asked adwarden to watch until TikTok has transcoded it. */
export interface VideosTable {
  connection_id: string;
  video_id: string;
  advertiser_id: string;
  /** processing: not yet in /file/video/ad/info/; ready: listed and displayable; stuck: past its deadline. */
  state: 'processing' | 'ready' | 'stuck';
  registered_at: Timestamp;
  deadline_at: Timestamp;
  next_poll_at: Timestamp;
  polls: ColumnType<number, number | undefined, number>;
  settled_at: Timestamp | null;
  /** The pipeline's name for it (a file name), shown in incidents. */
  label: string | null;
}

/** A dashboard user (an operator). */
export interface UsersTable {
  id: string;
  email: string;
  /** argon2id; null for the bootstrap admin, who signs in by one-time link until a password is set. */
  password_hash: string | null;
  role: 'admin';
  created_at: Timestamp;
  last_login_at: Timestamp | null;
  /** JSON array of the clients the user may see; null: every client. */
  client_ids: Generated<string | null>;
}

/** A signed-in browser. Only the SHA-256 of the cookie's value is stored. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

/** A one-time sign-in link (printed at the first start of an embedded service). */
export interface LoginLinksTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

import type {
  ClientsTable,
  InvitationsTable,
  PlatformStatusTable,
  SpendHoursTable,
  SpendReadsTable,
  TikTokReceiptsTable,
  TikTokSubscriptionsTable,
} from './schema-agency.ts';

export type * from './schema-agency.ts';

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
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
  channels: ChannelsTable;
  outbox: OutboxTable;
  schedule_marks: ScheduleMarksTable;
  videos: VideosTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_links: LoginLinksTable;
  spend_hours: SpendHoursTable;
  spend_reads: SpendReadsTable;
  tiktok_subscriptions: TikTokSubscriptionsTable;
  tiktok_receipts: TikTokReceiptsTable;
  platform_status: PlatformStatusTable;
  clients: ClientsTable;
  invitations: InvitationsTable;
}

export type AppRow = Selectable<TikTokAppsTable>;
export type ConnectionRow = Selectable<ConnectionsTable>;
export type TokenRow = Selectable<ConnectionTokensTable>;
export type AdvertiserRow = Selectable<AdvertisersTable>;
export type EventRow = Selectable<ConnectionEventsTable>;
export type CheckRow = Selectable<ChecksTable>;
export type ParkedCallRow = Selectable<ParkedCallsTable>;
export type NewParkedCall = Insertable<ParkedCallsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type IncidentEventRow = Selectable<IncidentEventsTable>;
export type ChannelRow = Selectable<ChannelsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type VideoRow = Selectable<VideosTable>;
export type UserRow = Selectable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SubscriptionRow = Selectable<TikTokSubscriptionsTable>;
export type PlatformStatusRow = Selectable<PlatformStatusTable>;
export type ClientRow = Selectable<ClientsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
