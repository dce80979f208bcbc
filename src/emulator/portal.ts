import { randomToken } from './ids.ts';
import type { EmulatorState, Environment } from './state.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Issues an auth code for the consent a person gave and returns the redirect TikTok would send. */
export function grantConsent(
  state: EmulatorState,
  input: {
    appId: string;
    redirectUri: string;
    state?: string;
    advertiserIds?: string[];
    environment: Environment;
    /** `tt_user`: a TikTok account holder's consent (no advertisers). @default 'advertiser' */
    regime?: 'advertiser' | 'tt_user';
  },
  now: number,
): string {
  const app = state.apps.get(input.appId);
  if (!app) throw new RangeError(`unknown app_id ${input.appId}`);
  if (app.redirectUris.length > 0 && !app.redirectUris.includes(input.redirectUri)) {
    throw new RangeError(`redirect_uri ${input.redirectUri} is not registered for app ${input.appId}`);
  }
  const offered = [...state.advertisers.values()]
    .filter((a) => a.appIds.includes(app.appId) && !a.deleted)
    .map((a) => a.advertiserId);
  const regime = input.regime ?? 'advertiser';
  const chosen = regime === 'tt_user' ? [] : (input.advertiserIds ?? offered);
  const unknown = chosen.filter((id) => !offered.includes(id));
  if (unknown.length > 0) throw new RangeError(`advertisers not offered to this app: ${unknown.join(', ')}`);
  const code = randomToken(16);
  state.authCodes.set(code, {
    code,
    appId: app.appId,
    environment: app.environment,
    advertiserIds: chosen,
    redirectUri: input.redirectUri,
    issuedAt: now,
    used: false,
    regime,
  });
  const target = new URL(input.redirectUri);
  target.searchParams.set('auth_code', code);
  target.searchParams.set('code', code);
  if (input.state !== undefined) target.searchParams.set('state', input.state);
  return target.toString();
}

/** The redirect for a person who clicked Cancel. */
export function denyConsent(redirectUri: string, stateParam?: string): string {
  const target = new URL(redirectUri);
  target.searchParams.set('error', 'access_denied');
  target.searchParams.set('error_description', 'The user cancelled the authorization.');
  if (stateParam !== undefined) target.searchParams.set('state', stateParam);
  return target.toString();
}

/** TikTok's consent page, emulated: the app's advertisers with checkboxes, Authorize and Cancel. */
export function consentPage(
  state: EmulatorState,
  query: { app_id: string; state?: string; redirect_uri: string },
  action: string,
): string {
  const app = state.apps.get(query.app_id);
  const advertisers = app
    ? [...state.advertisers.values()].filter((a) => a.appIds.includes(app.appId) && !a.deleted)
    : [];
  const rows = advertisers
    .map(
      (a) =>
        `<li><label><input type="checkbox" name="advertiser_ids" value="${escapeHtml(a.advertiserId)}" checked> ${escapeHtml(a.name)} <small>(${escapeHtml(a.advertiserId)})</small></label></li>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(app?.name ?? 'app')} – TikTok for Business (emulator)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}li{list-style:none;margin:.4rem 0}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}</style></head>
<body><h1>${escapeHtml(app?.name ?? 'Unknown app')} wants to access your TikTok ad accounts</h1>
<p>Choose the advertisers to authorize. This page is served by the adwarden emulator.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="app_id" value="${escapeHtml(query.app_id)}"><input type="hidden" name="state" value="${escapeHtml(query.state ?? '')}"><input type="hidden" name="redirect_uri" value="${escapeHtml(query.redirect_uri)}">
<ul>${rows || '<li>No advertisers are available for this app.</li>'}</ul>
<button type="submit" name="decision" value="authorize">Authorize</button><button type="submit" name="decision" value="cancel">Cancel</button>
</form></body></html>`;
}

/**
 * TikTok's account consent page (`/v2/auth/authorize/`), emulated: a TikTok account holder lets the app
 * read their account (the scopes asked for), no advertisers to choose; Authorize and Cancel.
 */
export function accountConsentPage(
  state: EmulatorState,
  query: { client_key: string; state?: string; redirect_uri: string; scope?: string },
): string {
  const app = state.apps.get(query.client_key);
  const scopes = (query.scope ?? '')
    .split(',')
    .filter(Boolean)
    .map((scope) => `<li>${escapeHtml(scope)}</li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(app?.name ?? 'app')} – TikTok (emulator)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}</style></head>
<body><h1>${escapeHtml(app?.name ?? 'Unknown app')} wants to access your TikTok account</h1>
<p>It asks for:</p><ul>${scopes || '<li>your basic profile</li>'}</ul>
<p>This page is served by the adwarden emulator.</p>
<form method="post" action="/v2/auth/authorize/">
<input type="hidden" name="client_key" value="${escapeHtml(query.client_key)}"><input type="hidden" name="state" value="${escapeHtml(query.state ?? '')}"><input type="hidden" name="redirect_uri" value="${escapeHtml(query.redirect_uri)}">
<button type="submit" name="decision" value="authorize">Authorize</button><button type="submit" name="decision" value="cancel">Cancel</button>
</form></body></html>`;
}
