import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, startMonitor } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import { lockDataDir, openDatabase } from '../db/index.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import type { Logger } from '../log/index.ts';
import { buildServer } from '../server/index.ts';
import { readAdminToken, type Services } from '../services/index.ts';
import { Secret } from '../vault/index.ts';
import { startDemoInbox } from './demo-inbox.ts';
import { startCreativePipeline } from './demo-pipeline.ts';
import { buildDemoReport, type DemoReport } from './demo-report.ts';

/** Options of `runDemo`. */
export interface DemoOptions {
  /** A shipped scenario's name or a scenario file. @default 'demo' */
  scenario?: string;
  /** Stop once the scenario has played out and the monitor has settled, and return the report. */
  untilDone?: boolean;
  /** Clock speed (emulator and monitor). @default 10 */
  speed?: number;
  /** Port for the service. @default 0 (a free one) */
  port?: number;
  host?: string;
  logger: Logger;
  /** Called once everything listens (URLs for people to open). */
  onReady?: (info: {
    url: string;
    emulator: string;
    scenario: string;
    connections: number;
    adminToken: string;
    /** A one-time sign-in link to the dashboard. */
    loginLink: string;
  }) => void;
  /** Called with each notification the demo inbox receives (one channel's copy). */
  onNotification?: (entry: { clock: string; headline: string; reauthLink: boolean }) => void;
  /** Emulator time (at the run's speed, jumps not counted) after which an unfinished run stops with `timed_out`. @default 30 min */
  maxEmulatorMs?: number;
  /** Resolves to stop a run without `untilDone`. */
  stop?: Promise<void>;
  /**
   * The operator's data dir: the demo holds its lock (naming its URL) and keeps the admin token there,
   * so management commands run meanwhile (`adwarden incidents list`) talk to the demo. The database
   * stays in memory. @default a throwaway folder
   */
  dataDir?: string;
  /** Called as each scenario step plays (what TikTok does now), and once when the last one has. */
  onStep?: (step: { clock: string; do: string; note: string | null }) => void;
  onScenarioDone?: () => void;
}

// The demo compresses the day: sweeps every 15 s, campaign watch every two, a one-minute quiet period.
const DEMO_MONITOR = { sweep: '15s', watch: '2m', quietMs: 60_000 };

/**
 * `adwarden demo`: the built-in emulator seeded with two apps, five authorizations and 25 advertisers,
 * an embedded service monitoring them on an accelerated clock, and a scenario played against it.
 * Notifications go to a local inbox that plays the owner (it opens the re-auth links it gets). With
 * `untilDone`, returns a report built from what happened in the run.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport | null> {
  const speed = options.speed ?? 10;
  const scenarioName = options.scenario ?? 'demo';
  // The demo world keeps TikTok's Basic tier limits, on its own (fast) clock, as a real install meets them.
  const emulator: Emulator = await createEmulator({ seed: 'demo', speed, tier: 'basic' });
  const now = () => emulator.clock.now();
  const { lock, dataDir } = demoDataDir(options.dataDir);
  const database = await openDatabase({ memory: true });
  let services: Services | null = null;
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const config = demoConfig(dataDir, options, emulator);
    services = await createServices(config, {
      command: 'demo',
      logger: options.logger,
      now,
      database,
      quietMs: DEMO_MONITOR.quietMs,
      // Pacing keeps to each app's tier on the accelerated clock, as the emulator counts it; waits
      // between retries, TikTok's pauses and the breaker's pause follow that clock too. Timeouts stay real.
      clientOptions: { clockSpeed: speed },
    });
    const live = services;
    const server = buildServer(live);
    const address = await server.listen({ port: config.server.port, host: config.server.host });
    live.setPublicUrl(address);
    lock?.setUrl(address);
    closers.push(() => server.close());

    const world = await emulator.control.state();
    await registerApps(live, emulator, world, address);
    const inbox = await startInbox(live, now, options);
    closers.push(() => inbox.close());

    await adoptSeededTokens(live, world);

    await emulator.control.clearRequests();
    const baseline = live.monitor.stats();
    const startedAt = now();
    const run = await startMonitor(live, { tickMs: Math.max(50, Math.round(2_000 / speed)) });
    closers.unshift(() => run.stop());
    const scenario = await emulator.control.startScenario(scenarioName);
    if (options.onStep || options.onScenarioDone) closers.unshift(narrate(emulator, options));
    // Scenarios that break video processing need someone uploading videos: the agency's pipeline.
    const pipeline = scenario.steps.some((s) => s.do === 'videoProcessing')
      ? await startPipeline(live, emulator, world, options.logger)
      : null;
    if (pipeline) closers.unshift(async () => pipeline.stop());
    options.onReady?.(await readyInfo(live, { url: address, emulator, scenario: scenario.name, dataDir }));

    if (!options.untilDone) {
      await (options.stop ?? new Promise<void>(() => {}));
      return null;
    }
    const timedOut = !(await settle(live, emulator, (options.maxEmulatorMs ?? 30 * 60_000) / speed));
    return await buildDemoReport({
      services: live,
      emulator,
      inbox: inbox.entries,
      startedAt,
      timedOut,
      speed,
      baseline,
      workloadCalls: pipeline?.uploads() ?? 0,
    });
  } finally {
    for (const close of closers) await close().catch(() => {});
    await services?.close().catch(() => {});
    await database.close().catch(() => {});
    await emulator.close();
    if (lock) lock.release();
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Waits until the scenario has run every step, then until the monitor is quiet: no open incident that
 * is still recovering, nothing waiting in the outbox, for long enough that every connection was swept
 * twice and watched once since (a campaign watch round comes at most 1.1 intervals apart), plus the
 * quiet period. False when the emulator clock passes the limit first.
 */
