import type { MonitorStore, Stores, UnitOfWork } from '../../db/index.ts';
import type { Logger } from '../../log/index.ts';
import { expiryFindings } from '../../monitor/index.ts';
import type { TokensService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import type { MonitorSettings } from './monitor-settings.ts';

const DAY = 86_400_000;

/** What `runDaily` uses. */
export interface DailyDeps {
  store: MonitorStore;
  data: UnitOfWork<Pick<Stores, 'videos' | 'spend' | 'push'>>;
  incidents: IncidentsService;
  tokens: TokensService;
  settings: MonitorSettings;
  now: () => number;
  log: Logger;
  labelOf: (connectionId: string) => Promise<string>;
}

/**
 * The daily schedules. `expiry`: tt_user access tokens are refreshed ahead of their end; refresh
 * tokens and tokens past the operator's maximum age get a reminder incident (with a re-auth link) 7
 * days ahead, resolved once the owner authorizes again. `retention`: old check history and settled uploads are deleted.
 */
export async function runDaily(deps: DailyDeps, schedule: string): Promise<Record<string, number>> {
  const now = deps.now();
  if (schedule === 'retention') return retention(deps, now);
  if (schedule !== 'expiry') throw new Error(`unknown daily schedule ${schedule}`);
  const rows = await deps.store.expiries();
  const candidates = await Promise.all(
    rows.map(async (r) => ({
      connectionId: r.id,
      label: await deps.labelOf(r.id),
      regime: r.regime,
      status: r.status,
      issuedAt: r.issued_at.getTime(),
      accessExpiresAt: r.access_expires_at?.getTime() ?? null,
      refreshExpiresAt: r.refresh_expires_at?.getTime() ?? null,
    })),
  );
  const counts = { refreshed: 0, reminders: 0, failed: 0 };
  const active = new Map(
    (await deps.incidents.active('expiry')).map((i) => [i.subject.connectionId, i.facts.ends_at] as const),
  );
  for (const finding of expiryFindings(candidates, now, deps.settings.expiry)) {
    const subject = (label: string) => ({
      type: 'connection' as const,
      id: finding.connectionId,
      label,
      connectionId: finding.connectionId,
    });
    if (finding.type === 'refresh') {
      try {
        await deps.tokens.refreshAhead(finding.connectionId, deps.settings.expiry.refreshLeadMs);
        counts.refreshed++;
      } catch (error) {
        counts.failed++;
        deps.log.warn({ connection: finding.connectionId, err: error }, 'refresh ahead of expiry failed');
      }
    } else if (finding.type === 'remind') {
      counts.reminders++;
      const days = Math.max(0, Math.ceil((finding.endsAt - now) / 86_400_000));
      await deps.incidents.observe({
        problem: 'expiry',
        subject: subject(finding.label),
        failing: true,
        at: now,
        source: 'expiry',
        summary: `${finding.what[0]!.toUpperCase()}${finding.what.slice(1)} of ${finding.label} ends on ${new Date(finding.endsAt).toISOString().slice(0, 10)} (in ${days} days); after that only a new authorization brings the connection back.`,
        fix: [
          'The owner opens the re-auth link adwarden sent and authorizes again before that date; nothing else changes.',
        ],
        facts: { what: finding.what, ends_at: new Date(finding.endsAt).toISOString(), refreshable: false },
      });
    } else if (
      active.has(finding.connectionId) &&
      // The same end, no longer within the lead: the clock went back. The reminder stands.
      active.get(finding.connectionId) !==
        (finding.endsAt === null ? undefined : new Date(finding.endsAt).toISOString())
    ) {
      await deps.incidents.observe({
        problem: 'expiry',
        subject: subject(await deps.labelOf(finding.connectionId)),
        failing: false,
        definitive: true,
        at: now,
        source: 'expiry',
        summary: 'The connection has a fresh authorization; nothing ends soon.',
      });
    }
  }
  return counts;
}

/** Deletes what is past keeping: check history, settled uploads, old spend hours and push receipts. */
async function retention(deps: DailyDeps, now: number): Promise<Record<string, number>> {
  const before = new Date(now - deps.settings.retentionMs);
  const checks = await deps.store.pruneChecks(before);
  const { videos: videoStore, spend, push } = deps.data.stores;
  const videos = await videoStore.prune(before);
  // Spend is kept as long as the baseline reads it (five weeks); receipts past TikTok's 72-hour retries.
  const spendHours = await spend.prune(new Date(Math.min(before.getTime(), now - 36 * DAY)));
  const receipts = await push.pruneReceipts(new Date(now - 4 * DAY));
  deps.log.info(
    { checks, videos, spendHours, receipts },
    'check history, settled uploads, old spend and receipts pruned',
  );
  return { checks, videos, spend_hours: spendHours, receipts };
}
