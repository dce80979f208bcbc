import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../../src/incidents/index.ts';
import { type Stack, startStack } from '../service/stack.ts';
import { startWebhookSink } from '../support/webhook-sink.ts';

describe('hourly caps and the daily digest', () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let offset = 0;
  const now = () => Date.parse('2026-06-01T08:00:00Z') + offset;

  const failing = (n: number): Observation => ({
    problem: 'delivery',
    subject: { type: 'ad', id: `ad-${n}`, label: `Ad ${n}`, advertiserId: '7000000000000000001' },
    detail: 'AD_STATUS_AUDIT_DENY',
    failing: true,
    at: now(),
    source: 'campaign_watch',
    summary: `Ad ${n} was rejected in review.`,
  });
  const deliverDue = async () => {
    for (const id of await stack.services.notifications.due()) await stack.services.notifications.deliver(id);
  };

  beforeAll(async () => {
    stack = await startStack('pglite', { now });
    sink = await startWebhookSink();
    await stack.services.notifications.addChannel({
      name: 'capped',
      kind: 'webhook',
      url: `${sink.url}/hook`,
      max_per_hour: 2,
      digest: true,
    });
  }, 60_000);

  afterAll(async () => {
    await sink?.close();
    await stack?.close();
  });

  it('holds what passes the hourly cap, even in a burst queued before any delivery', async () => {
    for (let n = 1; n <= 5; n++) await stack.services.incidents.observe(failing(n));
    const outbox = await stack.services.notifications.notifications();
    expect(outbox.map((n) => n.status).sort()).toEqual(['held', 'held', 'held', 'pending', 'pending']);
    await deliverDue();
    expect(sink.received).toHaveLength(2);
  });

  it('sends what the cap held as one digest a day, and only once', async () => {
    offset += 24 * 3_600_000;
    await stack.services.monitor.daily('digest');
    await deliverDue();
    expect(sink.received).toHaveLength(3);
    const digest = sink.received[2]!.json;
    expect(digest.type).toBe('digest.daily');
    expect(digest.data.digest.count).toBe(3);
    const sent = sink.received.slice(0, 2).map((r) => r.json.data.incident.subject.label);
    const digested = digest.data.digest.items.map((i: { headline: string }) => i.headline.split(' — ')[1]);
    expect([...sent, ...digested].sort()).toEqual(['Ad 1', 'Ad 2', 'Ad 3', 'Ad 4', 'Ad 5']);
    const statuses = (await stack.services.notifications.notifications()).map((n) => n.status);
    expect(statuses.filter((s) => s === 'held')).toHaveLength(0);

    await stack.services.monitor.daily('digest');
    await deliverDue();
    expect(sink.received).toHaveLength(3);
    // Rows sent inside the digest do not use up the next hour's cap.
    const sixth = await stack.services.incidents.observe(failing(6));
    const [row] = await stack.services.notifications.notifications({ incidentId: sixth.incident!.id });
    expect(row!.status).toBe('pending');
  });
});
