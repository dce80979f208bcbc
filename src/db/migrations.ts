import { type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import { AGENCY_MIGRATIONS } from './migrations-agency.ts';

// Migrations are code, in order, never edited once released: add a new one instead.
const MIGRATIONS: Record<string, Migration> = {
  '0001-connections-and-vault': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table tiktok_apps (
          app_id text primary key,
          name text not null,
          environment text not null check (environment in ('production', 'sandbox')),
          secret_sealed text not null,
          base_url text,
          redirect_uri text,
          rate_tier text not null check (rate_tier in ('basic', 'advanced', 'premium', 'ultimate')),
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now()
        )`.execute(db);
      await sql`
        create table connections (
          id text primary key,
          app_id text not null references tiktok_apps (app_id),
          regime text not null check (regime in ('advertiser', 'tt_user')),
          status text not null check (status in ('pending', 'healthy', 'degraded', 'needs_reauth', 'revoked')),
          status_reason text,
          scopes jsonb not null default '[]',
          owner_contact text,
          labels jsonb not null default '{}',
          open_id text,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          last_check_at timestamptz,
          last_ok_at timestamptz,
          refresh_lease_until timestamptz
        )`.execute(db);
      await sql`
        create table connection_tokens (
          id text primary key,
          connection_id text not null references connections (id) on delete cascade,
          access_sealed text not null,
          refresh_sealed text,
          access_expires_at timestamptz,
          refresh_expires_at timestamptz,
          issued_at timestamptz not null,
          status text not null check (status in ('active', 'revoked', 'superseded')),
          ended_at timestamptz,
          end_reason text
        )`.execute(db);
      await sql`create unique index connection_tokens_one_active on connection_tokens (connection_id) where status = 'active'`.execute(
        db,
      );
      await sql`
        create table advertisers (
          connection_id text not null references connections (id) on delete cascade,
          advertiser_id text not null,
          name text not null,
          status text,
          currency text,
          timezone text,
          bc_id text,
          granted boolean not null default true,
          removed_at timestamptz,
          updated_at timestamptz not null default now(),
          primary key (connection_id, advertiser_id)
        )`.execute(db);
      await sql`create index advertisers_by_id on advertisers (advertiser_id)`.execute(db);
      await sql`
        create table checks (
          id integer generated always as identity primary key,
          connection_id text not null references connections (id) on delete cascade,
          at timestamptz not null,
          outcome text not null,
          code integer,
          kind text,
          detail jsonb not null default '{}',
          api_calls integer not null default 0
        )`.execute(db);
      await sql`create index checks_by_connection on checks (connection_id, at desc)`.execute(db);
      await sql`
        create table connection_events (
          id integer generated always as identity primary key,
          connection_id text not null references connections (id) on delete cascade,
          at timestamptz not null,
          type text not null,
          detail jsonb not null default '{}'
        )`.execute(db);
      await sql`create index connection_events_by_connection on connection_events (connection_id, id)`.execute(
        db,
      );
      await sql`
        create table oauth_states (
          nonce_hash text primary key,
          app_id text not null references tiktok_apps (app_id),
          purpose text not null check (purpose in ('connect', 'reauth')),
          regime text not null check (regime in ('advertiser', 'tt_user')),
          connection_id text references connections (id) on delete cascade,
          owner_contact text,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          used_at timestamptz
        )`.execute(db);
      await sql`
        create table reauth_links (
          token_hash text primary key,
          connection_id text not null references connections (id) on delete cascade,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          used_at timestamptz
        )`.execute(db);
      await sql`
        create table parked_calls (
          id text primary key,
          connection_id text not null references connections (id) on delete cascade,
          advertiser_id text,
          method text not null check (method in ('GET', 'POST')),
          path text not null,
          query jsonb,
          body jsonb,
          replay_safe boolean not null,
          error_code integer,
          parked_at timestamptz not null,
          status text not null check (status in ('pending', 'replayed', 'failed', 'skipped')),
          finished_at timestamptz,
          result text
        )`.execute(db);
      await sql`create index parked_calls_pending on parked_calls (connection_id) where status = 'pending'`.execute(
        db,
      );
      await sql`
        create table api_keys (
          id text primary key,
          name text not null,
          key_hash text not null unique,
          scopes jsonb not null default '[]',
          created_at timestamptz not null default now(),
          last_used_at timestamptz,
          revoked_at timestamptz
        )`.execute(db);
    },
  },
  '0002-monitor-incidents-outbox': {
    async up(db: Kysely<unknown>) {
      await sql`
        alter table connections
          add column next_check_at timestamptz,
          add column check_failures integer not null default 0,
          add column next_watch_at timestamptz,
          add column probe_lease_until timestamptz`.execute(db);
      await sql`create index checks_recent on checks (at)`.execute(db);
      await sql`
        create table incidents (
          id text primary key,
          fingerprint text not null unique,
          problem text not null,
          subject jsonb not null,
          detail text,
          connection_id text,
          app_id text,
          advertiser_id text,
          severity text not null check (severity in ('critical', 'high', 'medium', 'low')),
          state text not null check (state in ('open', 'acknowledged', 'resolved', 'muted')),
          summary text not null,
          fix jsonb not null default '[]',
          facts jsonb not null default '{}',
          actions jsonb not null default '[]',
          opened_at timestamptz not null,
          updated_at timestamptz not null,
          resolved_at timestamptz,
          last_failing_at timestamptz not null,
          recovering_since timestamptz,
          occurrences integer not null,
          muted_until timestamptz,
          reopen_count integer not null default 0
        )`.execute(db);
      await sql`create index incidents_active on incidents (problem) where state <> 'resolved'`.execute(db);
      await sql`create index incidents_connection on incidents (connection_id)`.execute(db);
      await sql`
        create table incident_events (
          id bigserial primary key,
          incident_id text not null references incidents (id) on delete cascade,
          at timestamptz not null,
          kind text not null,
          text text not null,
          data jsonb not null default '{}'
        )`.execute(db);
      await sql`create index incident_events_incident on incident_events (incident_id, id)`.execute(db);
      await sql`
        create table channels (
          id text primary key,
          name text not null unique,
          kind text not null check (kind in ('slack', 'email', 'webhook')),
          config_sealed text not null,
          min_severity text not null default 'low',
          labels jsonb not null default '{}',
          max_per_hour integer,
          enabled boolean not null default true,
          created_at timestamptz not null,
          updated_at timestamptz not null
        )`.execute(db);
      await sql`
        create table outbox (
          id text primary key,
          idempotency_key text not null unique,
          channel_id text not null references channels (id) on delete cascade,
          incident_id text,
          event text not null,
          recipient text,
          payload jsonb not null,
          status text not null check (status in ('pending', 'delivered', 'failed', 'held')),
          attempts integer not null default 0,
          created_at timestamptz not null,
          next_attempt_at timestamptz not null,
          claimed_until timestamptz,
          delivered_at timestamptz,
          last_error text
        )`.execute(db);
      await sql`create index outbox_due on outbox (next_attempt_at) where status = 'pending'`.execute(db);
      await sql`create table schedule_marks (name text primary key, last_run_at timestamptz not null)`.execute(
        db,
      );
    },
  },
  '0003-videos-and-digests': {
    async up(db) {
      // Uploads a pipeline asked adwarden to watch until TikTok has transcoded them.
      await sql`
        create table videos (
          connection_id text not null references connections (id) on delete cascade,
          video_id text not null,
          advertiser_id text not null,
          state text not null check (state in ('processing', 'ready', 'stuck')),
          registered_at timestamptz not null,
          deadline_at timestamptz not null,
          next_poll_at timestamptz not null,
          polls integer not null default 0,
          settled_at timestamptz,
          label text,
          primary key (connection_id, video_id)
        )`.execute(db);
      await sql`create index videos_due on videos (next_poll_at) where state = 'processing'`.execute(db);
      // A channel may send what its hourly cap held back as one daily digest.
      await sql`alter table channels add column digest boolean not null default false`.execute(db);
    },
  },
  '0004-users-and-sessions': {
    async up(db) {
      // Dashboard users. A null password: the bootstrap admin who signs in by one-time link.
      await sql`
        create table users (
          id text primary key,
          email text not null unique,
          password_hash text,
          role text not null default 'admin' check (role in ('admin')),
          created_at timestamptz not null,
          last_login_at timestamptz
        )`.execute(db);
      await sql`
        create table sessions (
          id_hash text primary key,
          user_id text not null references users (id) on delete cascade,
          csrf_token text not null,
          created_at timestamptz not null,
          last_seen_at timestamptz not null,
          expires_at timestamptz not null
        )`.execute(db);
      await sql`
        create table login_links (
          token_hash text primary key,
          user_id text not null references users (id) on delete cascade,
          created_at timestamptz not null,
          expires_at timestamptz not null,
          used_at timestamptz
        )`.execute(db);
    },
  },
  '0005-sealed-outbox-links': {
    async up(db) {
      // A re-auth link is a credential for 14 days: the outbox keeps it sealed, opened only to send it.
      // Rows written before this keep theirs in the payload until the service seals them at start.
      await sql`alter table outbox add column reauth_sealed text`.execute(db);
    },
  },
  '0006-check-requests': {
    async up(db) {
      // A check asked for while another worker's probe runs: that probe cannot answer it (it may have
      // read TikTok before the change that prompted the request), so it leaves the connection due.
      await sql`alter table connections add column check_requested_at timestamptz`.execute(db);
    },
  },
  ...AGENCY_MIGRATIONS,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Names of every migration this version knows, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/** What `migrateToLatest` did. */
export interface MigrationReport {
  applied: string[];
  current: string | null;
}

/**
 * Brings the schema up to date. Safe to run from several processes at once (Kysely takes a lock).
 * @throws Error naming the migration that failed; nothing after it runs.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationReport> {
  // Name the schema: Kysely otherwise finds its lock table in any schema of the database (another
  // install's, in a shared database) and skips creating its own.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'adwarden_migrations',
    migrationTableSchema: rows[0]?.schema ?? 'public',
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, { cause: error });
  }
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const all = await migrator.getMigrations();
  const done = all.filter((m) => m.executedAt);
  return { applied, current: done.at(-1)?.name ?? null };
}