async function settle(services: Services, emulator: Emulator, limitRealMs: number): Promise<boolean> {
  let quietSince: number | null = null;
  const sweepMs = services.config.monitor.sweepIntervalMs;
  const watchMs = services.config.monitor.campaignWatchIntervalMs;
  const quietForMs = Math.max(2 * sweepMs, Math.ceil(1.1 * watchMs)) + DEMO_MONITOR.quietMs;
  // Real time: a scenario may jump the clock by months (token expiries).
  const deadline = Date.now() + limitRealMs;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = emulator.clock.now();
    if (Date.now() > deadline) return false;
    const scenario = await emulator.control.scenario();
    if (!scenario?.finished) continue;
    const pending = (await services.notifications.notifications()).some((n) => n.status === 'pending');
    const recovering = (await services.incidents.list({ states: ['open', 'acknowledged'] })).some(
      (i) => i.recovering_since !== null,
    );
    if (pending || recovering) {
      quietSince = null;
      continue;
    }
    quietSince ??= now;
    if (now - quietSince >= quietForMs) return true;
  }
}

type World = Awaited<ReturnType<Emulator['control']['state']>>;

/** The emulator's apps, registered with the service and allowed to send consents back to it. */
async function registerApps(live: Services, emulator: Emulator, world: World, address: string) {
  for (const app of world.apps) {
    await emulator.control.allowRedirectUri(app.app_id, `${address}/oauth/tiktok/callback`);
    await live.apps.register({
      app_id: app.app_id,
      secret: app.secret,
      name: app.name,
      environment: app.environment,
      base_url: app.environment === 'sandbox' ? emulator.sandboxUrl : emulator.url,
      rate_tier: app.tier === 'none' ? 'basic' : app.tier,
    });
  }
}

/** The agency's existing authorizations, adopted as connections (each gets its first check). */
async function adoptSeededTokens(live: Services, world: World) {
  await importSeeded(live, world);
  // The adopted connections hear TikTok's pushes, as ones connected through consent do.
  for (const c of await live.connections.list()) await live.push.subscribe(c.id);
}

async function importSeeded(live: Services, world: World) {
  let owner = 0;
  for (const token of world.tokens.filter((t) => t.status === 'active')) {
    owner++;
    const app = world.apps.find((a) => a.app_id === token.app_id)!;
    await live.connect.importToken({
      appId: token.app_id,
      regime: token.regime as 'advertiser' | 'tt_user',
      accessToken: new Secret(token.access_token),
      refreshToken: token.refresh_token ? new Secret(token.refresh_token) : null,
      accessExpiresAt: token.expires_at ? Date.parse(token.expires_at) : null,
      refreshExpiresAt: token.refresh_expires_at ? Date.parse(token.refresh_expires_at) : null,
      scopes: token.scope,
      openId: token.open_id ?? null,
      ownerContact: `owner${owner}@${app.environment === 'sandbox' ? 'sandbox.' : ''}example.com`,
      ...(app.environment === 'sandbox' ? { advertiserIds: token.advertiser_ids } : {}),
    });
  }
}

