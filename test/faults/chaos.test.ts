import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../../bench/support/emulator-process.ts';
import { type MonitorRun, startMonitor } from '../../src/app/index.ts';
import { FAILURE_KINDS } from '../../src/catalog/index.ts';
import { createTikTokClient, isTikTokError } from '../../src/tiktok/index.ts';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';
import { eventually } from '../support/webhook-sink.ts';

const RESPONSES = 10_000;
const CONCURRENCY = 100;
const STUCK_MS = 30_000;

describe('emulator chaos against the client', () => {
  let emulator: Awaited<ReturnType<typeof startEmulatorProcess>>;

  beforeAll(async () => {
    emulator = await startEmulatorProcess(['--tier', 'none']);
  }, 60_000);
  afterAll(async () => emulator?.stop());

  it('classifies every one of 10,000 malformed, truncated, HTML, huge, slow, stalled or reset responses, and never hangs', async () => {
    const t = trial('faults', {
      area: 'Upstream chaos',
      tried: `${RESPONSES.toLocaleString('en-US')} responses, three in four of them broken at random (10 kinds of malformed 200 body, truncated JSON, HTML 5xx pages, bodies over the size cap chunked or declared, answers slower than the timeout, bodies that stall halfway, connection resets, 50002), through the generic call and a typed method`,
      expected:
        'no crash; every broken response becomes a TikTok error with a diagnosis from the closed list of kinds, every good one a result; every call settles within its timeout; the client works normally afterwards',
      times: RESPONSES,
    });
    const client = createTikTokClient({
      accessToken: emulator.token.access_token,
      baseUrl: emulator.url,
      tier: 'none',
      timeoutMs: 1_000,
      maxBodyBytes: 256 * 1024,
      connections: CONCURRENCY,
      // One response per call, and no breaker standing in for the server: every call meets the chaos.
      retry: { maxAttempts: 1 },
      breaker: { threshold: Number.MAX_SAFE_INTEGER },
    });
    const ids = emulator.token.advertiser_ids.slice(0, 3);
    await emulator.control('/faults', 'POST', {
      type: 'chaos',
      rate: 0.75,
      // Well past the 1 s timeout: undici checks its timeouts every half second, so one can fire up to
      // 0.5 s late (more on a busy machine), and a slow answer must not arrive inside that slack.
      slowMs: 2_500,
      stallMs: 5_000,
      bytes: 1024 * 1024,
    });
    await emulator.control('/requests', 'DELETE');
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    const unclassified: string[] = [];
    let stuck = 0;
    let slowest = 0;
    let started = 0;
    const t0 = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (started < RESPONSES) {
            const n = started++;
            const call =
              n % 2 === 0
                ? client.call('GET', '/advertiser/info/', { query: { advertiser_ids: ids } })
                : client.getAdvertiserInfo(ids);
            const begun = performance.now();
            let timer: NodeJS.Timeout | undefined;
            const outcome = await Promise.race([
              call.then(
                () => 'ok',
                (error: unknown) => {
                  if (
                    !isTikTokError(error) ||
                    !(FAILURE_KINDS as readonly string[]).includes(error.diagnosis.kind)
                  ) {
                    unclassified.push(String((error as Error)?.stack ?? error).slice(0, 300));
                    return 'unclassified';
                  }
                  return `${error.diagnosis.kind}:${error.code}`;
                },
              ),
              new Promise<string>((resolve) => {
                timer = setTimeout(() => resolve('stuck'), STUCK_MS);
              }),
            ]);
            clearTimeout(timer);
            slowest = Math.max(slowest, performance.now() - begun);
            if (outcome === 'stuck') stuck++;
            count(outcome);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      // The emulator logs a slow answer when it sends it, after the client gave up on it.
      const { total, requests } = await eventually(async () => {
        const log = await emulator.control<{ total: number; requests: Array<{ fault: string | null }> }>(
          '/requests',
        );
        return log.total >= RESPONSES ? log : null;
      }, 'the emulator to log every response');
      const faults = new Map<string, number>();
      for (const r of requests) faults.set(r.fault ?? 'none', (faults.get(r.fault ?? 'none') ?? 0) + 1);

      expect(unclassified).toEqual([]);
      expect(stuck).toBe(0);
      expect(total).toBe(RESPONSES);
      // Every good response was a result and every broken one an error: nothing slipped through either way.
      expect(outcomes.get('ok')).toBe(faults.get('none'));
      expect(RESPONSES - (outcomes.get('ok') ?? 0)).toBe(RESPONSES - (faults.get('none') ?? 0));

      // And each as what it was: the diagnoses add up, code by code, to the faults the emulator served.
      const served = (...kinds: string[]) => kinds.reduce((sum, k) => sum + (faults.get(k) ?? 0), 0);
      const got = (key: string) => outcomes.get(key) ?? 0;
      expect({
        reset: got('transient:ADW_NETWORK_RESET'),
        html: got('transient:ADW_HTTP_SERVER_ERROR'),
        huge: got('transient:ADW_BODY_TOO_LARGE'),
        outage: got('transient:50002'),
        timeout: got('transient:ADW_NETWORK_TIMEOUT'),
        unknownCode: got('unknown:48765'),
        notJson: got('transient:ADW_BODY_NOT_JSON'),
        malformed: got('transient:ADW_ENVELOPE_MALFORMED'),
      }).toEqual({
        reset: served('connectionReset'),
        html: served('gatewayHtml'),
        huge: served('hugeBody'),
        outage: served('outage'),
        timeout: served('slow', 'stalledBody'),
        unknownCode: served('malformedBody:unknown_code'),
        notJson: served(
          'truncatedJson',
          'malformedBody:empty',
          'malformedBody:html_200',
          'malformedBody:not_json',
        ),
        malformed: served(
          'malformedBody:array',
          'malformedBody:code_as_string',
          'malformedBody:missing_code',
          'malformedBody:no_data',
          'malformedBody:null',
          'malformedBody:wrong_shape',
        ),
      });

      await emulator.control('/faults', 'DELETE');
      const after = await Promise.all(Array.from({ length: 100 }, () => client.getAdvertiserInfo(ids)));
      expect(after.every((list) => list.length === ids.length)).toBe(true);
      t.figures({
        seconds: Number(seconds.toFixed(1)),
        slowest_call_ms: Math.round(slowest),
        stuck: 0,
        unclassified: 0,
        results: outcomes.get('ok'),
        errors_by_kind_and_code: Object.fromEntries([...outcomes].filter(([k]) => k !== 'ok').sort()),
        responses_by_fault: Object.fromEntries([...faults].sort()),
      });
    } finally {
      await emulator.control('/faults', 'DELETE');
      await client.close();
    }
  }, 300_000);
});

