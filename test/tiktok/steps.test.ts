import { describe, expect, it } from 'vitest';
import { classify } from '../../src/catalog/index.ts';
import type { Call, Envelope } from '../../src/tiktok/call.ts';
import { TikTokApiError } from '../../src/tiktok/errors.ts';
import { createEvents } from '../../src/tiktok/events.ts';
import { authStep, fixedAccessToken } from '../../src/tiktok/steps/auth.ts';
import { breakerStep } from '../../src/tiktok/steps/breaker.ts';
import { paceStep } from '../../src/tiktok/steps/pace.ts';
import { retryStep } from '../../src/tiktok/steps/retry.ts';

// Each step alone, against a hand-written `next` that answers from a script.
const OK: Envelope = { code: 0, message: 'OK', request_id: 'r', data: {} };
const call = (overrides: Partial<Call> = {}): Call => ({
  method: 'GET',
  path: '/advertiser/info/',
  replaySafe: true,
  auth: 'token',
  deadline: performance.now() + 60_000,
  attempt: 1,
  startedAt: performance.now(),
  ...overrides,
});
const apiError = (code: number, message = '') =>
  new TikTokApiError(classify({ code, message, request_id: 'r' }), { method: 'GET', endpoint: '/x/' }, 1);
function script(...answers: Array<number | 'ok'>) {
  const seen: Call[] = [];
  const next = async (c: Call) => {
    seen.push(c);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
    if (answer === 'ok') return OK;
    throw apiError(answer!);
  };
  return { seen, next };
}

describe('retry step', () => {
  const step = retryStep({ events: createEvents(), random: () => 0, delayScale: 0 });

  it('retries transient failures of reads until they succeed', async () => {
    const { seen, next } = script(50002, 50002, 'ok');
    await expect(step(call(), next)).resolves.toBe(OK);
    expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3]);
  });

  it('polls not-ready answers, even for writes', async () => {
    const { seen, next } = script(40901, 40901, 'ok');
    await expect(step(call({ method: 'POST', replaySafe: false }), next)).resolves.toBe(OK);
    expect(seen).toHaveLength(3);
  });

  it('never retries auth, permission or request errors, nor writes that are not replay-safe', async () => {
    for (const code of [40105, 40001, 40002]) {
      const { seen, next } = script(code, 'ok');
      await expect(step(call(), next)).rejects.toMatchObject({ code, attempts: 1 });
      expect(seen).toHaveLength(1);
    }
    const { seen, next } = script(50002, 'ok');
    await expect(step(call({ method: 'POST', replaySafe: false }), next)).rejects.toMatchObject({
      code: 50002,
    });
    expect(seen).toHaveLength(1);
  });

  it('stops at the catalog’s attempt limit and reports the attempts', async () => {
    const { seen, next } = script(50002);
    await expect(step(call(), next)).rejects.toMatchObject({ code: 50002, attempts: 10 });
    expect(seen).toHaveLength(10);
  });

  it('starts no attempt after the deadline', async () => {
    const slow = retryStep({ events: createEvents(), random: () => 0.99 });
    const { seen, next } = script(50002, 'ok');
    await expect(slow(call({ deadline: performance.now() + 50 }), next)).rejects.toMatchObject({
      code: 50002,
    });
    expect(seen).toHaveLength(1);
  });
});

describe('breaker step', () => {
  it('opens after the threshold and fails fast without calling next', async () => {
    const events = createEvents();
    const changes: string[] = [];
    events.on('breakerStateChange', (e) => changes.push(e.to));
    const step = breakerStep({ appId: 'a', events, threshold: 2, halfOpenAfterMs: 60_000 });
    const { seen, next } = script(50002);
    await expect(step(call(), next)).rejects.toMatchObject({ code: 50002 });
    await expect(step(call(), next)).rejects.toMatchObject({ code: 50002 });
    await expect(step(call(), next)).rejects.toMatchObject({ code: 'ADW_CIRCUIT_OPEN' });
    expect(seen).toHaveLength(2);
    expect(changes).toEqual(['open']);
  });
});

describe('pace step', () => {
  it('passes straight through with pacing off', async () => {
    const step = paceStep({ appId: 'a', tier: 'none', environment: 'production', events: createEvents() });
    const { next } = script('ok');
    await expect(step(call(), next)).resolves.toBe(OK);
  });

  it('spaces sandbox calls one second apart and reports a 40100 as rateLimited', async () => {
    const events = createEvents();
    const limited: unknown[] = [];
    events.on('rateLimited', (e) => limited.push(e));
    const step = paceStep({ appId: 'a', tier: 'basic', environment: 'sandbox', events });
    const { next } = script(40100, 'ok');
    await expect(step(call(), next)).rejects.toMatchObject({ code: 40100 });
    expect(limited).toEqual([expect.objectContaining({ code: 40100, scope: 'app', window: 'second' })]);
  });
});

describe('auth step', () => {
  it('puts the provider’s token on the call and reports auth failures', async () => {
    const events = createEvents();
    const failures: unknown[] = [];
    const parked: unknown[] = [];
    events.on('authFailure', (e) => failures.push(e.code));
    const step = authStep({
      provider: fixedAccessToken('tok-1'),
      events,
      parkFailedCall: (c) => parked.push(c.path),
    });
    const { seen, next } = script(40105);
    await expect(step(call(), next)).rejects.toMatchObject({ code: 40105 });
    expect(seen[0]!.accessToken).toBe('tok-1');
    expect(failures).toEqual([40105]);
    expect(parked).toEqual(['/advertiser/info/']);
  });
});
