import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A notification the demo's inbox received. */
export interface InboxEntry {
  channel: 'slack' | 'webhook';
  incident_id: string | null;
  event: string;
  /** How many times the incident had come back when this was sent (0 the first time). */
  reopen_count: number;
  /** Emulator time of arrival. */
  at: number;
  headline: string;
  reauth_link: string | null;
  /** Standard Webhooks signature checked with the channel's secret (webhook channel only). */
  verified: boolean | null;
}

/**
 * Stands in for a Slack workspace and a webhook receiver during the demo: a real HTTP server that
 * records what arrives, checks webhook signatures, and plays the connection owner, who opens every
 * re-auth link they are sent (as a person clicking the button would).
 */
export async function startDemoInbox(options: {
  now: () => number;
  /** Called with each re-auth link sent. */
  onReauthLink?: (url: string) => void;
  /** Called with each notification received. */
  onEntry?: (entry: InboxEntry) => void;
}) {
  const entries: InboxEntry[] = [];
  let signer: Webhook | null = null;
  const opened = new Set<string>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return;
      }
      const isWebhook = request.url === '/webhook';
      let verified: boolean | null = null;
      if (isWebhook && signer) {
        try {
          signer.verify(body, request.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const entry = isWebhook ? fromWebhook(json) : fromSlack(json);
      const received: InboxEntry = {
        ...entry,
        channel: isWebhook ? 'webhook' : 'slack',
        at: options.now(),
        verified,
      };
      entries.push(received);
      options.onEntry?.(received);
      if (entry.reauth_link && !opened.has(entry.reauth_link)) {
        opened.add(entry.reauth_link);
        options.onReauthLink?.(entry.reauth_link);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    slackUrl: `${url}/slack/T0DEMO/B0DEMO/demo`,
    webhookUrl: `${url}/webhook`,
    entries,
    /** The signing secret of the webhook channel, to verify what arrives. */
    setWebhookSecret(secret: string) {
      signer = new Webhook(secret);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Parsed = Omit<InboxEntry, 'channel' | 'at' | 'verified'>;

function fromWebhook(json: Record<string, unknown>): Parsed {
  const data = (json.data ?? {}) as {
    event?: string;
    incident?: { id?: string; reopen_count?: number };
    reauth_link?: { url?: string } | null;
  };
  return {
    incident_id: data.incident?.id ?? null,
    reopen_count: data.incident?.reopen_count ?? 0,
    event: data.event ?? String(json.type ?? 'unknown'),
    headline: String(json.type ?? ''),
    reauth_link: data.reauth_link?.url ?? null,
  };
}

function fromSlack(json: Record<string, unknown>): Parsed {
  const text = String(json.text ?? '');
  const blocks = (json.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ url?: string; text?: { text?: string } }>;
  }>;
  const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
  const context = JSON.stringify(blocks.find((b) => b.type === 'context') ?? {});
  const incidentUrl = buttons.find((b) => b.text?.text === 'Open incident')?.url ?? '';
  const verb = /\] (\w[\w ]*?):/.exec(text)?.[1] ?? '';
  const event =
    { New: 'opened', 'Back again': 'reopened', Escalated: 'escalated', Resolved: 'resolved' }[verb] ?? verb;
  return {
    incident_id: /\/incidents\/([^/?#]+)/.exec(incidentUrl)?.[1] ?? null,
    reopen_count: Number(/ · back (\d+)×/.exec(context)?.[1] ?? 0),
    event,
    headline: text,
    reauth_link: buttons.find((b) => b.text?.text === 'Re-authorize')?.url ?? null,
  };
}
