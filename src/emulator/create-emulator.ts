import { createEmulatorClock, type EmulatorClock } from './clock.ts';
import { createIdFactory } from './ids.ts';
import type { PushAttempt } from './push.ts';
import { startPushHub } from './push-hub.ts';
import { createRateLimiter } from './rate-limits.ts';
import { createRequestLog, type LoggedRequest } from './request-log.ts';
import { loadScenario, parseScenario, type Scenario } from './scenario.ts';
import { type ScenarioRun, startScenario } from './scenario-runner.ts';
import { seedDemo } from './seed.ts';
import { loadSeedFile, type SeedInput, seedFromFile } from './seed-file.ts';
import { buildEmulatorServer, type EmulatorRuntime } from './server.ts';
import { createState, type EmulatorState, type Tier } from './state.ts';
import { STATUS_FEED_PATH } from './status-feed.ts';

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** `demo`, `empty`, a seed file's path, or its parsed content. @default 'demo' */
  seed?: 'demo' | 'empty' | string | SeedInput;
  /** A scenario to start once listening: a shipped name, a file path, or a scenario object. */
  scenario?: string | Scenario | unknown[];
  /** How long uploaded videos take to transcode (emulator time). @default 20000 */
  videoProcessingMs?: number;
  /** Rate tier of the seeded apps; `none` switches limits off. @default 'basic' */
  tier?: Tier;
  /** Emulator time at start (epoch ms). @default the real time */
  startTime?: number;
  /** Clock speed factor. @default 1 */
  speed?: number;
  /** Randomness for fault rates (0 ≤ r < 1). @default Math.random */
  random?: () => number;
}

/** The operations of the control API, callable from code. */
export interface EmulatorControl {
  state(): Promise<ControlState>;
  issueToken(
    appId: string,
    advertiserIds?: string[],
  ): Promise<{ access_token: string; advertiser_ids: string[] }>;
  authorize(input: {
    app_id: string;
    redirect_uri: string;
    state?: string;
    advertiser_ids?: string[];
    regime?: 'advertiser' | 'tt_user';
  }): Promise<{ redirect: string }>;
  /** Adds a redirect URI to an app, as a developer does in TikTok's portal. */
  allowRedirectUri(appId: string, redirectUri: string): Promise<{ app_id: string; redirect_uris: string[] }>;
  fault(fault: Record<string, unknown>): Promise<Record<string, unknown>>;
  clearFaults(): Promise<{ cleared: number }>;
  requests(): Promise<LoggedRequest[]>;
  /** How many API requests arrived since the log was last cleared (the log keeps the last 10,000). */
  requestCount(): Promise<number>;
  clearRequests(): Promise<void>;
  /** Starts a scenario (shipped name, file path or scenario object), replacing any running one. */
  startScenario(scenario: string | Scenario | unknown[]): Promise<ScenarioStatus>;
  /** The running (or last) scenario and how each step went. */
  scenario(): Promise<ScenarioStatus | null>;
  /** Moves the emulator clock forward (due scenario steps run at once). */
  advanceClock(ms: number): Promise<{ now: string }>;
  /** Push deliveries attempted (Subscription API), oldest first: what each receiver answered. */
  pushes(): PushAttempt[];
}

/** What GET /__control/scenario returns. */
export interface ScenarioStatus {
  name: string;
  description: string;
  started_at: string;
  finished: boolean;
  steps: ScenarioRun['steps'];
}

/** What GET /__control/state returns. */
export interface ControlState {
  now: string;
  apps: Array<{
    app_id: string;
    secret: string;
    name: string;
    environment: 'production' | 'sandbox';
    tier: Tier;
    redirect_uris: string[];
  }>;
  advertisers: Array<{
    advertiser_id: string;
    name: string;
    status: string;
    app_ids: string[];
    /** IANA zone its reports are stamped in. */
    timezone: string;
    deleted: boolean;
  }>;
  tokens: Array<{
    access_token: string;
    app_id: string;
    environment: string;
    regime: string;
    advertiser_ids: string[];
    status: string;
    revoked_by: string | null;
    scope: number[];
    issued_at: string;
    /** tt_user tokens only. */
    refresh_token?: string | null;
    open_id?: string | null;
    expires_at?: string | null;
    refresh_expires_at?: string | null;
  }>;
  faults: unknown[];
}

