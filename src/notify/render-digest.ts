/** One notification a channel's hourly cap held back. */
export interface DigestItem {
  incident_id: string | null;
  event: string;
  headline: string;
  url: string | null;
  at: string;
}

/** The daily digest of what a channel's hourly cap held back. */
export interface DigestPayload {
  type: 'digest.daily';
  event: 'digest';
  at: string;
  digest: { channel: string; count: number; since: string; items: DigestItem[] };
}

const SHOWN = 50;

/** "Daily digest: 12 notifications held back by the hourly cap". */
export function digestHeadline(p: DigestPayload): string {
  const n = p.digest.count;
  return `Daily digest: ${n} notification${n === 1 ? '' : 's'} held back by the hourly cap`;
}

const lineOf = (item: DigestItem) =>
  `${item.at.slice(0, 16).replace('T', ' ')} UTC  ${item.headline}${item.url ? `  ${item.url}` : ''}`;

export function renderDigestText(p: DigestPayload): string {
  const { items, count } = p.digest;
  return [
    digestHeadline(p),
    '',
    `Channel ${p.digest.channel} reached its hourly limit; these were not sent one by one:`,
    ...items.slice(0, SHOWN).map((item) => `  - ${lineOf(item)}`),
    ...(count > SHOWN ? [`  … and ${count - SHOWN} more (adwarden incidents list)`] : []),
  ].join('\n');
}

const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderDigestSlack(p: DigestPayload): Record<string, unknown> {
  const lines = p.digest.items
    .slice(0, SHOWN)
    .map((item) => `• ${escapeMrkdwn(item.headline)}${item.url ? ` <${item.url}|open>` : ''}`);
  if (p.digest.count > SHOWN) lines.push(`… and ${p.digest.count - SHOWN} more`);
  return {
    text: digestHeadline(p),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `🗞 ${digestHeadline(p)}`.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } },
    ],
  };
}
