import { type DigestPayload, digestHeadline, renderDigestSlack, renderDigestText } from './render-digest.ts';

/** What a notification says, independent of the channel. Never carries a token or secret. */
export type NotificationPayload = IncidentPayload | DigestPayload;

/** A notification about one incident event. */
export interface IncidentPayload {
  /** `incident.opened`, `incident.resolved`, … (the Standard Webhooks event type). */
  type: string;
  event: string;
  incident: {
    id: string;
    problem: string;
    severity: string;
    state: string;
    subject: { type: string; id: string; label: string };
    summary: string;
    fix: string[];
    actions: string[];
    opened_at: string;
    resolved_at: string | null;
    /** How many times it came back after being resolved: with `id` and `event`, what tells one notification from a redelivery. */
    reopen_count: number;
    url: string;
  };
  /** The re-auth link sent with this event, when there is one. */
  reauth_link?: { url: string; expires_at: string } | null;
  at: string;
}

const VERB: Record<string, string> = {
  opened: 'New',
  reopened: 'Back again',
  escalated: 'Escalated',
  resolved: 'Resolved',
  reminder: 'Reminder',
};

const ICON: Record<string, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

/** One line: "[critical] New: auth — Bluebird Coffee (con_…)". */
export function headline(p: NotificationPayload): string {
  if ('digest' in p) return digestHeadline(p);
  const verb = VERB[p.event] ?? p.event;
  return `[${p.incident.severity}] ${verb}: ${p.incident.problem.replace('_', ' ')} — ${p.incident.subject.label}`;
}

/** Plain text for email bodies and logs. */
export function renderText(p: NotificationPayload): string {
  if ('digest' in p) return renderDigestText(p);
  const lines = [headline(p), '', p.incident.summary];
  if (p.event !== 'resolved' && p.incident.fix.length) {
    lines.push('', 'What to do:');
    lines.push(...p.incident.fix.map((step, i) => `  ${i + 1}. ${step}`));
  }
  if (p.reauth_link)
    lines.push('', `Re-authorize here: ${p.reauth_link.url} (valid until ${p.reauth_link.expires_at})`);
  if (p.incident.actions.length) {
    lines.push('', 'adwarden already did:');
    for (const action of p.incident.actions) lines.push(`  - ${action}`);
  }
  lines.push('', `Incident ${p.incident.id}: ${p.incident.url}`);
  return lines.join('\n');
}

const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook message in Block Kit: what, who, fix, link. */
export function renderSlack(p: NotificationPayload): Record<string, unknown> {
  if ('digest' in p) return renderDigestSlack(p);
  const icon = p.event === 'resolved' ? '✅' : (ICON[p.incident.severity] ?? '⚪');
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `${icon} ${headline(p)}`.slice(0, 150), emoji: true },
    },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(p.incident.summary) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: escapeMrkdwn(
            `${p.incident.subject.type} ${p.incident.subject.label} · ${p.incident.severity} · ${p.incident.id}${p.incident.reopen_count > 0 ? ` · back ${p.incident.reopen_count}×` : ''}`,
          ),
        },
      ],
    },
  ];
  if (p.event !== 'resolved' && p.incident.fix.length)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*What to do*\n${p.incident.fix.map((s, i) => `${i + 1}. ${escapeMrkdwn(s)}`).join('\n')}`.slice(
          0,
          3000,
        ),
      },
    });
  if (p.incident.actions.length)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Handled automatically*\n${p.incident.actions.map((a) => `• ${escapeMrkdwn(a)}`).join('\n')}`.slice(
          0,
          3000,
        ),
      },
    });
  const buttons: Array<Record<string, unknown>> = [
    { type: 'button', text: { type: 'plain_text', text: 'Open incident' }, url: p.incident.url },
  ];
  if (p.reauth_link)
    buttons.unshift({
      type: 'button',
      style: 'primary',
      text: { type: 'plain_text', text: 'Re-authorize' },
      url: p.reauth_link.url,
    });
  blocks.push({ type: 'actions', elements: buttons });
  return { text: headline(p), blocks };
}