/** Scenarios that break video processing need someone uploading videos: the agency's pipeline. */
async function startPipeline(
  live: Services,
  emulator: Emulator,
  world: World,
  logger: DemoOptions['logger'],
) {
  const production = new Set(world.apps.filter((a) => a.environment === 'production').map((a) => a.app_id));
  const target = (await live.connections.list()).find(
    (c) => c.regime === 'advertiser' && production.has(c.app_id),
  );
  const advertiser = target
    ? (await live.connections.show(target.id)).advertiser_list.find((a) => a.granted)
    : undefined;
  if (!target || !advertiser) return null;
  return startCreativePipeline({
    services: live,
    emulator,
    connectionId: target.id,
    advertiserId: advertiser.advertiser_id,
    log: logger,
  });
}

/** The local inbox that plays Slack, a webhook receiver and the owner, with the service's channels to it. */
async function startInbox(live: Services, now: () => number, options: DemoOptions) {
  const inbox = await startDemoInbox({
    now,
    onReauthLink: (url) => void openAsOwner(url, options.logger),
    onEntry: (entry) => {
      if (entry.channel === 'slack')
        options.onNotification?.({
          clock: new Date(entry.at).toISOString().slice(11, 19),
          headline: entry.headline,
          reauthLink: entry.reauth_link !== null,
        });
    },
  });
  await live.notifications.addChannel({ name: 'demo-slack', kind: 'slack', url: inbox.slackUrl });
  const hook = await live.notifications.addChannel({
    name: 'demo-webhook',
    kind: 'webhook',
    url: inbox.webhookUrl,
  });
  if (hook.signing_secret) inbox.setWebhookSecret(hook.signing_secret);
  return inbox;
}

/** The owner clicks the link: our /reauth page sends the browser on to TikTok's consent page. */
async function openAsOwner(link: string, logger: DemoOptions['logger']) {
  try {
    const first = await fetch(link, { redirect: 'manual' });
    await first.body?.cancel();
    const consent = first.headers.get('location');
    if (consent) await (await fetch(consent)).text();
  } catch (error) {
    logger.warn({ err: error }, 'the demo owner could not open a re-auth link');
  }
}

/** The service's configuration in the demo: its own data dir, the compressed day, the local inbox allowed. */
function demoConfig(dataDir: string, options: DemoOptions, emulator: Emulator) {
  return loadConfig({
    env: {
      ADWARDEN_DATA_DIR: dataDir,
      ADWARDEN_HOST: options.host ?? '127.0.0.1',
      ADWARDEN_PORT: String(options.port ?? 0),
      ADWARDEN_SWEEP_INTERVAL: DEMO_MONITOR.sweep,
      ADWARDEN_CAMPAIGN_WATCH_INTERVAL: DEMO_MONITOR.watch,
      // The demo's Slack and webhook receivers are a local inbox.
      ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true',
      // TikTok's status page, as the emulator plays it.
      ADWARDEN_TIKTOK_STATUS_FEED: emulator.statusFeedUrl,
    },
  });
}

/** Tells each step of the scenario as it plays, and when the last one has; returns how to stop. */
function narrate(emulator: Emulator, options: DemoOptions): () => Promise<void> {
  const told = new Set<number>();
  let done = false;
  const timer = setInterval(async () => {
    const scenario = await emulator.control.scenario().catch(() => null);
    if (!scenario) return;
    scenario.steps.forEach((step, index) => {
      if (told.has(index) || step.status !== 'done' || !step.ranAt) return;
      told.add(index);
      options.onStep?.({ clock: step.ranAt.slice(11, 19), do: step.do, note: step.note ?? null });
    });
    if (scenario.finished && !done) {
      done = true;
      options.onScenarioDone?.();
    }
  }, 250);
  timer.unref();
  return async () => clearInterval(timer);
}

/** The operator's data dir, locked, when it is free (another adwarden may hold it); else a throwaway one. */
function demoDataDir(wanted: string | undefined) {
  let lock: ReturnType<typeof lockDataDir> | null = null;
  try {
    lock = wanted ? lockDataDir(wanted, 'demo') : null;
  } catch {
    lock = null;
  }
  return { lock, dataDir: lock ? wanted! : mkdtempSync(join(tmpdir(), 'adwarden-demo-')) };
}

/** Where people look once everything listens. */
async function readyInfo(
  live: Services,
  at: { url: string; emulator: Emulator; scenario: string; dataDir: string },
) {
  return {
    url: at.url,
    emulator: at.emulator.origin,
    scenario: at.scenario,
    connections: (await live.connections.list()).length,
    adminToken: readAdminToken(at.dataDir)?.reveal() ?? '',
    loginLink: (await live.users.loginLink()).url,
  };
}
