import {
  type IncidentFilter,
  type NewNotification,
  newId,
  type Stores,
  toIncident,
  type UnitOfWork,
} from '../../db/index.ts';
import {
  type Command,
  DEFAULT_INCIDENT_POLICY,
  describeAction,
  type Effect,
  evaluateIncident,
  fingerprintOf,
  type Incident,
  type IncidentInput,
  type IncidentPolicy,
  type NotifyEvent,
  type Observation,
  planRemediation,
  type RemediationAction,
} from '../../incidents/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Logger } from '../../log/index.ts';
import {
  type IncidentPayload,
  notificationKey,
  overHourlyCap,
  routeNotification,
} from '../../notify/index.ts';
import type { KeyRing } from '../../vault/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import { ServiceError } from '../service-error.ts';
import { incidentView } from './incident-views.ts';

/** Runs an action that needs TikTok or the token vault, after the incident change has committed. */
export type ActionExecutor = (action: RemediationAction, incident: Incident) => Promise<string>;

/** What applying one input did. */
export interface Applied {
  incident: Incident | null;
  effects: Effect[];
  /** Notifications queued in the outbox by this change. */
  queued: string[];
  /** True when an observation was held back (per-connection noise during a platform outage). */
  suppressed?: boolean;
}

class FingerprintTaken extends Error {}

/** What an observation writes in its transaction. */
type TransactionStores = Pick<Stores, 'channels' | 'connections' | 'incidents' | 'oauth' | 'outbox'>;

/** Problems whose fix is the owner authorizing again (their incidents carry a re-auth link). */
const REPAIRED_BY_REAUTH = ['auth', 'permission', 'expiry', 'advertiser_removed'] as const;

/** What `incidentsService` uses. */
export interface IncidentsDeps {
  data: UnitOfWork<TransactionStores>;
  connections: ConnectionsService;
  /** Seals the re-auth link each notification carries (the outbox keeps it sealed). */
  keyRing: () => KeyRing;
  publicUrl: () => string;
  now: () => number;
  log: Logger;
  policy?: IncidentPolicy;
  /** Called with the ids of notifications queued by a committed change (to start their delivery). */
  onQueued?: (ids: string[]) => void;
  execute?: ActionExecutor;
}

/**
 * The thin shell around the incident state machine: each observation or command is evaluated under a
 * row lock, and the incident, its timeline, the re-auth link it sends and its outbox rows are written
 * in one transaction. Actions that call TikTok run after the commit and are recorded as they finish.
 */
export function incidentsService(deps: IncidentsDeps) {
  return {
    ...bindDeps(deps, { observe, command, tick, active, note, list, count, show }),
  };
}

const policyOf = (deps: IncidentsDeps) => deps.policy ?? DEFAULT_INCIDENT_POLICY;

async function apply(deps: IncidentsDeps, fingerprint: string, input: IncidentInput): Promise<Applied> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await deps.data.transaction((tx) => applyIn(deps, tx, fingerprint, input));
      if (result.queued.length) deps.onQueued?.(result.queued);
      if (result.incident) await runAfterCommit(deps, result.incident, result.effects, result.after);
      return result;
    } catch (error) {
      // Two processes opened the same fingerprint at once; the loser re-reads and updates instead.
      if (!(error instanceof FingerprintTaken) || attempt >= 3) throw error;
    }
  }
}

