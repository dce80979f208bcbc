import type { CallbackResult } from '../services/index.ts';

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A small self-contained page (no scripts): the person-facing side of the OAuth flows. */
export function page(title: string, body: string, tone: 'ok' | 'problem' = 'ok'): string {
  const accent = tone === 'ok' ? '#0a7d38' : '#b42318';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} – adwarden</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1d2939}
h1{font-size:1.5rem;color:${accent}}code{background:#f2f4f7;padding:.1rem .3rem;border-radius:4px}li{margin:.3rem 0}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
const list = (items: readonly string[]) =>
  `<ol>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>`;

/** The page shown after TikTok redirects back, and its HTTP status. */
export function callbackPage(result: CallbackResult): { status: number; html: string } {
  switch (result.outcome) {
    case 'rejected': {
      const why = {
        missing_state: 'The link has no state parameter, so adwarden cannot tell who started it.',
        forged: 'The state in this link was not issued by adwarden.',
        replayed: 'This authorization link was already used once; it works only once.',
        expired: 'This authorization link is more than 10 minutes old.',
      }[result.reason];
      return {
        status: 400,
        html: page(
          'This authorization link cannot be used',
          `${p(why)}${p('Nothing was stored. Start again from the Connect link (or the re-authorization link you were sent).')}`,
          'problem',
        ),
      };
    }
    case 'denied':
      return {
        status: 200,
        html: page(
          'Authorization cancelled',
          `${p(`TikTok says: ${result.description}`)}${p('Nothing was stored. Use the link again whenever you are ready.')}`,
          'problem',
        ),
      };
    case 'missing_code':
      return {
        status: 400,
        html: page(
          'No authorization code',
          p('TikTok sent no auth_code. Start again from the Connect link.'),
          'problem',
        ),
      };
    case 'exchange_failed':
      return {
        status: 502,
        html: page(
          'TikTok did not accept the authorization',
          `${p(`${result.diagnosis.code}: ${result.diagnosis.title}`)}${list(result.diagnosis.fix)}${p('Nothing was stored.')}`,
          'problem',
        ),
      };
    case 'no_advertisers':
      return {
        status: 200,
        html: page(
          'No advertiser accounts were granted',
          `${p(`You completed TikTok's consent for ${result.appName}, but did not select any advertiser account, so there is nothing to monitor. Nothing was stored.`)}
${list([
  'Open the link again and tick at least one advertiser account on TikTok’s consent page.',
  'If no account is listed, your TikTok user has no access to one: ask a Business Center admin to assign you the ad account (Admin or Operator role), then try again.',
])}${result.retryUrl ? `<p><a href="${escapeHtml(result.retryUrl)}">Connect again</a></p>` : ''}`,
          'problem',
        ),
      };
    case 'connected':
    case 'reconnected': {
      const healthy = result.check.status === 'healthy';
      const title = result.outcome === 'connected' ? 'Connected' : 'Reconnected';
      const replay = result.replay
        ? p(
            `Calls waiting for this connection: ${result.replay.replayed} replayed, ${result.replay.failed} failed again, ${result.replay.skipped} left for a person (writes).`,
          )
        : '';
      return {
        status: 200,
        html: page(
          healthy ? `${title}: healthy` : `${title}, with a problem`,
          `${p(`Connection ${result.connectionId}: ${result.advertisers} advertiser account${result.advertisers === 1 ? '' : 's'}.`)}${p(`First check: ${result.check.summary}`)}${replay}`,
          healthy ? 'ok' : 'problem',
        ),
      };
    }
  }
}
