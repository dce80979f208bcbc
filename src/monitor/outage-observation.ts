import type { Observation, OutageVerdict } from '../incidents/index.ts';

/** The platform observation an outage verdict makes: failing while the outage lasts, passing after. */
export function outageObservation(
  verdict: OutageVerdict,
  now: number,
  windowMs: number,
  /** TikTok's own open incidents (its status page): named on the outage incident. */
  reported: ReadonlyArray<{ id: string; title: string; link: string | null }> = [],
): Observation {
  const linked =
    reported.length > 0 ? ` TikTok reports it too: ${reported.map((r) => `“${r.title}”`).join(', ')}.` : '';
  const subject = { type: 'platform' as const, id: 'tiktok', label: 'TikTok API for Business' };
  const observation: Observation = verdict.outage
    ? {
        problem: 'outage',
        subject,
        failing: true,
        at: now,
        source: 'correlation',
        summary: `TikTok's API is failing for ${verdict.failing.length} of ${verdict.checked} connections checked in the last ${Math.round(windowMs / 60_000)} minutes (apps ${verdict.apps.join(', ')}): a platform outage, not the tokens.${linked}`,
        fix: [
          'Nothing to do on the connections: tokens are not touched during an outage, and calls are retried with backoff.',
          'Follow TikTok’s developer status updates; adwarden resolves this incident when checks succeed again.',
        ],
        facts: {
          failing: verdict.failing.length,
          checked: verdict.checked,
          apps: verdict.apps,
          ...(reported.length > 0 ? { tiktok_incidents: reported.map((r) => r.link ?? r.id) } : {}),
        },
      }
    : {
        problem: 'outage',
        subject,
        failing: false,
        at: now,
        source: 'correlation',
        summary: 'Checks succeed again across connections.',
      };
  return observation;
}
