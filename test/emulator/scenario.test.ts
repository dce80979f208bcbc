import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, SHIPPED_SCENARIOS } from '../../src/emulator/index.ts';
import { eventually } from '../support/webhook-sink.ts';
import { startEmulator } from './helpers.ts';

const problemsOf = (input: unknown): string[] => {
  try {
    parseScenario(input, 'test.json');
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
};

describe('scenario validation', () => {
  it('names the step and the reason for every bad step', () => {
    const problems = problemsOf([
      { at: '10s', do: 'revokeToken', token: '$token:0' },
      { at: 'soon', do: 'clearFaults' },
      { at: '5s', do: 'meteorStrike' },
      { at: '5s', do: 'outage', code: 404 },
      { at: '5s', do: 'withdrawPermission', path: 'advertiser/info' },
      { at: '5s', do: 'clearFaults', extra: true },
      { do: 'rejectAd' },
    ]);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^step 2 at: "soon" is not a duration/);
    expect(problems[1]).toMatch(/^step 3 .*unknown action "meteorStrike"; use one of outage/);
    expect(problems[2]).toMatch(/^step 4 \(outage at 5s\) code:/);
    expect(problems[3]).toMatch(/^step 5 \(withdrawPermission at 5s\) path:/);
    expect(problems[4]).toMatch(/^step 5 \(withdrawPermission at 5s\) path: .*end with "\/"/);
    expect(problems[5]).toMatch(/^step 6 .*clearFaults takes no parameters \(got extra\)/);
    expect(problems[6]).toBe('step 7 at: required: when the step runs, e.g. "30s"');
  });

  it('refuses an empty or malformed document and accepts both forms', () => {
    expect(problemsOf([])[0]).toMatch(/at least one step/);
    expect(problemsOf({ steps: [], colour: 'red' }).join(' ')).toMatch(/colour|at least one step/);
    expect(problemsOf('nope')[0]).toMatch(/^scenario/);
    const bare = parseScenario([
      { at: '2m', do: 'clearFaults' },
      { at: 1000, do: 'outage' },
    ]);
    expect(bare.steps.map((s) => s.at)).toEqual([1000, 120_000]);
    const named = parseScenario({ name: 'x', description: 'y', steps: [{ at: '1s', do: 'clearFaults' }] });
    expect(named).toMatchObject({ name: 'x', description: 'y' });
  });
});

describe('scenario runner', () => {
  const started: Array<{ close(): Promise<void> }> = [];
  afterAll(() => Promise.all(started.map((e) => e.close())));

  it('runs steps when the emulator clock reaches them, and advanceClock does not pull later steps forward', async () => {
    const t = await startEmulator();
    started.push(t.emulator);
    await t.emulator.control.startScenario([
      { at: '10s', do: 'suspendAccount', advertiserId: '$advertiser:0' },
      { at: '20s', do: 'advanceClock', by: '30d' },
      { at: '40s', do: 'clearFaults' },
    ]);
    const statuses = async () => (await t.emulator.control.scenario())!.steps.map((s) => s.status);
    expect(await statuses()).toEqual(['pending', 'pending', 'pending']);
    await t.emulator.control.advanceClock(10_000);
    expect(await statuses()).toEqual(['done', 'pending', 'pending']);
    expect((await t.emulator.control.state()).advertisers[0]!.status).toBe('STATUS_LIMIT');
    await t.emulator.control.advanceClock(10_000);
    expect(await statuses()).toEqual(['done', 'done', 'pending']);
    await t.emulator.control.advanceClock(20_000);
    const status = (await t.emulator.control.scenario())!;
    expect(status.finished).toBe(true);
  });

  it('reports a step that cannot apply as failed, with the reason', async () => {
    const t = await startEmulator({ seed: 'empty' });
    started.push(t.emulator);
    await t.emulator.control.startScenario([{ at: '0s', do: 'revokeToken', token: '$token:3' }]);
    const step = await eventually(async () => {
      const [first] = (await t.emulator.control.scenario())!.steps;
      return first?.status === 'pending' ? null : first;
    }, 'the step to run');
    expect(step).toMatchObject({ status: 'failed', error: expect.stringContaining('$token:3') });
  });

  it('grants a consent someone opened and follows the redirect to the integration', async () => {
    const callbacks: string[] = [];
    const integration = createServer((request, response) => {
      callbacks.push(request.url ?? '');
      response.end('ok');
    });
    integration.listen(0, '127.0.0.1');
    await once(integration, 'listening');
    const callback = `http://127.0.0.1:${(integration.address() as AddressInfo).port}/oauth/tiktok/callback`;
    const t = await startEmulator({
      seed: {
        apps: [
          {
            app_id: '7100000000000000001',
            secret: 'seed-secret-1',
            name: 'Mine',
            environment: 'production',
            redirect_uris: [callback],
          },
        ],
        advertisers: [
          {
            advertiser_id: '7200000000000000001',
            name: 'Shop',
            app_ids: ['7100000000000000001'],
            status: 'STATUS_ENABLE',
            currency: 'USD',
            timezone: 'UTC',
            balance: 10,
            campaigns: false,
          },
        ],
        authorizations: [],
      },
    });
    started.push(t.emulator, { close: async () => void integration.close() });
    await t.emulator.control.startScenario([{ at: '0s', do: 'authorize', appId: '$production' }]);
    expect(
      await eventually(async () => {
        const status = (await t.emulator.control.scenario())!.steps[0]!.status;
        return status === 'pending' ? null : status;
      }, 'the step to start'),
    ).toBe('waiting');

    const page = await fetch(
      `${t.emulator.origin}/portal/auth?app_id=7100000000000000001&state=xyz&redirect_uri=${encodeURIComponent(callback)}`,
    );
    expect(page.status).toBe(200);
    await t.emulator.control.advanceClock(1);
    await expect.poll(() => callbacks.length).toBe(1);
    const query = new URL(callbacks[0]!, 'http://x').searchParams;
    expect(query.get('state')).toBe('xyz');
    const exchanged = await t.post('/oauth2/access_token/', {
      app_id: '7100000000000000001',
      secret: 'seed-secret-1',
      auth_code: query.get('auth_code'),
    });
    expect(exchanged.body.data.advertiser_ids).toEqual(['7200000000000000001']);
    expect(JSON.stringify(await t.emulator.control.scenario())).not.toContain(query.get('auth_code'));
  });

  it.each(SHIPPED_SCENARIOS)('runs the shipped scenario %s to the end on the demo seed', async (name) => {
    const t = await startEmulator();
    started.push(t.emulator);
    await t.emulator.control.startScenario(name);
    await fetch(
      `${t.emulator.origin}/portal/auth?app_id=${t.production.app_id}&state=s&redirect_uri=${encodeURIComponent('http://127.0.0.1:7420/oauth/tiktok/callback')}`,
    );
    for (let i = 0; i < 12; i++) await t.emulator.control.advanceClock(60_000);
    const status = (await t.emulator.control.scenario())!;
    expect(status.steps.filter((s) => s.status !== 'done')).toEqual([]);
    expect(status.finished).toBe(true);
  });
});
