/** Tables of campaign health (spend, push signals, TikTok's status) and of clients (migrations 0007, 0008). */
import type { ColumnType } from 'kysely';

type Timestamp = Date;

/** One hour of an advertiser's spend, as TikTok's hourly report gave it. */
export interface SpendHoursTable {
  advertiser_id: string;
  hour: Timestamp;
  spend: number;
}

/** When an advertiser's hourly reports were last read, and from when its history is held. */
export interface SpendReadsTable {
  advertiser_id: string;
  read_at: Timestamp;
  history_from: Timestamp;
}

/** A TikTok subscription (Subscription API) adwarden made for a connection. */
export interface TikTokSubscriptionsTable {
  subscription_id: string;
  app_id: string;
  /** Null for an app-wide subscription (API_SERVICE_STATUS). */
  connection_id: string | null;
  entity: string;
  /** JSON array of the advertisers it covers. */
  advertiser_ids: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  /** Last time `subscription/get` listed it. */
  checked_at: Timestamp;
}

/** A push delivery already taken in (deliveries are at-least-once). */
export interface TikTokReceiptsTable {
  key: string;
  received_at: Timestamp;
}

/** A TikTok platform incident (status feed or API_SERVICE_STATUS push). */
export interface PlatformStatusTable {
  id: string;
  title: string;
  /** `LOW_DISRUPTION` or `MAJOR_DISRUPTION`. */
  level: string;
  state: 'open' | 'resolved';
  link: string | null;
  /** `feed` or `push`. */
  source: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: Timestamp | null;
}

/** An agency's client: a name, the channels its alerts also go to. */
export interface ClientsTable {
  id: string;
  name: string;
  /** JSON array of channel ids its incidents are sent to (besides the severity routing). */
  notify_channel_ids: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

/** A connect invitation: a link a client's person opens, without an adwarden account, to connect. */
export interface InvitationsTable {
  id: string;
  token_hash: string;
  client_id: string;
  app_id: string;
  invited_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  uses: ColumnType<number, number | undefined, number>;
  last_used_at: Timestamp | null;
}