async function applyIn(
  deps: IncidentsDeps,
  tx: TransactionStores,
  fingerprint: string,
  input: IncidentInput,
) {
  const store = tx.incidents;
  const now = deps.now();
  const observation = input.type === 'observation' ? input.observation : null;
  if (observation?.failing && observation.problem === 'unreachable') {
    const outage = await store.active('outage');
    if (outage.length > 0) return { incident: null, effects: [], queued: [], after: [], suppressed: true };
  }
  const row = await store.lockByFingerprint(fingerprint);
  const current = row ? toIncident(row) : null;
  const { next, effects } = evaluateIncident(current, input, newId('inc'), now, policyOf(deps));
  if (!next || (next === current && effects.length === 0))
    return { incident: next, effects, queued: [], after: [] };
  if (!current) {
    if (!(await store.insert(next))) throw new FingerprintTaken();
  } else await store.update(next);
  await store.addTimeline(
    next.id,
    effects.flatMap((e) => (e.type === 'timeline' ? [e.entry] : [])),
  );
  const after: RemediationAction[] = [];
  let link: IncidentPayload['reauth_link'] = null;
  const actions = (row?.actions ?? []).map((a) => a.text);
  const record = async (type: string, text: string) => {
    await store.addAction(next.id, { at: new Date(now), type, text });
    actions.push(text);
  };
  const connection = next.subject.connectionId
    ? await tx.connections.get(next.subject.connectionId)
    : undefined;
  const owner = connection?.owner_contact?.includes('@') ? connection.owner_contact : null;
  const notifies = effects.flatMap((e) => (e.type === 'notify' ? [e.event] : []));
  if (effects.some((e) => e.type === 'remediate')) {
    for (const action of planRemediation(next, 'opened')) {
      if (action.type === 'send_reauth_link' && connection && connection.status !== 'revoked') {
        const created = await deps.connections.reauthLink(action.connectionId, tx);
        link = { url: created.url, expires_at: created.expires_at };
        const to = owner ? `to ${owner} and ` : '';
        await record(action.type, describeAction(action, `${to}every channel: ${action.why}`));
      } else if (action.type === 'suppress_noise') {
        await record(action.type, describeAction(action, ''));
      } else after.push(action);
    }
  }
  if (notifies.includes('resolved')) after.push(...planRemediation(next, 'resolved'));
  const queued: string[] = [];
  if (notifies.length > 0) {
    const message = { incident: next, actions, link, owner, labels: connection?.labels ?? {} };
    const items = await outboxItems(deps, tx, message, notifies, now);
    queued.push(...(await tx.outbox.add(items, new Date(now))));
  }
  return { incident: next, effects, queued, after };
}

