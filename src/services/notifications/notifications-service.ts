import { z } from 'zod';
import { type ChannelRow, type OutboxRow, persist, type Stores, type UnitOfWork } from '../../db/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Logger } from '../../log/index.ts';
import {
  type ChannelConfig,
  ChannelConfigSchema,
  type ChannelSender,
  checkDestination,
  createSender,
  DestinationRefusedError,
  type DigestItem,
  type DigestPayload,
  deliveryRetryAt,
  headline,
  type IncidentPayload,
  type NotificationPayload,
  newWebhookSecret,
  PermanentDeliveryError,
} from '../../notify/index.ts';
import type { KeyRing } from '../../vault/index.ts';
import { holdLease } from '../hold-lease.ts';
import { ServiceError } from '../service-error.ts';

/** A delivery's claim (monitor time), renewed while it sends: a dead worker's claim lapses within it. */
const CLAIM_MS = 20_000;
/** No retry or claim lies further ahead than this (the longest backoff is an hour); later ones predate a jump back. */
const DUE_HORIZON_MS = 2 * 3_600_000;

/** The body of `POST /api/v1/channels` and `adwarden channels add`. */
export const NewChannelSchema = z.intersection(
  ChannelConfigSchema,
  z.object({
    name: z.string().min(1).max(100),
    min_severity: z.enum(['critical', 'high', 'medium', 'low']).default('low'),
    labels: z.record(z.string(), z.string()).default({}),
    max_per_hour: z.number().int().positive().nullable().default(null),
    /** Send what `max_per_hour` held back once a day, as one digest. */
    digest: z.boolean().default(false),
  }),
);

const context = (id: string) => ({ table: 'channels', rowId: id, purpose: 'channel_config' }) as const;
const linkContext = (id: string) => ({ table: 'outbox', rowId: id, purpose: 'reauth_link' }) as const;

/** Where a channel sends, without the secret parts (a Slack URL's path is a credential). */
function destination(config: ChannelConfig): string {
  if (config.kind === 'email')
    return `${config.to.join(', ') || '(owners only)'} via ${new URL(config.smtpUrl).host}`;
  return new URL(config.url).host;
}

/** What `notificationsService` uses. */
export interface NotificationsOptions {
  data: UnitOfWork<Pick<Stores, 'channels' | 'outbox'>>;
  keyRing: () => KeyRing;
  now: () => number;
  log: Logger;
  /** Outbound timeout per delivery. @default 10000 */
  timeoutMs?: number;
  /** The service's URL, for links in test messages. */
  publicUrl?: () => string;
  /** Webhook and Slack channels may send to private addresses. @default false */
  allowPrivateDestinations?: boolean;
}

/** What the workflows below share: the options and one sender per channel (its connections pooled). */
type NotificationsDeps = NotificationsOptions & {
  senders: Map<string, { version: number; sender: ChannelSender }>;
};

/** Notification channels and the delivery of queued notifications (the outbox). */
export function notificationsService(options: NotificationsOptions) {
  const deps: NotificationsDeps = { ...options, senders: new Map() };
  return {
    ...bindDeps(deps, {
      addChannel,
      listChannels,
      removeChannel,
      sealPlainLinks,
      deliver,
      test,
      digest,
      due,
      notifications,
      close,
    }),
  };
}

const configOf = (deps: NotificationsDeps, row: ChannelRow): ChannelConfig =>
  JSON.parse(deps.keyRing().open(row.config_sealed, context(row.id)).reveal()) as ChannelConfig;

/** A queued notification's payload with its re-auth link opened, just before it is sent. */
const withLink = (deps: NotificationsDeps, row: OutboxRow): NotificationPayload => {
  const payload = row.payload as unknown as NotificationPayload;
  if (!row.reauth_sealed) return payload;
  const link = JSON.parse(deps.keyRing().open(row.reauth_sealed, linkContext(row.id)).reveal());
  return { ...payload, reauth_link: link } as NotificationPayload;
};

