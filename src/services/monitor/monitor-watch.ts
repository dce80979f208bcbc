import { isAuthFailure, isPermissionFailure } from '../../catalog/index.ts';
import { fingerprintOf, type Incident, type Observation, type Subject } from '../../incidents/index.ts';
import type { Logger } from '../../log/index.ts';
import {
  advertiserSubject,
  deliveryFindings,
  permissionRefused,
  permissionRestored,
  refusalOf,
} from '../../monitor/index.ts';
import { isTikTokError } from '../../tiktok/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import {
  type FamilyMemory,
  LISTINGS,
  type Listed,
  listDelivery,
  WATCHED_CALLS,
} from './delivery-listings.ts';
import { SPEND_REPORT, type SpendDeps, type SpendRead, watchSpend } from './monitor-spend.ts';

/** What `watchConnection` uses. */
export interface WatchDeps {
  connections: ConnectionsService;
  incidents: IncidentsService;
  now: () => number;
  log: Logger;
  labelOf: (connectionId: string) => Promise<string>;
  probeSoon: (connectionId: string) => Promise<void>;
  spend: SpendDeps['spend'];
  /** Which advertisers run Smart+ or GMV Max (the others are asked once an hour). */
  families?: FamilyMemory;
  /** The environment of an app (the sandbox delivers no ads: it has no spend to watch). */
  environmentOf: (appId: string) => Promise<'production' | 'sandbox'>;
}

/**
 * Campaign watch of one connection: every granted advertiser's campaigns, ad groups and ads (pages of
 * 1000), turned into delivery incidents; incidents whose object no longer shows the problem recover.
 * An auth failure here proves nothing by itself: it asks for a probe, which verifies the token. A
 * permission refusal is about one advertiser and one endpoint: it opens a permission incident naming
 * both, and the watch goes on with the connection's other advertisers.
 */
export async function watchConnection(
  deps: WatchDeps,
  connectionId: string,
): Promise<{ advertisers: number; calls: number; minimumCalls: number; findings: number }> {
  const connection = await deps.connections.require(connectionId);
  const total = { advertisers: 0, calls: 0, minimumCalls: 0, findings: 0 };
  if (connection.regime !== 'advertiser' || !['healthy', 'degraded'].includes(connection.status))
    return total;
  const advertisers = (await deps.connections.show(connectionId)).advertiser_list.filter((a) => a.granted);
  total.advertisers = advertisers.length;
  // Refusals seen earlier, looked up once for the connection (not once per advertiser).
  const refusals = await deps.incidents.active('permission', { connectionId });
  const sandbox = (await deps.environmentOf(connection.app_id)) === 'sandbox';
  const where = { connectionId, appId: connection.app_id, refusals, sandbox };
  for (const advertiser of advertisers) {
    const watched = await watchAdvertiser(deps, where, advertiser);
    total.calls += watched.calls;
    total.minimumCalls += watched.minimumCalls; // pages a listing needed: one call each, when nothing failed
    total.findings += watched.findings;
    if (watched.authFailed) {
      await deps.probeSoon(connectionId);
      break;
    }
  }
  return total;
}

type Where = { connectionId: string; appId: string; refusals: Incident[]; sandbox: boolean };
type WatchedAdvertiser = Awaited<ReturnType<ConnectionsService['show']>>['advertiser_list'][number];