/** A running emulator. */
export interface Emulator {
  /** Base URL of the production environment, e.g. `http://127.0.0.1:PORT/open_api/v1.3`. */
  url: string;
  /** Base URL of the sandbox environment. */
  sandboxUrl: string;
  /** TikTok's API status RSS feed, as the emulator serves it. */
  statusFeedUrl: string;
  /** The server's origin, e.g. `http://127.0.0.1:PORT` (portal and control API live here). */
  origin: string;
  control: EmulatorControl;
  clock: EmulatorClock;
  close(): Promise<void>;
}

/**
 * Starts a TikTok API for Business look-alike with fault injection on a local port.
 * @example
 * const emulator = await createEmulator({ seed: 'demo' });
 * const { tokens } = await emulator.control.state();
 */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = createEmulatorClock({ start: options.startTime, speed: options.speed });
  const state = createState();
  await seedWorld(state, options, clock.now());
  const initialScenario =
    options.scenario === undefined
      ? undefined
      : typeof options.scenario === 'string'
        ? await loadScenario(options.scenario)
        : parseScenario(options.scenario);
  let origin = '';
  let faultId = 0;
  const runtime: EmulatorRuntime = {
    state,
    clock,
    limiter: createRateLimiter(),
    log: createRequestLog(),
    faults: [],
    ids: createIdFactory('adwarden-emulator'),
    random: options.random ?? Math.random,
    baseUrl: () => origin,
    nextFaultId: () => ++faultId,
    consentRequests: [],
    scenario: null,
  };
  const app = buildEmulatorServer(runtime);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  origin = address.replace('[::1]', 'localhost');
  if (initialScenario) runtime.scenario = startScenario(runtime, initialScenario);
  const pushHub = startPushHub(runtime);

  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<T> => {
    const response = await app.inject({ method, url, payload: payload as never });
    const body = response.json() as T & { error?: string };
    if (response.statusCode >= 400)
      throw new Error(body.error ?? `${method} ${url} answered ${response.statusCode}`);
    return body;
  };
  return {
    url: `${origin}/open_api/v1.3`,
    sandboxUrl: `${origin}/sandbox/open_api/v1.3`,
    origin,
    clock,
    control: {
      state: () => call('GET', '/__control/state'),
      issueToken: (appId, advertiserIds) =>
        call('POST', '/__control/tokens', {
          app_id: appId,
          ...(advertiserIds ? { advertiser_ids: advertiserIds } : {}),
        }),
      authorize: (input) => call('POST', '/__control/authorize', input),
      allowRedirectUri: (appId, redirectUri) =>
        call('POST', '/__control/redirect-uris', { app_id: appId, redirect_uri: redirectUri }),
      fault: (fault) => call('POST', '/__control/faults', fault),
      clearFaults: () => call('DELETE', '/__control/faults'),
      requests: async () =>
        (await call<{ requests: LoggedRequest[] }>('GET', '/__control/requests')).requests,
      requestCount: async () => (await call<{ total: number }>('GET', '/__control/requests')).total,
      clearRequests: async () => {
        await call('DELETE', '/__control/requests');
      },
      startScenario: async (scenario) => {
        const parsed = typeof scenario === 'string' ? await loadScenario(scenario) : parseScenario(scenario);
        runtime.scenario?.stop();
        runtime.scenario = startScenario(runtime, parsed);
        return call('GET', '/__control/scenario');
      },
      scenario: () => call('GET', '/__control/scenario'),
      advanceClock: (ms) => call('POST', '/__control/clock', { advanceMs: ms }),
      pushes: () => [...state.pushLog],
    },
    statusFeedUrl: `${origin}${STATUS_FEED_PATH}`,
    close: async () => {
      runtime.scenario?.stop();
      pushHub.stop();
      await app.close();
    },
  };
}

/** Fills the world from the options' seed (demo, empty, a file, or a seed object). */
async function seedWorld(state: EmulatorState, options: EmulatorOptions, now: number) {
  const seed = options.seed ?? 'demo';
  const seedOptions = { now, tier: options.tier ?? 'basic' };
  if (seed === 'demo') seedDemo(state, seedOptions);
  else if (typeof seed === 'object') seedFromFile(state, seed, seedOptions);
  else if (seed !== 'empty') seedFromFile(state, await loadSeedFile(seed), seedOptions);
  if (options.videoProcessingMs !== undefined) state.videoProcessing.delayMs = options.videoProcessingMs;
}
