import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Campaign health (0007) and clients (0008): run after those of migrations.ts, in this order. */
export const AGENCY_MIGRATIONS: Record<string, Migration> = {
  '0007-campaign-health': {
    async up(db) {
      // Hourly spend per advertiser, as TikTok's reports give it (the spend-anomaly baseline), and
      // when each advertiser's reports were last read.
      await sql`
        create table spend_hours (
          advertiser_id text not null,
          hour timestamptz not null,
          spend double precision not null,
          primary key (advertiser_id, hour)
        )`.execute(db);
      await sql`
        create table spend_reads (
          advertiser_id text primary key,
          read_at timestamptz not null,
          history_from timestamptz not null
        )`.execute(db);
      // TikTok subscriptions (push) adwarden made, per connection and entity.
      await sql`
        create table tiktok_subscriptions (
          subscription_id text primary key,
          app_id text not null,
          connection_id text references connections (id) on delete cascade,
          entity text not null,
          advertiser_ids text not null default '[]',
          created_at timestamptz not null,
          checked_at timestamptz not null
        )`.execute(db);
      await sql`create index tiktok_subscriptions_connection on tiktok_subscriptions (connection_id)`.execute(
        db,
      );
      // Deliveries already taken in: TikTok delivers at least once and retries for 72 hours.
      await sql`
        create table tiktok_receipts (
          key text primary key,
          received_at timestamptz not null
        )`.execute(db);
      // TikTok's own incidents, from its status feed and API_SERVICE_STATUS pushes.
      await sql`
        create table platform_status (
          id text primary key,
          title text not null,
          level text not null,
          state text not null check (state in ('open', 'resolved')),
          link text,
          source text not null,
          started_at timestamptz not null,
          updated_at timestamptz not null,
          resolved_at timestamptz
        )`.execute(db);
    },
  },
  '0008-clients-and-invitations': {
    async up(db) {
      // An agency's clients: each connection may belong to one; an operator may be limited to some.
      await sql`
        create table clients (
          id text primary key,
          name text not null unique,
          notify_channel_ids text not null default '[]',
          created_at timestamptz not null
        )`.execute(db);
      await sql`alter table connections add column client_id text references clients (id) on delete set null`.execute(
        db,
      );
      await sql`create index connections_by_client on connections (client_id)`.execute(db);
      await sql`alter table oauth_states add column client_id text`.execute(db);
      await sql`alter table oauth_states add column invitation_id text`.execute(db);
      // Null: every client. A JSON array of client ids: only those.
      await sql`alter table users add column client_ids text`.execute(db);
      // Connect invitations: a signed link per client and app, usable without an adwarden account.
      await sql`
        create table invitations (
          id text primary key,
          token_hash text not null unique,
          client_id text not null references clients (id) on delete cascade,
          app_id text not null,
          invited_by text not null,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          revoked_at timestamptz,
          uses integer not null default 0,
          last_used_at timestamptz
        )`.execute(db);
    },
  },
};
