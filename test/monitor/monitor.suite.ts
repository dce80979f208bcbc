import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MonitorRun, startMonitor } from '../../src/app/index.ts';
import { type Engine, type Stack, startStack } from '../service/stack.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

const MINUTE = 60_000;

/** The monitor end to end: sweep → verified incident → re-auth link to the owner → repair → resolved. */
export function monitorSuite(engine: Engine) {
  describe(`the monitor (${engine})`, () => {
    let stack: Stack;
    let sink: Awaited<ReturnType<typeof startWebhookSink>>;
    let run: MonitorRun;
    let offset = 0;
    let secret = '';
    let connectionId = '';
    let granted: string[] = [];
    const now = () => Date.now() + offset;
    /** Moves the monitor's clock once no job is in flight (a probe started before a jump would record the old time). */
    const jump = async (ms: number) => {
      await eventually(async () => {
        for (const queue of ['adwarden-probe', 'adwarden-watch', 'adwarden-deliver'])
          if (
            (await run.jobs.boss.findJobs(queue, {})).some(
              (j) => j.state !== 'completed' && j.state !== 'failed',
            )
          )
            return false;
        return true;
      }, 'idle workers');
      offset += ms;
    };

    beforeAll(async () => {
      stack = await startStack(engine, { now });
      sink = await startWebhookSink();
      const hook = await stack.services.notifications.addChannel({
        name: 'ops-webhook',
        kind: 'webhook',
        url: `${sink.url}/hook`,
      });
      secret = hook.signing_secret!;
      await stack.services.notifications.addChannel({
        name: 'ops-slack',
        kind: 'slack',
        url: `${sink.url}/slack/T000/B000/XXXX`,
        min_severity: 'high',
      });
      const advertiserIds = (await stack.emulator.control.state()).advertisers
        .filter((a) => a.app_ids.includes(stack.app.app_id))
        .slice(0, 3)
        .map((a) => a.advertiser_id);
      const { page } = await stack.consent(
        `${stack.address}/connect/tiktok?app=${stack.app.app_id}&owner=owner@example.com`,
        { advertiserIds },
      );
      expect(page.status).toBe(200);
      granted = advertiserIds;
      connectionId = (await stack.services.connections.list())[0]!.id;
      run = await startMonitor(stack.services, {
        tickMs: 100,
        jobsSchema: `pgboss_${Math.random().toString(36).slice(2, 8)}`,
      });
    }, 60_000);

    afterAll(async () => {
      await run?.stop();
      await sink?.close();
      await stack?.close();
    });

    it('opens one verified auth incident when the token is revoked, and sends the owner a re-auth link', async () => {
      const [first] = (await stack.services.connections.show(connectionId)).advertiser_list;
      await stack.emulator.control.fault({
        type: 'revokeToken',
        advertiserId: first!.advertiser_id,
        by: 'bc_admin',
      });
      // A parked read, failed on the revoked token, to be re-run after the repair.
      await stack.services.connections
        .call(connectionId, 'GET', '/advertiser/info/', { query: { advertiser_ids: [first!.advertiser_id] } })
        .catch(() => {});
      await jump(6 * MINUTE); // the next sweep is due
      const incident = await eventually(
        async () =>
          (await stack.services.incidents.list({ states: ['open'] })).find((i) => i.kind === 'auth'),
        'an auth incident',
      );
      expect(incident.subject).toMatchObject({ type: 'connection', id: connectionId });
      expect(incident.severity).toBe('critical');
      expect(incident.summary).toMatch(/revoked/);
      expect(incident.actions.map((a) => a.text).join(' ')).toMatch(
        /re-auth link was created and sent to the owner \(to owner@example.com/,
      );
      const connection = await stack.services.connections.show(connectionId);
      expect(connection.status).toBe('needs_reauth');

      const opened = await eventually(
        () => (sink.received.length >= 2 ? sink.received : null),
        'the opened notifications on both channels',
      );
      const hook = opened.find((r) => r.path === '/hook')!;
      const verified = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as {
        type: string;
        data: { reauth_link: { url: string } };
      };
      expect(verified.type).toBe('incident.opened');
      expect(verified.data.reauth_link.url).toMatch(/\/reauth\//);
      const slack = opened.find((r) => r.path.startsWith('/slack'))!;
      const buttons = slack.json.blocks.at(-1).elements.map((b: { text: { text: string } }) => b.text.text);
      expect(buttons).toEqual(['Re-authorize', 'Open incident']);
    });

    it('resolves the incident when the owner re-authorizes, re-runs the failed call, and tells every channel once', async () => {
      const hook = sink.received.find((r) => r.path === '/hook')!;
      const link = (hook.json.data.reauth_link as { url: string }).url;
      const { page } = await stack.consent(link, { advertiserIds: granted });
      expect(page.status).toBe(200);
      const resolved = await eventually(
        async () =>
          (await stack.services.incidents.list()).find((i) => i.kind === 'auth' && i.state === 'resolved'),
        'the auth incident resolved',
      );
      const detail = await stack.services.incidents.show(resolved.id);
      expect(detail.actions.map((a) => a.type)).toEqual(['send_reauth_link', 'replay_parked']);
      expect(detail.actions[1]!.text).toMatch(/1 re-run/);
      expect(detail.timeline.map((e) => e.kind)).toEqual(
        expect.arrayContaining(['opened', 'resolved', 'action']),
      );
      // Webhooks are delivered at least once: a redelivery carries the same webhook-id and counts once.
      const unique = () => {
        const seen = new Set<string>();
        return sink.received.filter((r) => {
          const id = r.path === '/hook' ? String(r.headers['webhook-id']) : null;
          if (id === null) return true;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
      };
      await eventually(() => unique().length >= 4, 'the resolved notifications');
      const events = unique().map(
        (r) =>
          `${r.path.startsWith('/slack') ? 'slack' : 'hook'}:${r.path === '/hook' ? r.json.type : r.json.text.split(':')[0]}`,
      );
      expect(events.sort()).toEqual([
        'hook:incident.opened',
        'hook:incident.resolved',
        'slack:[critical] New',
        'slack:[critical] Resolved',
      ]);
      expect((await stack.services.connections.show(connectionId)).status).toBe('healthy');
    });

    it('takes in-band reports: a permission refusal opens an incident at once, a rate limit does not', async () => {
      const permission = await stack.api('POST', '/api/v1/observations', {
        connection_id: connectionId,
        code: 40001,
        message: 'advertiser does not grant you /file/video/ad/search/:GET permission',
        endpoint: '/file/video/ad/search/',
        request_id: 'req-1',
      });
      expect(permission.status).toBe(202);
      expect(permission.body.observation).toMatchObject({
        kind: 'permission_denied',
        action: 'incident_opened',
      });
      const incident = (await stack.services.incidents.show(permission.body.observation.incident_id)).summary;
      expect(incident).toContain('GET /file/video/ad/search/');
      const throttled = await stack.api('POST', '/api/v1/observations', {
        connection_id: connectionId,
        code: 40100,
      });
      expect(throttled.body.observation).toMatchObject({ kind: 'rate_limited', action: 'recorded' });
      const bad = await stack.api('POST', '/api/v1/observations', { code: 40100 });
      expect(bad.status).toBe(400);
      const resolved = await stack.api(
        'POST',
        `/api/v1/incidents/${permission.body.observation.incident_id}/resolve`,
        {
          by: 'ops',
          note: 'scope granted',
        },
      );
      expect(resolved.body.incident).toMatchObject({ state: 'resolved' });
      // Let the resolution's notifications go out before the next test counts them.
      await eventually(
        async () => (await stack.services.notifications.notifications()).every((n) => n.status !== 'pending'),
        'deliveries',
      );
    });

    it('never duplicates: a second sweep over the same state changes nothing', async () => {
      const before = sink.received.length;
      const incidents = (await stack.services.incidents.list()).length;
      await jump(6 * MINUTE);
      await eventually(async () => {
        const c = await stack.services.connections.show(connectionId);
        return c.last_check_at && Date.parse(c.last_check_at) > now() - MINUTE;
      }, 'another sweep');
      expect((await stack.services.incidents.list()).length).toBe(incidents);
      expect(sink.received.length).toBe(before);
    });

    it('watches uploads until TikTok lists them as usable, and refuses what it cannot watch', async () => {
      await stack.emulator.control.fault({ type: 'videoProcessing', delayMs: 0, fail: false });
      const [advertiser] = granted;
      const [uploaded] = await stack.services.connections.call<Array<{ video_id: string }>>(
        connectionId,
        'POST',
        '/file/video/ad/upload/',
        {
          body: {
            advertiser_id: advertiser,
            upload_type: 'UPLOAD_BY_URL',
            video_url: 'https://assets.example.com/a.mp4',
            file_name: 'watched.mp4',
          },
        },
      );
      const watched = await stack.api('POST', '/api/v1/videos', {
        connection_id: connectionId,
        advertiser_id: advertiser,
        video_ids: [{ video_id: uploaded!.video_id, label: 'watched.mp4' }],
      });
      expect(watched.status).toBe(202);
      expect(watched.body).toMatchObject({ watching: 1, added: 1 });
      const ready = await eventually(async () => {
        const list = (await stack.api('GET', `/api/v1/videos?connection=${connectionId}&state=ready`)).body;
        return list.videos.find((v: { video_id: string }) => v.video_id === uploaded!.video_id);
      }, 'the upload reported ready');
      expect(ready).toMatchObject({ label: 'watched.mp4', advertiser_id: advertiser });

      const foreign = await stack.api('POST', '/api/v1/videos', {
        connection_id: connectionId,
        advertiser_id: '7999999999999999999',
        video_ids: ['v1'],
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.message).toMatch(/not granted to connection/);
      const bad = await stack.api('POST', '/api/v1/videos', { connection_id: connectionId, video_ids: [] });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/advertiser_id/);
      expect((await stack.services.incidents.list({ problem: 'video' })).length).toBe(0);
    });

    it('announces a re-auth mark whose incident a dying worker never wrote', async () => {
      // What a worker killed between its two writes leaves: the connection marked, no incident.
      await stack.services.connections.markNeedsReauth(
        connectionId,
        'The access token was revoked (40105).',
        {
          verification: 'revoked',
        },
      );
      await jump(MINUTE);
      const incident = await eventually(
        async () =>
          (await stack.services.incidents.list({ states: ['open'] })).find((i) => i.kind === 'auth'),
        'the auth incident, reopened',
      );
      expect(incident.subject).toMatchObject({ type: 'connection', id: connectionId });
      expect(incident.summary).toMatch(/revoked/);
      await jump(MINUTE);
      // Announced once: later ticks see the incident and leave it.
      expect((await stack.services.incidents.list({ problem: 'auth' })).length).toBe(1);
      const events = await stack.services.incidents.show(incident.id);
      expect(events.timeline.filter((e) => e.kind === 'reopened')).toHaveLength(1);
    });
  });
}
