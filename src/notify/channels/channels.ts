import { randomBytes } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { z } from 'zod';
import { headline, type NotificationPayload, renderSlack, renderText } from '../render-message.ts';
import { checkDestination, DestinationRefusedError } from './destination-guard.ts';

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'must be an http(s) URL');

/** Each channel kind's settings, as stored (sealed) and as given to `channels add`. */
export const ChannelConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('slack'), url: httpUrl }),
  z.strictObject({
    kind: z.literal('email'),
    /** e.g. smtp://user:pass@mail.example.com:587 or smtps://…:465 */
    smtpUrl: z
      .string()
      .refine((v) => /^smtps?:\/\//i.test(v) && URL.canParse(v), 'must be an smtp:// or smtps:// URL'),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).default([]),
  }),
  z.strictObject({
    kind: z.literal('webhook'),
    url: httpUrl,
    /** Standard Webhooks secret (`whsec_…`); generated when absent. */
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must look like whsec_<base64>')
      .optional(),
  }),
]);

export type ChannelConfig = z.output<typeof ChannelConfigSchema>;

/** A fresh Standard Webhooks signing secret. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** One delivery: to the channel, plus an extra email recipient (the connection owner) when set. */
export interface Delivery {
  /** Stable per notification: webhook-id, Message-ID; receivers dedupe on it. */
  id: string;
  payload: NotificationPayload;
  recipient?: string | null;
}

/** A channel that can send. `send` throws on failure (the outbox retries). */
export interface ChannelSender {
  send(delivery: Delivery): Promise<void>;
  close(): void;
}

/** Thrown for an answer that retrying cannot fix (a 4xx other than 408/429). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  allowPrivate: boolean,
) {
  try {
    await checkDestination(url, { allowPrivate });
  } catch (error) {
    if (error instanceof DestinationRefusedError) throw new PermanentDeliveryError(error.message);
    throw error;
  }
  const response = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = (await response.body.text()).slice(0, 200);
  if (response.statusCode >= 200 && response.statusCode < 300) return;
  // The URL may hold a secret path (Slack's does): name the host only.
  const where = new URL(url).host;
  const message = `${where} answered HTTP ${response.statusCode}${text ? `: ${text}` : ''}`;
  if (response.statusCode >= 400 && response.statusCode < 500 && ![408, 429].includes(response.statusCode))
    throw new PermanentDeliveryError(message);
  throw new Error(message);
}

/** Builds the sender for a channel's (unsealed) settings. */
export function createSender(
  config: ChannelConfig,
  options: { timeoutMs?: number; allowPrivateDestinations?: boolean } = {},
): ChannelSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const allowPrivate = options.allowPrivateDestinations ?? false;
  switch (config.kind) {
    case 'slack':
      return {
        send: ({ payload }) =>
          post(config.url, JSON.stringify(renderSlack(payload)), {}, timeoutMs, allowPrivate),
        close() {},
      };
    case 'webhook': {
      const signer = new Webhook(config.secret ?? newWebhookSecret());
      return {
        async send({ id, payload }) {
          const body = JSON.stringify({ type: payload.type, timestamp: payload.at, data: payload });
          const at = new Date();
          const signature = signer.sign(id, at, body);
          await post(
            config.url,
            body,
            {
              'webhook-id': id,
              'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
              'webhook-signature': signature,
            },
            timeoutMs,
            allowPrivate,
          );
        },
        close() {},
      };
    }
    case 'email': {
      const transport: Transporter = createTransport(config.smtpUrl, {
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      } as never);
      return {
        async send({ id, payload, recipient }) {
          const to = [...new Set([...config.to, ...(recipient ? [recipient] : [])])];
          if (to.length === 0) return;
          await transport.sendMail({
            from: config.from,
            to,
            subject: headline(payload),
            text: renderText(payload),
            messageId: `<${id}@adwarden>`,
            headers: 'digest' in payload ? {} : { 'X-Adwarden-Incident': payload.incident.id },
          });
        },
        close: () => transport.close(),
      };
    }
  }
}
