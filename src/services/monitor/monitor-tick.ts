import type { MonitorStore } from '../../db/index.ts';
import type { Logger } from '../../log/index.ts';
import { dueConnections, nextCheckAt } from '../../monitor/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { NotificationsService } from '../notifications/index.ts';
import type { Dispatcher } from './monitor-service.ts';
import type { MonitorSettings } from './monitor-settings.ts';

const DAY_MS = 86_400_000;
export const DAILY_SCHEDULES = ['expiry', 'retention', 'digest'] as const;
/** Schedules run more often than daily: TikTok's status feed, and reconciling push subscriptions. */
export const PERIODIC_SCHEDULES = [
  ['status_feed', 5 * 60_000],
  ['push_reconcile', 60 * 60_000],
] as const;

/**
 * One planning tick on the monitor's clock: repairs left by dead workers, due probes, campaign watch,
 * video polls, daily schedules, quiet periods, and notifications waiting for delivery. Work goes to
 * `dispatch` (pg-boss queues in a worker, or run in place). Safe to run from every worker at once:
 * each piece is claimed in the database first.
 */
export async function planTick(deps: {
  store: MonitorStore;
  incidents: IncidentsService;
  notifications: NotificationsService;
  settings: MonitorSettings;
  now: () => number;
  random: () => number;
  log: Logger;
  dispatch: Dispatcher;
  announceOrphans: (now: number) => Promise<number>;
  videosDue: () => Promise<string[]>;
}) {
  const { store, dispatch, settings, random } = deps;
  const now = deps.now();
  const planned = {
    announced: await deps.announceOrphans(now),
    probes: 0,
    watches: 0,
    videoPolls: 0,
    daily: [] as string[],
    settled: 0,
    deliveries: 0,
  };
  const candidates = await store.sweepCandidates();
  const due = dueConnections(
    candidates.map((c) => ({ id: c.id, status: c.status, nextCheckAt: c.next_check_at?.getTime() ?? null })),
    now,
    settings.sweep,
  );
  // A watch planned beyond its longest interval was planned by a clock that has since jumped back.
  const watchHorizon = now + Math.ceil(settings.watchIntervalMs * (1 + settings.sweep.jitter));
  for (const id of due) {
    // Provisional: the probe sets the real next time; a lost probe is planned again after it.
    await store.scheduleCheck(id, new Date(nextCheckAt('ok', 0, now, settings.sweep, random)!));
    if (await dispatch.probe(id, 'sweep')) planned.probes++;
    // A probe for it is already queued or running (perhaps on a worker that died and whose job pg-boss
    // has yet to hand on): leave it due, so the next tick asks again.
    else await store.scheduleCheck(id, new Date(now));
  }
  for (const c of candidates) {
    if (c.status !== 'healthy' && c.status !== 'degraded') continue;
    const watchAt = c.next_watch_at?.getTime() ?? null;
    if (c.regime !== 'advertiser' || (watchAt !== null && watchAt > now && watchAt <= watchHorizon)) continue;
    if (c.next_watch_at === null) {
      // A connection never watched starts at a random point of the interval: no burst at start-up.
      await store.scheduleWatch(c.id, new Date(now + Math.round(settings.watchIntervalMs * random())));
      continue;
    }
    const spread = 1 - settings.sweep.jitter + 2 * settings.sweep.jitter * random();
    await store.scheduleWatch(c.id, new Date(now + Math.round(settings.watchIntervalMs * spread)));
    await dispatch.watch(c.id);
    planned.watches++;
  }
  for (const id of await deps.videosDue()) {
    await dispatch.videos(id);
    planned.videoPolls++;
  }
  const schedules = [...DAILY_SCHEDULES.map((name) => [name, DAY_MS] as const), ...PERIODIC_SCHEDULES];
  for (const [schedule, every] of schedules) {
    if (!(await store.claimSchedule(schedule, new Date(now), every))) continue;
    planned.daily.push(schedule);
    await dispatch.daily(schedule);
  }
  planned.settled = await deps.incidents.tick();
  for (const id of await deps.notifications.due()) {
    await dispatch.deliver(id);
    planned.deliveries++;
  }
  if (Object.values(planned).some((v) => (Array.isArray(v) ? v.length > 0 : v > 0)))
    deps.log.debug(planned, 'monitor tick planned work');
  return planned;
}
