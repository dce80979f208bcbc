import type { PlatformIncident, Stores, UnitOfWork } from '../../db/index.ts';
import type { Logger } from '../../log/index.ts';
import { readStatusFeed, tiktokIncidentObservation } from '../../monitor/index.ts';
import type { IncidentsService } from '../incidents/index.ts';

/** TikTok's API status RSS feed (fact sheet §5.8). */
export const TIKTOK_STATUS_FEED =
  'https://business-api.tiktok.com/marketing_api/api/status_page/incident/rss/';
const MAX_FEED_BYTES = 1024 * 1024;

/** What the platform status service uses. */
export interface PlatformStatusDeps {
  data: UnitOfWork<Pick<Stores, 'push'>>;
  incidents: IncidentsService;
  now: () => number;
  log: Logger;
  /** The feed to read; null: not read (no internet, or switched off). */
  feedUrl: string | null;
}

/**
 * TikTok's own incidents, from its status feed and API_SERVICE_STATUS pushes: kept, shown, and opened
 * as platform incidents that hold back per-connection noise while they last and are named on the
 * outage incident adwarden's own correlation opens.
 */
export function platformStatus(deps: PlatformStatusDeps) {
  const store = () => deps.data.stores.push;
  async function record(incident: PlatformIncident): Promise<boolean> {
    const before = (await store().platformIncidents({ limit: 500 })).find((i) => i.id === incident.id);
    if (before && before.state === incident.state && before.title === incident.title) return false;
    await store().recordPlatformIncident(incident);
    const source = incident.source === 'push' ? 'push' : 'status_feed';
    const observation = tiktokIncidentObservation(
      { ...incident, at: incident.at.getTime() },
      deps.now(),
      source,
    );
    // A resolved incident adwarden never opened needs no incident either.
    if (observation.failing || before) await deps.incidents.observe(observation);
    return true;
  }
  return {
    record,
    /** TikTok's incidents: the open ones, or the latest ones. */
    list: (open = false) => store().platformIncidents({ open, limit: 50 }),
    /** Reads the status feed once; returns how many incidents changed (null when the feed is off or failed). */
    async poll(): Promise<number | null> {
      if (!deps.feedUrl) return null;
      let items: ReturnType<typeof readStatusFeed>;
      try {
        items = readStatusFeed(await fetchFeed(deps.feedUrl));
      } catch (error) {
        deps.log.info(
          { err: error, feed: deps.feedUrl },
          'could not read TikTok’s status feed; trying again later',
        );
        return null;
      }
      let changed = 0;
      for (const item of items)
        if (await record({ ...item, source: 'feed', at: new Date(item.at || deps.now()) })) changed++;
      return changed;
    },
  };
}

export type PlatformStatus = ReturnType<typeof platformStatus>;

/** The feed's text: 5 s at most, 1 MB at most, an HTTP error an error. */
async function fetchFeed(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: 'follow' });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`the status feed answered HTTP ${response.status}`);
  }
  const length = Number(response.headers.get('content-length'));
  if (length > MAX_FEED_BYTES) {
    await response.body?.cancel();
    throw new Error(`the status feed is too large (${length} bytes)`);
  }
  const body = await response.text();
  if (body.length > MAX_FEED_BYTES) throw new Error('the status feed is too large');
  return body;
}
