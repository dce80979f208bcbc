import type { FastifyInstance } from 'fastify';
import type { EmulatorRuntime } from './server.ts';
import type { StatusIncident } from './state.ts';

/** Where TikTok publishes its API status incidents as RSS (fact sheet §5.8), relative to the origin. */
export const STATUS_FEED_PATH = '/marketing_api/api/status_page/incident/rss/';

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LEVEL = { LOW_DISRUPTION: 'Low Disruption', MAJOR_DISRUPTION: 'Major Disruption' } as const;

function item(origin: string, incident: StatusIncident): string {
  const status = incident.state === 'resolved' ? 'Resolved' : 'Investigating';
  return `<item>
<title>${escapeXml(incident.title)}</title>
<link>${origin}/portal/api-service-status?incident=${encodeURIComponent(incident.id)}</link>
<guid isPermaLink="false">${escapeXml(incident.id)}</guid>
<category>${LEVEL[incident.level]}</category>
<pubDate>${new Date(incident.startedAt).toUTCString()}</pubDate>
<description>${escapeXml(`${status} – ${LEVEL[incident.level]}. Last update ${new Date(incident.updatedAt).toUTCString()}.`)}</description>
</item>`;
}

/** TikTok's API status page as an RSS feed: the incidents of the last 90 days, newest first. */
export function registerStatusFeed(app: FastifyInstance, runtime: EmulatorRuntime): void {
  app.get(STATUS_FEED_PATH, (_request, reply) => {
    const now = runtime.clock.now();
    const origin = runtime.baseUrl();
    const incidents = [...runtime.state.statusIncidents.values()]
      .filter((i) => now - i.updatedAt <= 90 * 86_400_000)
      .sort((a, b) => b.startedAt - a.startedAt);
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>TikTok API for Business – Service Status</title>
<link>${origin}/portal/api-service-status</link>
<description>Incidents of TikTok API for Business</description>
${incidents.map((i) => item(origin, i)).join('\n')}
</channel>
</rss>`;
    return reply.type('application/rss+xml; charset=utf-8').send(body);
  });
}