/** One delivery attempt of a row this worker has claimed: sent and recorded, or a retry planned. */
async function deliverClaimed(
  deps: NotificationsDeps,
  row: OutboxRow,
): Promise<'delivered' | 'retry' | 'failed'> {
  const outbox = deps.data.stores.outbox;
  const id = row.id;
  const channel = await deps.data.stores.channels.get(row.channel_id);
  if (!channel?.enabled) {
    await outbox.failed(id, 'the channel was removed or disabled', null);
    return 'failed';
  }
  try {
    await senderFor(deps, channel).send({
      id: row.id,
      payload: withLink(deps, row),
      recipient: row.recipient,
    });
    // Sent: record it even if the database is restarting right now, or the claim lapses and the
    // notification goes out a second time.
    await persist(() => outbox.delivered(id, new Date(deps.now())));
    deps.log.info(
      { notification: id, channel: channel.name, event: row.event, incident: row.incident_id },
      'notification delivered',
    );
    return 'delivered';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentDeliveryError;
    const retryAt = deliveryRetryAt({ attempts: row.attempts, permanent }, deps.now());
    const final = retryAt === null;
    await persist(() => outbox.failed(id, message, retryAt === null ? null : new Date(retryAt)));
    deps.log.warn(
      { notification: id, channel: channel.name, attempt: row.attempts, final, error: message },
      'notification delivery failed',
    );
    return final ? 'failed' : 'retry';
  }
}

function senderFor(deps: NotificationsDeps, row: ChannelRow): ChannelSender {
  const cached = deps.senders.get(row.id);
  if (cached && cached.version === row.updated_at.getTime()) return cached.sender;
  cached?.sender.close();
  const sender = createSender(configOf(deps, row), {
    timeoutMs: deps.timeoutMs,
    allowPrivateDestinations: deps.allowPrivateDestinations,
  });
  deps.senders.set(row.id, { version: row.updated_at.getTime(), sender });
  return sender;
}

/** A channel as the API shows it: where it sends, never its secrets. */
const view = (deps: NotificationsDeps, row: ChannelRow) => {
  const config = configOf(deps, row);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    destination: destination(config),
    min_severity: row.min_severity,
    labels: row.labels,
    max_per_hour: row.max_per_hour,
    digest: row.digest,
    enabled: row.enabled,
  };
};

