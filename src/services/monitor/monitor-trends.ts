import type { Stores, UnitOfWork } from '../../db/index.ts';

const DAY = 86_400_000;

/** The overview's pictures: checks, incidents and spend per day over the last `days` (UTC days). */
export async function trends(
  deps: { data: UnitOfWork<Pick<Stores, 'trends' | 'connections'>>; now: () => number },
  days: number,
  /** Only these connections (an operator limited to some clients); null: all. */
  connectionIds: readonly string[] | null,
) {
  const store = deps.data.stores.trends;
  const end = Math.floor(deps.now() / DAY) * DAY;
  const since = new Date(end - (days - 1) * DAY);
  const labels = Array.from({ length: days }, (_, i) =>
    new Date(since.getTime() + i * DAY).toISOString().slice(0, 10),
  );
  let advertiserIds: string[] | null = null;
  if (connectionIds) {
    advertiserIds = [];
    for (const id of connectionIds)
      advertiserIds.push(
        ...(await deps.data.stores.connections.advertisers(id))
          .filter((a) => a.granted)
          .map((a) => a.advertiser_id),
      );
  }
  const [checks, incidents, spend] = await Promise.all([
    store.checksByDay(since, connectionIds),
    store.incidentsByDay(since, connectionIds),
    store.spendByDay(since, advertiserIds),
  ]);
  const checked = new Map(checks.map((r) => [r.day, r]));
  const opened = new Map(incidents.opened.map((r) => [r.day, r.n]));
  const resolved = new Map(incidents.resolved.map((r) => [r.day, r.n]));
  const byAdvertiser = new Map<string, Map<string, number>>();
  for (const row of spend) {
    const days = byAdvertiser.get(row.advertiser_id) ?? new Map();
    days.set(row.day, Number(row.spend));
    byAdvertiser.set(row.advertiser_id, days);
  }
  const top = [...byAdvertiser.entries()]
    .map(([id, values]) => ({ id, values: labels.map((d) => values.get(d) ?? 0) }))
    .sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0))
    .slice(0, 12);
  const names = await store.advertiserNames(top.map((t) => t.id));
  return {
    days: labels,
    checks: {
      ok: labels.map((d) => checked.get(d)?.ok ?? 0),
      failed: labels.map((d) => checked.get(d)?.failed ?? 0),
    },
    incidents: {
      opened: labels.map((d) => opened.get(d) ?? 0),
      resolved: labels.map((d) => resolved.get(d) ?? 0),
    },
    spend: top.map((t) => ({ advertiser_id: t.id, name: names.get(t.id) ?? t.id, values: t.values })),
  };
}
