import { isAuthFailure, isPermissionFailure } from '../../catalog/index.ts';
import { fingerprintOf, type Observation } from '../../incidents/index.ts';
import type { Logger } from '../../log/index.ts';
import {
  advertiserSubject,
  type DeliveryItem,
  deliveryFindings,
  permissionRefused,
  permissionRestored,
  refusalOf,
} from '../../monitor/index.ts';
import { isTikTokError } from '../../tiktok/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';

const LEVELS = [
  { level: 'campaign', path: '/campaign/get/', id: 'campaign_id', name: 'campaign_name' },
  { level: 'adgroup', path: '/adgroup/get/', id: 'adgroup_id', name: 'adgroup_name' },
  { level: 'ad', path: '/ad/get/', id: 'ad_id', name: 'ad_name' },
] as const;

const WATCHED_CALLS = new Set(LEVELS.map((l) => `GET ${l.path}`));

interface Page {
  list: Array<Record<string, unknown>>;
  page_info?: { page: number; total_page: number };
}

/** What `watchConnection` uses. */
export interface WatchDeps {
  connections: ConnectionsService;
  incidents: IncidentsService;
  now: () => number;
  log: Logger;
  labelOf: (connectionId: string) => Promise<string>;
  probeSoon: (connectionId: string) => Promise<void>;
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
  if (connection.regime !== 'advertiser' || !['healthy', 'degraded'].includes(connection.status))
    return { advertisers: 0, calls: 0, minimumCalls: 0, findings: 0 };
  const advertisers = (await deps.connections.show(connectionId)).advertiser_list.filter((a) => a.granted);
  let calls = 0;
  let minimumCalls = 0; // pages a listing needed: one call each, when nothing failed
  let findingsCount = 0;
  // Refusals seen earlier, looked up once for the connection (not once per advertiser).
  const refusals = await deps.incidents.active('permission', { connectionId });
  for (const advertiser of advertisers) {
    const subject = advertiserSubject(
      { id: advertiser.advertiser_id, name: advertiser.name },
      { connectionId, appId: connection.app_id },
    );
    const listed = await listDelivery(deps, connectionId, advertiser.advertiser_id);
    calls += listed.calls;
    if ('error' in listed) {
      const { error, path } = listed;
      if (isTikTokError(error) && isAuthFailure(error.diagnosis.kind)) {
        await deps.probeSoon(connectionId);
        return { advertisers: advertisers.length, calls, minimumCalls, findings: findingsCount };
      }
      if (isTikTokError(error) && isPermissionFailure(error.diagnosis.kind)) {
        const refusal = refusalOf(error.diagnosis, { method: 'GET', endpoint: path });
        await deps.incidents.observe(permissionRefused(subject, refusal, deps.now(), 'campaign_watch'));
        continue;
      }
      // Transient trouble on one advertiser: try again next round.
      deps.log.info(
        { connection: connectionId, advertiser: advertiser.advertiser_id, err: error },
        'campaign watch skipped an advertiser',
      );
      continue;
    }
    const items = listed.items;
    minimumCalls += listed.calls;
    const at = deps.now();
    const findings = deliveryFindings({ id: advertiser.advertiser_id, name: advertiser.name }, items);
    findingsCount += findings.length;
    const where = { connectionId, appId: connection.app_id, advertiser };
    const observations = findings.map((f) => deliveryObservation(f, where, at));
    // Every listing answered: a refusal of one of them seen earlier is over.
    for (const incident of refusals)
      if (
        incident.subject.advertiserId === advertiser.advertiser_id &&
        WATCHED_CALLS.has(incident.detail ?? '')
      )
        observations.push(
          permissionRestored(
            incident.subject,
            { method: 'GET', endpoint: incident.detail!.slice('GET '.length) },
            at,
            'campaign_watch',
          ),
        );
    const current = new Set(observations.map(fingerprintOf));
    for (const incident of await deps.incidents.active('delivery', {
      advertiserId: advertiser.advertiser_id,
    }))
      if (!current.has(incident.fingerprint))
        observations.push({
          problem: 'delivery',
          subject: incident.subject,
          detail: incident.detail ?? undefined,
          failing: false,
          at,
          source: 'campaign_watch',
          summary: 'The object delivers again.',
        });
    for (const observation of observations) await deps.incidents.observe(observation);
  }
  return { advertisers: advertisers.length, calls, minimumCalls, findings: findingsCount };
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
 * Lists one advertiser's campaigns, ad groups and ads, every page, with the calls it took; on a failure,
 * the error and the listing it stopped at.
 */
async function listDelivery(
  deps: { connections: ConnectionsService },
  connectionId: string,
  advertiserId: string,
): Promise<{ items: DeliveryItem[]; calls: number } | { error: unknown; path: string; calls: number }> {
  const items: DeliveryItem[] = [];
  let calls = 0;
  let path: string = LEVELS[0].path;
  try {
    for (const { level, id, name, ...listing } of LEVELS) {
      path = listing.path;
      for (let page = 1; ; page++) {
        calls++;
        const data = await deps.connections.call<Page>(
          connectionId,
          'GET',
          path,
          {
            query: { advertiser_id: advertiserId, page_size: 1000, page },
            advertiserId,
            deadlineMs: 60_000,
            // The next round retries; a long retry chain here would only hold up the sweep's probes.
            maxAttempts: 2,
          },
          { park: false },
        );
        for (const row of data.list ?? [])
          items.push({
            level,
            id: String(row[id]),
            name: String(row[name] ?? row[id]),
            secondaryStatus: String(row.secondary_status ?? ''),
            campaignId: row.campaign_id === undefined ? undefined : String(row.campaign_id),
            adgroupId: row.adgroup_id === undefined ? undefined : String(row.adgroup_id),
          });
        if (!data.page_info || page >= data.page_info.total_page) break;
      }
    }
    return { items, calls };
  } catch (error) {
    return { error, path, calls };
  }
}