/** Adds (or replaces by name) a channel. A webhook's signing secret is returned once, on creation. */
async function addChannel(deps: NotificationsDeps, input: unknown) {
  const parsed = NewChannelSchema.safeParse(input);
  if (!parsed.success)
    throw new ServiceError(
      'ADW_INVALID_INPUT',
      `invalid channel: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
    );
  const { name, min_severity, labels, max_per_hour, digest, ...config } = parsed.data;
  if (config.kind !== 'email')
    try {
      await checkDestination(config.url, { allowPrivate: deps.allowPrivateDestinations ?? false });
    } catch (error) {
      if (!(error instanceof DestinationRefusedError)) throw error;
      throw new ServiceError('ADW_INVALID_INPUT', `invalid channel: url ${error.message}`);
    }
  const settings: ChannelConfig =
    config.kind === 'webhook' ? { ...config, secret: config.secret ?? newWebhookSecret() } : config;
  const { id, created } = await deps.data.stores.channels.upsert(
    {
      name,
      kind: config.kind,
      sealConfig: (rowId) => deps.keyRing().seal(JSON.stringify(settings), context(rowId)),
      minSeverity: min_severity,
      labels,
      maxPerHour: max_per_hour,
      digest,
    },
    new Date(deps.now()),
  );
  const row = (await deps.data.stores.channels.get(id))!;
  return {
    ...view(deps, row),
    created,
    ...(settings.kind === 'webhook' && config.kind === 'webhook' && !config.secret
      ? { signing_secret: settings.secret }
      : {}),
  };
}

async function listChannels(deps: NotificationsDeps) {
  return (await deps.data.stores.channels.list()).map((row) => view(deps, row));
}

async function removeChannel(deps: NotificationsDeps, id: string) {
  if (!(await deps.data.stores.channels.remove(id)))
    throw new ServiceError('ADW_NOT_FOUND', `no channel ${id}; list them with: adwarden channels list`);
  deps.senders.get(id)?.sender.close();
  deps.senders.delete(id);
  return { id, removed: true };
}

/**
 * Seals the re-auth links that rows queued before links were sealed still carry in their payload
 * (run at start). Returns how many rows it sealed.
 */
async function sealPlainLinks(deps: NotificationsDeps): Promise<number> {
  const outbox = deps.data.stores.outbox;
  let sealed = 0;
  for (let batch = await outbox.plainLinks(); batch.length > 0; batch = await outbox.plainLinks()) {
    for (const row of batch) {
      const { reauth_link: link, ...rest } = row.payload;
      await outbox.sealLink(
        row.id,
        { ...rest, reauth_link: null },
        deps.keyRing().seal(JSON.stringify(link), linkContext(row.id)),
      );
      sealed += 1;
    }
  }
  return sealed;
}

async function deliver(
  deps: NotificationsDeps,
  id: string,
): Promise<'delivered' | 'not_claimed' | 'retry' | 'failed'> {
  const outbox = deps.data.stores.outbox;
  const now = deps.now();
  const until = new Date(now + CLAIM_MS);
  const row = await outbox.claim(id, new Date(now), until);
  if (!row) return 'not_claimed';
  const claim = holdLease({
    until,
    leaseMs: CLAIM_MS,
    now: deps.now,
    renew: (held, next) => outbox.renewClaim(id, held, next),
  });
  try {
    return await deliverClaimed(deps, row);
  } finally {
    await claim.stop();
  }
}

/**
 * Sends a test message to a channel now (not through the outbox), so an operator sees it arrive.
 * @throws ServiceError ADW_NOT_FOUND; ADW_INVALID_INPUT with the channel's answer when it fails.
 */
async function test(deps: NotificationsDeps, id: string): Promise<{ id: string; sent: true }> {
  const channel = await deps.data.stores.channels.get(id);
  if (!channel) throw new ServiceError('ADW_NOT_FOUND', `no channel ${id}`);
  const at = new Date(deps.now()).toISOString();
  const payload: IncidentPayload = {
    type: 'incident.test',
    event: 'test',
    at,
    incident: {
      id: 'inc_test',
      problem: 'test',
      severity: 'low',
      state: 'resolved',
      subject: { type: 'channel', id: channel.id, label: channel.name },
      summary: `A test message from adwarden to the channel ${channel.name}. Nothing is wrong.`,
      reopen_count: 0,
      fix: [],
      actions: [],
      opened_at: at,
      resolved_at: at,
      url: `${deps.publicUrl?.() ?? ''}/settings`,
    },
    reauth_link: null,
  };
  try {
    await senderFor(deps, channel).send({ id: `test_${Date.now()}`, payload, recipient: null });
  } catch (error) {
    throw new ServiceError(
      'ADW_INVALID_INPUT',
      `the test message to ${channel.name} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { id, sent: true };
}

/**
 * The daily digest: for every channel with `digest` on, what its hourly cap held back becomes one
 * queued notification, in the same transaction that marks the held rows as sent in it. Returns the
 * ids queued (deliver them like any other).
 */
async function digest(deps: NotificationsDeps): Promise<string[]> {
  const queued: string[] = [];
  for (const channel of await deps.data.stores.channels.list()) {
    if (!channel.digest || !channel.enabled) continue;
    const now = new Date(deps.now());
    const ids = await deps.data.transaction(async (tx) => {
      const held = await tx.outbox.takeHeld(channel.id, now);
      if (held.length === 0) return [];
      const items: DigestItem[] = held.map((row) => {
        const payload = row.payload as unknown as IncidentPayload;
        return {
          incident_id: row.incident_id,
          event: row.event,
          headline: headline(payload),
          url: payload.incident?.url ?? null,
          at: row.created_at.toISOString(),
        };
      });
      const payload: DigestPayload = {
        type: 'digest.daily',
        event: 'digest',
        at: now.toISOString(),
        digest: { channel: channel.name, count: items.length, since: items[0]!.at, items },
      };
      return tx.outbox.add(
        [
          {
            // The first held row names the digest: a second run the same day makes a new one.
            idempotencyKey: `digest|${channel.id}|${held[0]!.id}`,
            channelId: channel.id,
            incidentId: null,
            event: 'digest',
            payload: payload as unknown as Record<string, unknown>,
          },
        ],
        now,
      );
    });
    queued.push(...ids);
  }
  if (queued.length) deps.log.info({ notifications: queued.length }, 'daily digests queued');
  return queued;
}

/** Notifications due for delivery (new, retried, or left claimed by a worker that died). */
async function due(deps: NotificationsDeps): Promise<string[]> {
  return (await deps.data.stores.outbox.due(new Date(deps.now()), DUE_HORIZON_MS)).map((r) => r.id);
}

async function notifications(deps: NotificationsDeps, filter: { incidentId?: string } = {}) {
  return deps.data.stores.outbox.list(filter);
}

function close(deps: NotificationsDeps) {
  for (const { sender } of deps.senders.values()) sender.close();
  deps.senders.clear();
}

export type NotificationsService = ReturnType<typeof notificationsService>;
