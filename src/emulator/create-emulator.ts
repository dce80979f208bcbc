import { createEmulatorClock, type EmulatorClock } from './clock.ts';
import { createIdFactory } from './ids.ts';
import { createRateLimiter } from './rate-limits.ts';
import { createRequestLog, type LoggedRequest } from './request-log.ts';
import { seedDemo } from './seed.ts';
import { buildEmulatorServer, type EmulatorRuntime } from './server.ts';
import { createState, type Tier } from './state.ts';

/** Options of `createEmulator`. */
export interface EmulatorOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** @default 'demo' */
  seed?: 'demo' | 'empty';
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
  }): Promise<{ redirect: string }>;
  fault(fault: Record<string, unknown>): Promise<Record<string, unknown>>;
  clearFaults(): Promise<{ cleared: number }>;
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
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
  }>;
  faults: unknown[];
}

/** A running emulator. */
export interface Emulator {
  /** Base URL of the production environment, e.g. `http://127.0.0.1:PORT/open_api/v1.3`. */
  url: string;
  /** Base URL of the sandbox environment. */
  sandboxUrl: string;
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
  if ((options.seed ?? 'demo') === 'demo')
    seedDemo(state, { now: clock.now(), tier: options.tier ?? 'basic' });
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
  };
  const app = buildEmulatorServer(runtime);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  origin = address.replace('[::1]', 'localhost');

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
      fault: (fault) => call('POST', '/__control/faults', fault),
      clearFaults: () => call('DELETE', '/__control/faults'),
      requests: async () =>
        (await call<{ requests: LoggedRequest[] }>('GET', '/__control/requests')).requests,
      clearRequests: async () => {
        await call('DELETE', '/__control/requests');
      },
    },
    close: () => app.close(),
  };
}