/** One advertiser's listings and spend, judged; `authFailed` when TikTok refused the token. */
async function watchAdvertiser(deps: WatchDeps, where: Where, advertiser: WatchedAdvertiser) {
  const { connectionId } = where;
  const subject = advertiserSubject(
    { id: advertiser.advertiser_id, name: advertiser.name },
    { connectionId, appId: where.appId },
  );
  const result = { calls: 0, minimumCalls: 0, findings: 0, authFailed: false };
  const skip = deps.families?.skip(advertiser.advertiser_id);
  const listed = await listDelivery(deps.connections, connectionId, advertiser.advertiser_id, skip);
  deps.families?.saw(advertiser.advertiser_id, listed);
  result.calls += listed.calls;
  if ((await judgeFailures(deps, connectionId, subject, listed.failures)) === 'auth')
    return { ...result, authFailed: true };
  // A classic listing failed: nothing to judge this round.
  if (listed.failures.some((f) => LISTINGS.find((l) => l.path === f.path)?.family === 'classic'))
    return result;
  if (listed.failures.length === 0) result.minimumCalls += listed.calls;
  const at = deps.now();
  const findings = deliveryFindings({ id: advertiser.advertiser_id, name: advertiser.name }, listed.items);
  result.findings = findings.length;
  const observations = findings.map((f) => deliveryObservation(f, { ...where, advertiser }, at));
  observations.push(...(await recoveries(deps, advertiser.advertiser_id, listed, observations, at)));
  // A listing that answered: a refusal of it seen earlier is over.
  const answered = new Set(
    [...WATCHED_CALLS].filter(
      (c) =>
        !listed.failures.some((f) => c === `GET ${f.path}`) && !listed.skipped.some((p) => c === `GET ${p}`),
    ),
  );
  const spend: SpendRead = where.sandbox
    ? { state: 'not_due' }
    : await watchSpend(deps, connectionId, advertiser, subject);
  if (spend.state !== 'not_due') result.calls += spend.calls;
  if (spend.state === 'read') {
    result.minimumCalls += spend.calls;
    observations.push(...spend.observations);
    answered.add(`GET ${SPEND_REPORT}`);
  } else if (spend.state === 'failed') {
    const failures = [{ path: SPEND_REPORT, error: spend.error }];
    if ((await judgeFailures(deps, connectionId, subject, failures)) === 'auth') result.authFailed = true;
  }
  for (const incident of where.refusals)
    if (incident.subject.advertiserId === advertiser.advertiser_id && answered.has(incident.detail ?? ''))
      observations.push(
        permissionRestored(
          incident.subject,
          { method: 'GET', endpoint: incident.detail!.slice('GET '.length) },
          at,
          'campaign_watch',
        ),
      );
  for (const observation of observations) await deps.incidents.observe(observation);
  return result;
}

/**
 * Delivery incidents of the advertiser whose object no longer shows the problem. None on half a
 * picture (a Smart+ or GMV Max listing failed); spend incidents are the spend watch's to end.
 */
async function recoveries(
  deps: WatchDeps,
  advertiserId: string,
  listed: Listed,
  current: Observation[],
  at: number,
): Promise<Observation[]> {
  if (listed.failures.length > 0) return [];
  const found = new Set(current.map(fingerprintOf));
  return (await deps.incidents.active('delivery', { advertiserId }))
    .filter((i) => !found.has(i.fingerprint) && !i.detail?.startsWith('spend_'))
    .map((incident) => ({
      problem: 'delivery' as const,
      subject: incident.subject,
      detail: incident.detail ?? undefined,
      failing: false,
      at,
      source: 'campaign_watch' as const,
      summary: 'The object delivers again.',
    }));
}

/** A delivery finding as an observation on its campaign, ad group, ad or advertiser. */
function deliveryObservation(
  f: ReturnType<typeof deliveryFindings>[number],
  where: { connectionId: string; appId: string; advertiser: { advertiser_id: string; name: string } },
  at: number,
): Observation {
  const { advertiser } = where;
  return {
    problem: 'delivery',
    subject: {
      type: f.subject.type,
      id: f.subject.id,
      label:
        f.subject.type === 'advertiser'
          ? `${f.subject.name} (${f.subject.id})`
          : `${f.subject.name} (${f.subject.id}) · ${advertiser.name}`,
      connectionId: where.connectionId,
      appId: where.appId,
      advertiserId: advertiser.advertiser_id,
    },
    detail: f.detail,
    failing: true,
    at,
    source: 'campaign_watch',
    severity: f.severity,
    summary: f.summary,
    fix: f.fix,
    facts: { status: f.status, affected_ads: f.affectedAds, advertiser_id: advertiser.advertiser_id },
  };
}

/**
 * What failed listings mean: an auth failure asks for a probe (`'auth'`: stop watching the
 * connection); a refusal opens a permission incident naming the advertiser and the endpoint; other
 * trouble waits for the next round.
 */
async function judgeFailures(
  deps: WatchDeps,
  connectionId: string,
  subject: Subject,
  failures: Listed['failures'],
): Promise<'auth' | null> {
  for (const { error, path } of failures) {
    if (isTikTokError(error) && isAuthFailure(error.diagnosis.kind)) return 'auth';
    if (isTikTokError(error) && isPermissionFailure(error.diagnosis.kind)) {
      const refusal = refusalOf(error.diagnosis, { method: 'GET', endpoint: path });
      await deps.incidents.observe(permissionRefused(subject, refusal, deps.now(), 'campaign_watch'));
      continue;
    }
    deps.log.info(
      { connection: connectionId, advertiser: subject.advertiserId, path, err: error },
      'campaign watch could not read a listing; it tries again next round',
    );
  }
  return null;
}
