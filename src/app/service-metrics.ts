import { Counter, Gauge, Registry } from 'prom-client';
import type { Stores } from '../db/index.ts';
import type { TikTokClient } from '../tiktok/index.ts';

/**
 * Prometheus metrics of one process (`/metrics`), all prefixed `adwarden_`: HTTP requests, TikTok
 * calls by endpoint, code and kind, retries, throttles, breaker state; and, read from the database at
 * scrape time, connections and incidents by state, the outbox's lag and the job queues' depth.
 */
export function serviceMetrics(deps: {
  stores: Pick<Stores, 'connections' | 'incidents' | 'outbox'>;
  now: () => number;
}) {
  const registry = new Registry();
  let queueDepth: QueueDepth | null = null;
  const http = new Counter({
    name: 'adwarden_http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const calls = new Counter({
    name: 'adwarden_tiktok_calls_total',
    help: 'TikTok API responses, by endpoint, return code and failure kind (ok for code 0).',
    labelNames: ['endpoint', 'code', 'kind'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'adwarden_tiktok_retries_total',
    help: 'TikTok calls retried, by endpoint and failure kind.',
    labelNames: ['endpoint', 'kind'],
    registers: [registry],
  });
  const throttles = new Counter({
    name: 'adwarden_tiktok_throttles_total',
    help: 'Rate-limit answers (40100, 40133…), by scope and window.',
    labelNames: ['scope', 'window'],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'adwarden_tiktok_breaker_open',
    help: '1 while the circuit breaker of a TikTok app is open or half-open.',
    labelNames: ['app_id'],
    registers: [registry],
  });
  storedGauges(registry, deps, () => queueDepth);

  // Responses per app in the last minute: 60 one-second buckets, each stamped with its second.
  const recent = new Map<string, Array<{ second: number; n: number }>>();
  const countCall = (appId: string) => {
    const second = Math.floor(deps.now() / 1000);
    let buckets = recent.get(appId);
    if (!buckets) {
      buckets = Array.from({ length: 60 }, () => ({ second: -1, n: 0 }));
      recent.set(appId, buckets);
    }
    const bucket = buckets[second % 60]!;
    if (bucket.second !== second) Object.assign(bucket, { second, n: 0 });
    bucket.n++;
  };

  return {
    registry,
    /** Calls this process made for an app in the last 60 s. */
    callsLastMinute(appId: string): number {
      const second = Math.floor(deps.now() / 1000);
      return (recent.get(appId) ?? []).reduce((n, b) => (second - b.second < 60 ? n + b.n : n), 0);
    },
    /** Counts what a TikTok client does. */
    observeClient(appId: string, client: TikTokClient) {
      client.on('response', (e) => {
        calls.inc({ endpoint: e.endpoint, code: String(e.code), kind: e.ok ? 'ok' : 'error' });
        countCall(appId);
      });
      client.on('retry', (e) => retries.inc({ endpoint: e.endpoint, kind: e.kind }));
      client.on('rateLimited', (e) => throttles.inc({ scope: e.scope, window: e.window }));
      client.on('breakerStateChange', (e) => breaker.set({ app_id: appId }, e.to === 'closed' ? 0 : 1));
    },
    httpRequest(method: string, route: string, status: number) {
      http.inc({ method, route, status: String(status) });
    },
    /** Lets the worker report its queues' depth. */
    setQueueDepth(source: QueueDepth | null) {
      queueDepth = source;
    },
  };
}

export type ServiceMetrics = ReturnType<typeof serviceMetrics>;

type QueueDepth = () => Promise<Record<string, number>>;

/** Gauges read at scrape time: connections and incidents by state, the outbox's lag, the job queues' depth. */
function storedGauges(
  registry: Registry,
  deps: { stores: Pick<Stores, 'connections' | 'incidents' | 'outbox'>; now: () => number },
  queueDepth: () => QueueDepth | null,
) {
  const { stores } = deps;
  new Gauge({
    name: 'adwarden_connections',
    help: 'Connections by status.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await stores.connections.countByStatus()) this.set({ status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'adwarden_incidents',
    help: 'Incidents by state and severity.',
    labelNames: ['state', 'severity'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await stores.incidents.countByState())
        this.set({ state: row.state, severity: row.severity }, row.n);
    },
  });
  new Gauge({
    name: 'adwarden_outbox_lag_seconds',
    help: 'Age of the oldest notification waiting for delivery (0 when none waits).',
    registers: [registry],
    async collect() {
      const oldest = await stores.outbox.oldestPending();
      this.set(oldest === null ? 0 : Math.max(0, (deps.now() - oldest.getTime()) / 1000));
    },
  });
  new Gauge({
    name: 'adwarden_job_queue_depth',
    help: 'Jobs queued or running, by queue (in a process that runs workers).',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      const source = queueDepth();
      if (!source) return;
      for (const [queue, n] of Object.entries(await source())) this.set({ queue }, n);
    },
  });
}
