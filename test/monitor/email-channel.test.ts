import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';
import { startSmtpProcess } from '../support/smtp-process.ts';
import { eventually } from '../support/webhook-sink.ts';

describe('the email channel, against a real SMTP server process', () => {
  let stack: Stack;
  let smtp: Awaited<ReturnType<typeof startSmtpProcess>>;

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    stack = await startStack('pglite');
  }, 60_000);

  afterAll(async () => {
    smtp?.stop();
    await stack?.close();
  });

  it('mails the incident with its fix and re-auth link to the channel and to the connection owner, once', async () => {
    const advertiserIds = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 2)
      .map((a) => a.advertiser_id);
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}&owner=owner@example.com`, {
      advertiserIds,
    });
    const [connection] = await stack.services.connections.list();
    const channel = await stack.services.notifications.addChannel({
      name: 'ops-mail',
      kind: 'email',
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      from: 'adwarden <alerts@example.com>',
      to: ['ops@example.com'],
      min_severity: 'high',
    });
    expect(channel.destination).toBe(`ops@example.com via 127.0.0.1:${smtp.port}`);
    await stack.emulator.control.fault({ type: 'revokeToken', advertiserId: advertiserIds[0]!, by: 'user' });
    const probe = await stack.services.monitor.probe(connection!.id, 'test');
    expect(probe.opened).toHaveLength(1);
    for (const id of await stack.services.notifications.due()) await stack.services.notifications.deliver(id);
    const [mail] = await eventually(() => (smtp.mails.length ? smtp.mails : null), 'the email');
    expect(mail!.to.sort()).toEqual(['ops@example.com', 'owner@example.com']);
    expect(mail!.subject).toMatch(/^\[critical\] New: auth/);
    expect(mail!.raw).toMatch(/Re-authorize here: http:\/\/127\.0\.0\.1:\d+\/reauth\//);
    expect(mail!.raw).toContain('What to do:');
    // A second delivery attempt of the same notification sends nothing.
    for (const n of await stack.services.notifications.notifications())
      expect(await stack.services.notifications.deliver(n.id)).toBe('not_claimed');
    expect(smtp.mails).toHaveLength(1);
  });
});