async function runAfterCommit(
  deps: IncidentsDeps,
  incident: Incident,
  effects: Effect[],
  after: RemediationAction[],
) {
  if (!deps.execute) return;
  for (const action of after) {
    try {
      const outcome = await deps.execute(action, incident);
      await deps.data.stores.incidents.addAction(incident.id, {
        at: new Date(deps.now()),
        type: action.type,
        text: describeAction(action, outcome),
      });
    } catch (error) {
      deps.log.warn({ incident: incident.id, action: action.type, err: error }, 'automatic action failed');
      await deps.data.stores.incidents.addTimeline(incident.id, [
        {
          kind: 'observed',
          at: deps.now(),
          text: `Tried to act automatically (${action.type}) and failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      ]);
    }
  }
  void effects;
}

async function require(deps: IncidentsDeps, id: string) {
  const row = await deps.data.stores.incidents.get(id);
  if (!row)
    throw new ServiceError('ADW_NOT_FOUND', `no incident ${id}; list them with: adwarden incidents list`);
  return row;
}

/** Feeds one observation to the incident it belongs to (opening, updating or resolving it). */
function observe(deps: IncidentsDeps, observation: Observation): Promise<Applied> {
  return apply(deps, fingerprintOf(observation), { type: 'observation', observation });
}

/** Acknowledge, mute, unmute, resolve or reopen, as a person. */
async function command(deps: IncidentsDeps, id: string, command: Command): Promise<Applied> {
  const row = await require(deps, id);
  return apply(deps, row.fingerprint, { type: 'command', command });
}

/** Resolves incidents whose quiet period has passed and ends mutes that are due. */
async function tick(deps: IncidentsDeps): Promise<number> {
  let changed = 0;
  for (const row of await deps.data.stores.incidents.settling()) {
    const result = await apply(deps, row.fingerprint, { type: 'tick' });
    if (result.effects.length > 0) changed++;
  }
  return changed;
}

/** Open incidents of a problem, filtered by connection or advertiser (what a listing should still show). */
async function active(
  deps: IncidentsDeps,
  problem: string,
  where: { connectionId?: string; advertiserId?: string } = {},
) {
  return (await deps.data.stores.incidents.active(problem, where)).map(toIncident);
}

/**
 * Writes a line on the timeline of every unresolved incident of the connection that a re-auth
 * repairs (a failed code exchange, say). Returns the incidents written to.
 */
async function note(
  deps: IncidentsDeps,
  connectionId: string,
  text: string,
  data: Record<string, unknown> = {},
): Promise<string[]> {
  const store = deps.data.stores.incidents;
  const ids: string[] = [];
  for (const problem of REPAIRED_BY_REAUTH)
    for (const row of await store.active(problem, { connectionId })) {
      await store.addTimeline(row.id, [{ kind: 'observed', at: deps.now(), text, data }]);
      ids.push(row.id);
    }
  return ids;
}

async function list(deps: IncidentsDeps, filter: IncidentFilter = {}) {
  return (await deps.data.stores.incidents.list(filter)).map((row) => incidentView(row, deps.publicUrl()));
}

/** How many incidents match (the total behind a page of `list`). */
async function count(deps: IncidentsDeps, filter: IncidentFilter = {}) {
  return deps.data.stores.incidents.count(filter);
}

async function show(deps: IncidentsDeps, id: string) {
  const row = await require(deps, id);
  const [timeline, notifications] = await Promise.all([
    deps.data.stores.incidents.timeline(id),
    deps.data.stores.outbox.list({ incidentId: id }),
  ]);
  return {
    ...incidentView(row, deps.publicUrl()),
    timeline: timeline.map((e) => ({ at: e.at.toISOString(), kind: e.kind, text: e.text, data: e.data })),
    notifications: notifications.map((n) => ({
      id: n.id,
      channel_id: n.channel_id,
      event: n.event,
      status: n.status,
      attempts: n.attempts,
      delivered_at: n.delivered_at?.toISOString() ?? null,
      last_error: n.last_error,
    })),
  };
}

export type IncidentsService = ReturnType<typeof incidentsService>;

function payloadFor(
  incident: Incident,
  event: string,
  actions: string[],
  link: IncidentPayload['reauth_link'],
  publicUrl: string,
): IncidentPayload {
  return {
    type: `incident.${event}`,
    event,
    incident: {
      id: incident.id,
      problem: incident.problem,
      severity: incident.severity,
      state: incident.state,
      subject: { type: incident.subject.type, id: incident.subject.id, label: incident.subject.label },
      summary: incident.summary,
      fix: incident.fix,
      actions,
      opened_at: new Date(incident.openedAt).toISOString(),
      resolved_at: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
      reopen_count: incident.reopenCount,
      url: `${publicUrl}/incidents/${incident.id}`,
    },
    reauth_link: link,
    at: new Date(incident.updatedAt).toISOString(),
  };
}

/**
 * The outbox rows of an incident's events: one per event and channel it routes to, each keyed so it is
 * queued once, its re-auth link sealed, held back when the channel's hourly cap is reached.
 */
async function outboxItems(
  deps: IncidentsDeps,
  tx: TransactionStores,
  message: {
    incident: Incident;
    actions: string[];
    link: IncidentPayload['reauth_link'];
    owner: string | null;
    labels: Record<string, string>;
  },
  events: NotifyEvent[],
  now: number,
): Promise<NewNotification[]> {
  const { incident, link } = message;
  const routed = routeNotification(await tx.channels.list(), incident, message.labels);
  const items: NewNotification[] = [];
  for (const event of events) {
    const payload = payloadFor(incident, event, message.actions, null, deps.publicUrl());
    const sent = event === 'resolved' ? null : link;
    const sealReauthLink = sent
      ? (rowId: string) =>
          deps.keyRing().seal(JSON.stringify(sent), { table: 'outbox', rowId, purpose: 'reauth_link' })
      : undefined;
    for (const channel of routed) {
      const held =
        channel.max_per_hour !== null &&
        overHourlyCap(channel, await tx.outbox.sentSince(channel.id, new Date(now - 3_600_000)));
      items.push({
        idempotencyKey: notificationKey(incident, event, channel.id),
        channelId: channel.id,
        incidentId: incident.id,
        event,
        recipient: channel.kind === 'email' && link ? message.owner : null,
        payload: payload as unknown as Record<string, unknown>,
        sealReauthLink,
        held,
      });
    }
  }
  return items;
}
