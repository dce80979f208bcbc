import { describe, expect, it } from 'vitest';
import type { ClientEvents } from '../../src/index.ts';
import { clientAndEmulator, failure } from './helpers.ts';

describe('client: pacing', () => {
  it('keeps 60 concurrent calls within the app tier: not one 40100', async () => {
    const t = await clientAndEmulator({ tier: 'ultimate' }, { tier: 'ultimate' });
    try {
      await Promise.all(Array.from({ length: 60 }, () => t.client.getUserInfo()));
      const codes = (await t.emulator.control.requests()).map((r) => r.code);
      expect(codes).toHaveLength(60);
      expect(codes.filter((c) => c !== 0)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('slows down when TikTok says 40100 and succeeds once the limit clears', async () => {
    const t = await clientAndEmulator({ tier: 'ultimate' }, { tier: 'ultimate' });
    const limited: Array<ClientEvents['rateLimited']> = [];
    t.client.on('rateLimited', (e) => limited.push(e));
    try {
      await t.emulator.control.fault({ type: 'throttle', code: 40100, durationMs: 300 });
      await expect(t.client.getUserInfo()).resolves.toBeDefined();
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]).toMatchObject({ code: 40100, scope: 'app', window: 'second' });
      expect(limited[0]!.waitMs).toBeLessThanOrEqual(1_000);
    } finally {
      await t.close();
    }
  });

  it('holds one advertiser’s path after 40133 without slowing the rest of the app', async () => {
    const t = await clientAndEmulator({ tier: 'ultimate' }, { tier: 'ultimate' });
    const limited: Array<ClientEvents['rateLimited']> = [];
    t.client.on('rateLimited', (e) => limited.push(e));
    try {
      await t.emulator.control.fault({
        type: 'throttle',
        code: 40133,
        durationMs: 200,
        paths: ['/campaign/get/'],
      });
      const id = t.token.advertiser_ids[0]!;
      const campaigns = t.client.campaigns(id).next();
      await expect(t.client.getUserInfo()).resolves.toBeDefined();
      await expect(campaigns).resolves.toMatchObject({ done: false });
      expect(limited[0]).toMatchObject({ code: 40133, scope: 'advertiser', advertiserId: id });
    } finally {
      await t.close();
    }
  });

  it('fails fast with retryAt = next 00:00 UTC once the daily limit is evident', async () => {
    let skew = 0;
    const now = () => Date.now() + skew;
    const t = await clientAndEmulator(
      { tier: 'ultimate' },
      { tier: 'ultimate', now, retry: { maxRateLimitedAttempts: 1 } },
    );
    try {
      await t.emulator.control.fault({ type: 'throttle', code: 40100 });
      expect((await failure(t.client.getUserInfo())).diagnosis.retryAt).toBeUndefined();
      skew += 11 * 60_000; // ten minutes of 40100 without relief
      const daily = await failure(t.client.getUserInfo());
      const midnight = new Date(Math.floor(now() / 86_400_000) * 86_400_000 + 86_400_000).toISOString();
      expect(daily.diagnosis.retryAt).toBe(midnight);
      const sent = (await t.emulator.control.requests()).length;
      const parked = await failure(t.client.getUserInfo());
      expect(parked.diagnosis).toMatchObject({ kind: 'rate_limited', retryAt: midnight });
      expect((await t.emulator.control.requests()).length).toBe(sent);
    } finally {
      await t.close();
    }
  });
});

describe('client: circuit breaker', () => {
  it('opens after consecutive transient failures, fails fast, probes half-open, and closes', async () => {
    let clock = Date.now();
    const t = await clientAndEmulator(
      {},
      { retry: { maxAttempts: 1 }, breaker: { threshold: 3, halfOpenAfterMs: 5_000 }, now: () => clock },
    );
    const changes: string[] = [];
    t.client.on('breakerStateChange', (e) => changes.push(`${e.from}->${e.to}`));
    try {
      await t.emulator.control.fault({ type: 'outage', code: 50002 });
      for (let i = 0; i < 3; i++) expect((await failure(t.client.getUserInfo())).code).toBe(50002);
      expect(t.client.breakerState()).toBe('open');
      await t.emulator.control.clearRequests();
      const fast = await failure(t.client.getUserInfo());
      expect(fast).toMatchObject({ code: 'ADW_CIRCUIT_OPEN', name: 'TikTokTransportError' });
      expect(await t.emulator.control.requests()).toHaveLength(0);
      expect(fast.diagnosis.retryAfterMs).toBe(5_000);
      await t.emulator.control.clearFaults();
      clock += 4_999;
      expect((await failure(t.client.getUserInfo())).code).toBe('ADW_CIRCUIT_OPEN');
      clock += 1;
      await expect(t.client.getUserInfo()).resolves.toBeDefined();
      expect(t.client.breakerState()).toBe('closed');
      expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    } finally {
      await t.close();
    }
  });

  it('does not count rate limits or auth errors as outages', async () => {
    const t = await clientAndEmulator({}, { retry: { maxAttempts: 1 }, breaker: { threshold: 2 } });
    try {
      for (let i = 0; i < 4; i++)
        await failure(t.client.call('GET', '/user/info/', { accessToken: 'revoked-or-unknown' }));
      expect(t.client.breakerState()).toBe('closed');
    } finally {
      await t.close();
    }
  });
});

describe('client: per-call attempt caps', () => {
  it('sends no more requests than a call’s maxAttempts during an outage', async () => {
    // The client keeps the catalog's limit (10 for 50002); the call asks for two.
    const t = await clientAndEmulator({}, { breaker: { threshold: 1_000 } });
    try {
      await t.emulator.control.fault({ type: 'outage', code: 50002 });
      const error = await failure(t.client.call('GET', '/user/info/', { maxAttempts: 2 }));
      expect(error.code).toBe(50002);
      expect(error.attempts).toBe(2);
      expect(await t.emulator.control.requestCount()).toBe(2);
      // Without a cap the catalog's ten apply.
      await t.emulator.control.clearRequests();
      await failure(t.client.call('GET', '/user/info/'));
      expect(await t.emulator.control.requestCount()).toBe(10);
    } finally {
      await t.close();
    }
  });

  it('never raises the attempts above the client’s own cap', async () => {
    const t = await clientAndEmulator({}, { retry: { maxAttempts: 3, random: () => 0, delayScale: 0 } });
    try {
      await t.emulator.control.fault({ type: 'outage', code: 50002 });
      await failure(t.client.call('GET', '/user/info/', { maxAttempts: 8 }));
      expect(await t.emulator.control.requestCount()).toBe(3);
    } finally {
      await t.close();
    }
  });
});
