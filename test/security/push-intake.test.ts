import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';

/** The public push intake (/webhooks/tiktok): only TikTok's signed, fresh deliveries get in, once. */
describe('push intake', () => {
  let stack: Stack;
  let subscriptionId: string;
  let advertiserId: string;

  beforeAll(async () => {
    stack = await startStack('pglite');
    advertiserId = (await stack.emulator.control.state()).advertisers.find((a) =>
      a.app_ids.includes(stack.app.app_id),
    )!.advertiser_id;
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, {
      advertiserIds: [advertiserId],
    });
    const connectionId = (await stack.services.connections.list()).at(-1)!.id;
    await stack.services.push.subscribe(connectionId);
    subscriptionId = (await stack.services.push.list()).find(
      (s) => s.entity === 'AD_ACCOUNT_SUSPENSION',
    )!.subscription_id;
  }, 60_000);
  afterAll(() => stack?.close());

  const body = (status: string) =>
    JSON.stringify({
      subscription_id: subscriptionId,
      subscribe_entity: 'AD_ACCOUNT_SUSPENSION',
      content: { advertiser_id: advertiserId, status },
    });
  const sign = (text: string, secret: string, t = Math.floor(Date.now() / 1000)) =>
    `t=${t},s=${createHmac('sha256', secret).update(`${t}.${text}`).digest('hex')}`;
  const post = (text: string, signature?: string) =>
    fetch(`${stack.address}/webhooks/tiktok`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'tiktok-signature': signature } : {}),
      },
      body: text,
    });
  const suspended = async () =>
    (await stack.services.incidents.list()).filter((i) => i.kind === 'account_status');

  it('refuses deliveries that are unsigned, signed with another secret, replayed late or too large', async () => {
    trial('security', {
      area: 'Push intake',
      tried:
        'a suspension delivery unsigned, signed with a wrong secret, signed an hour ago, a body changed after signing, and 300 KB of junk',
      expected: '401 (413 for the junk); no incident opens',
    });
    const text = body('STATUS_DISABLE');
    const answers = [
      (await post(text)).status,
      (await post(text, sign(text, 'a-guessed-secret'))).status,
      (await post(text, sign(text, stack.app.secret, Math.floor(Date.now() / 1000) - 3600))).status,
      (await post(body('STATUS_LIMIT'), sign(text, stack.app.secret))).status,
      (await post('x'.repeat(300 * 1024), sign('x', stack.app.secret))).status,
    ];
    expect(answers).toEqual([401, 401, 401, 401, 413]);
    expect(await suspended()).toEqual([]);
  });

  it('takes a genuine delivery in once, however often TikTok sends it, and never echoes the secret', async () => {
    trial('security', {
      area: 'Push intake',
      tried: 'one genuine delivery sent five times (TikTok delivers at least once)',
      expected:
        'the first is applied, the rest answered 200 as duplicates; one incident; no secret in any answer',
    });
    const text = body('STATUS_LIMIT');
    const signature = sign(text, stack.app.secret);
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const response = await post(text, signature);
      answers.push([response.status, await response.text()]);
    }
    expect(answers.map(([status]) => status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.filter(([, text]) => String(text).includes('duplicate'))).toHaveLength(4);
    expect(answers.some(([, text]) => String(text).includes(stack.app.secret))).toBe(false);
    expect(await suspended()).toHaveLength(1);
  });
});