describe('emulator chaos against the monitor', () => {
  let stack: Stack;
  let run: MonitorRun;

  beforeAll(async () => {
    stack = await startStack('pglite', { env: { ADWARDEN_SWEEP_INTERVAL: '1s' } });
    await stack.connectEach(3);
    run = await startMonitor(stack.services, { tickMs: 100, jobsSchema: 'pgboss_chaos' });
  }, 60_000);

  afterAll(async () => {
    await run?.stop();
    await stack?.close();
  });

  it('never condemns a token for garbage from upstream, and recovers when it stops', async () => {
    const t = trial('faults', {
      area: 'Upstream chaos',
      tried:
        'sweeps of three connections every second while every TikTok answer is broken at random, for 15 s',
      expected:
        'no connection marked for re-auth and no auth incident (evidence before destruction); every probe finishes and releases its lease; all healthy again once the chaos stops',
    });
    const before =
      (await stack.services.monitor.checkHistory((await stack.services.connections.list())[0]!.id, 3_600_000))
        ?.length ?? 0;
    await stack.emulator.control.fault({
      type: 'chaos',
      rate: 1,
      slowMs: 3_000,
      stallMs: 10_000,
      bytes: 4 * 1024 * 1024,
    });
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    await stack.emulator.control.clearFaults();
    const connections = await stack.services.connections.list();
    expect(connections.map((c) => c.status).filter((s) => s === 'needs_reauth' || s === 'revoked')).toEqual(
      [],
    );
    const healthy = await eventually(
      async () => {
        const list = await stack.services.connections.list();
        return list.every((c) => c.status === 'healthy') ? list : null;
      },
      'every connection healthy again',
      60_000,
    );
    const incidents = await stack.services.incidents.list();
    expect(
      incidents.filter((i) => i.kind === 'auth' || i.kind === 'environment' || i.kind === 'app_credentials'),
    ).toEqual([]);
    const leases = await stack.database.db
      .selectFrom('connections')
      .select('probe_lease_until')
      .where('probe_lease_until', 'is not', null)
      .execute();
    await eventually(async () => {
      const held = await stack.database.db
        .selectFrom('connections')
        .select('probe_lease_until')
        .where('probe_lease_until', 'is not', null)
        .execute();
      return held.length === 0;
    }, 'every probe lease released');
    const checks = await stack.database.db
      .selectFrom('checks')
      .select((eb) => ['outcome', eb.fn.countAll<number>().as('n')])
      .groupBy('outcome')
      .execute();
    t.figures({
      connections: healthy.length,
      checks_by_outcome: Object.fromEntries(checks.map((c) => [c.outcome, Number(c.n)])),
      incidents_opened: Object.fromEntries(
        [...new Set(incidents.map((i) => i.kind))].map((k) => [
          k,
          incidents.filter((i) => i.kind === k).length,
        ]),
      ),
      leases_held_when_chaos_stopped: leases.length,
      checks_before: before,
    });
  }, 120_000);
});
