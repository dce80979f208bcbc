import { XMLParser } from 'fast-xml-parser';
import type { Observation } from '../incidents/index.ts';

/** A TikTok incident as its status page (RSS) or an API_SERVICE_STATUS push tells it. */
export interface TikTokIncident {
  id: string;
  title: string;
  /** `LOW_DISRUPTION`, `MAJOR_DISRUPTION`, or what TikTok says. */
  level: string;
  state: 'open' | 'resolved';
  link: string | null;
  /** Epoch ms it started (the item's date). */
  at: number;
}

const parser = new XMLParser({ ignoreAttributes: true, processEntities: true, htmlEntities: false });

const text = (value: unknown): string => {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object' && '#text' in value)
    return text((value as { '#text': unknown })['#text']);
  return '';
};

/** The disruption level an item names: TikTok's status page speaks of Low and Major Disruption. */
function levelOf(words: string): string {
  if (/major/i.test(words)) return 'MAJOR_DISRUPTION';
  if (/low|minor|degraded/i.test(words)) return 'LOW_DISRUPTION';
  return 'UNKNOWN';
}

/**
 * Reads TikTok's API status RSS feed into incidents (newest first as listed). An item says it is over
 * when its title or description says resolved. Throws on text that is not an RSS feed.
 */
export function readStatusFeed(xml: string): TikTokIncident[] {
  const doc = parser.parse(xml) as { rss?: { channel?: { item?: unknown } } };
  const channel = doc?.rss?.channel;
  if (!channel || typeof channel !== 'object') throw new Error('not an RSS feed (no rss/channel)');
  const raw = channel.item === undefined ? [] : [channel.item].flat();
  const incidents: TikTokIncident[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const item = entry as Record<string, unknown>;
    const title = text(item.title);
    const link = text(item.link) || null;
    const id = text(item.guid) || link || title;
    if (!id || !title) continue;
    const description = text(item.description);
    const words = `${title} ${description} ${text(item.category)}`;
    const date = Date.parse(text(item.pubDate));
    incidents.push({
      id: id.slice(0, 200),
      title: title.slice(0, 300),
      level: levelOf(words),
      state: /\bresolved\b/i.test(`${title} ${description}`) ? 'resolved' : 'open',
      link: link && /^https?:\/\//.test(link) ? link.slice(0, 500) : null,
      at: Number.isNaN(date) ? 0 : date,
    });
  }
  return incidents;
}

const LEVEL_NAME: Record<string, string> = {
  LOW_DISRUPTION: 'Low Disruption',
  MAJOR_DISRUPTION: 'Major Disruption',
};

/**
 * TikTok's own incident as an adwarden platform incident (an outage incident of its own): open while
 * TikTok says it lasts; while it is open, per-connection noise is held back as in an outage adwarden
 * finds itself.
 */
export function tiktokIncidentObservation(
  incident: TikTokIncident,
  at: number,
  source: 'status_feed' | 'push',
): Observation {
  const level = LEVEL_NAME[incident.level] ?? 'disruption';
  return {
    problem: 'outage',
    subject: { type: 'platform', id: `tiktok-status:${incident.id}`, label: 'TikTok API status' },
    failing: incident.state === 'open',
    at,
    source,
    severity: incident.level === 'MAJOR_DISRUPTION' ? 'high' : 'medium',
    summary:
      incident.state === 'open'
        ? `TikTok reports an incident on its API status page: ${incident.title} (${level}).`
        : `TikTok reports its incident resolved: ${incident.title}.`,
    fix: [
      'Nothing to do on the connections: this is TikTok’s incident. Tokens are not touched while it lasts, failed calls are retried with backoff, and per-connection alerts are held back.',
      incident.link
        ? `Follow TikTok’s updates: ${incident.link}`
        : 'Follow TikTok’s API status page for updates.',
    ],
    facts: {
      tiktok_incident: incident.id,
      level: incident.level,
      ...(incident.link ? { link: incident.link } : {}),
    },
  };
}
