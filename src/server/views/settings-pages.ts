import type { Services } from '../../services/index.ts';
import { actionButton, ago, badge, csrfField, html, layout, type PageContext } from './layout.ts';

type Awaited2<T> = T extends Promise<infer U> ? U : never;

/** `/settings`: apps, channels (with a test send), API keys, users and the signed-in user's password. */
export function settingsPage(
  ctx: PageContext,
  data: {
    apps: Awaited2<ReturnType<Services['apps']['list']>>;
    channels: Awaited2<ReturnType<Services['notifications']['listChannels']>>;
    keys: Awaited2<ReturnType<Services['users']['listApiKeys']>>;
    users: Awaited2<ReturnType<Services['users']['listUsers']>>;
    clients?: Array<{ id: string; name: string }>;
    newKey?: string | null;
    now: number;
  },
): string {
  return layout(
    ctx,
    'Settings',
    html`<h2>TikTok apps</h2>${
      data.apps.length
        ? html`<div class="wrap"><table><thead><tr><th>App</th><th>Environment</th><th>Tier</th><th>API base URL</th><th>Redirect URI to register at TikTok</th></tr></thead><tbody>${data.apps.map(
            (a) =>
              html`<tr><td><code>${a.app_id}</code> ${a.name ?? ''}</td><td>${a.environment}</td><td>${a.rate_tier}</td><td><code>${a.base_url}</code></td><td><code>${a.redirect_uri}</code></td></tr>`,
          )}</tbody></table></div>`
        : html`<p class="muted">None yet.</p>`
    }
<details><summary>Register an app</summary><form method="post" action="/settings/apps">${csrfField(ctx)}
<label>App id <input name="app_id" required pattern="\\d+" inputmode="numeric"></label>
<label>App secret <input name="secret" type="password" required autocomplete="off"></label>
<label>Environment <select name="environment"><option>production</option><option>sandbox</option></select></label>
<label>Rate tier <select name="rate_tier"><option>basic</option><option>advanced</option><option>premium</option><option>ultimate</option></select></label>
<label>API base URL (optional; TikTok's by default) <input name="base_url" type="url" placeholder="https://business-api.tiktok.com/open_api/v1.3"></label>
<label>Redirect URI (optional; this service's callback by default) <input name="redirect_uri" type="url"></label>
<button type="submit" class="primary">Register</button></form></details>

${channelsSection(ctx, data)}
<h2>API keys</h2>
${data.newKey ? html`<p class="flash">New key (shown once, copy it now): <code>${data.newKey}</code></p>` : ''}
<div class="wrap"><table><thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>${data.keys.map(
      (k) =>
        html`<tr><td>${k.name}</td><td>${k.scopes.join(', ')}</td><td>${ago(k.created_at, data.now)}</td><td>${ago(k.last_used_at, data.now)}</td>
<td>${k.revoked_at ? badge('revoked') : actionButton(ctx, `/settings/keys/${k.id}/revoke`, 'Revoke', 'danger')}</td></tr>`,
    )}</tbody></table></div>
<form method="post" action="/settings/keys">${csrfField(ctx)}<label>Name <input name="name" required maxlength="100"></label>
<label>Scope <select name="scope"><option value="read">read</option><option value="write">write (includes read)</option><option value="admin">admin (includes write)</option></select></label>
<button type="submit">Create a key</button></form>

<h2>Users</h2><ul>${data.users.map((u) => html`<li>${u.email} · ${u.has_password ? 'password set' : html`<span class="warn">no password (signs in by link)</span>`} · last sign-in ${ago(u.last_login_at, data.now)}</li>`)}</ul>
<form method="post" action="/settings/password">${csrfField(ctx)}<h3>Your password</h3>
<label>New password (12 characters or more) <input name="password" type="password" minlength="12" required autocomplete="new-password"></label>
<button type="submit">Set password</button></form>
<form method="post" action="/settings/users">${csrfField(ctx)}<h3>Add a user</h3>
<label>Email <input name="email" type="email" required></label>
<label>Password <input name="password" type="password" minlength="12" required autocomplete="new-password"></label>
<button type="submit">Add user</button></form>`,
    { live: false },
  );
}

/** `/login`. */
export function loginPage(ctx: PageContext, data: { next: string; error?: string | null }): string {
  return layout(
    ctx,
    'Sign in',
    html`${data.error ? html`<p class="banner" role="alert">${data.error}</p>` : ''}
<form method="post" action="/login"><input type="hidden" name="next" value="${data.next}">
<label>Email <input name="email" type="email" required autocomplete="username"></label>
<label>Password <input name="password" type="password" required autocomplete="current-password"></label>
<button type="submit" class="primary">Sign in</button></form>
<p class="muted">First start? The service printed a one-time sign-in link; or run <code>adwarden users login-link</code> on its machine.</p>`,
    { live: false },
  );
}

/** The channels table (what each hears) and the form that adds one (for every client, or one). */
function channelsSection(
  ctx: PageContext,
  data: {
    channels: Awaited2<ReturnType<Services['notifications']['listChannels']>>;
    clients?: Array<{ id: string; name: string }>;
  },
) {
  return html`<h2>Notification channels</h2>${
    data.channels.length
      ? html`<div class="wrap"><table><thead><tr><th>Name</th><th>Kind</th><th>Sends to</th><th>Minimum severity</th><th>Actions</th></tr></thead><tbody>${data.channels.map(
          (c) =>
            html`<tr><td>${c.name}</td><td>${c.kind}</td><td>${c.destination}${
              (c.labels as Record<string, string>).client
                ? ` · only ${data.clients?.find((x) => x.id === (c.labels as Record<string, string>).client)?.name ?? (c.labels as Record<string, string>).client}`
                : ''
            }</td><td>${c.min_severity}${c.max_per_hour ? ` · ≤ ${c.max_per_hour}/h${c.digest ? ' + daily digest' : ''}` : ''}</td>
<td>${actionButton(ctx, `/settings/channels/${c.id}/test`, 'Send a test')} ${actionButton(ctx, `/settings/channels/${c.id}/remove`, 'Remove', 'danger')}</td></tr>`,
        )}</tbody></table></div>`
      : html`<p class="muted">No channels: incidents are only shown here.</p>`
  }
<details><summary>Add a Slack or webhook channel</summary><form method="post" action="/settings/channels">${csrfField(ctx)}
<label>Name <input name="name" required maxlength="100"></label>
<label>Kind <select name="kind"><option value="slack">Slack incoming webhook</option><option value="webhook">Signed webhook (Standard Webhooks)</option></select></label>
<label>URL <input name="url" type="url" required></label>
<label>Minimum severity <select name="min_severity"><option>low</option><option>medium</option><option>high</option><option>critical</option></select></label>
${
  data.clients?.length
    ? html`<label>Only one client's incidents <select name="client"><option value="">Every client</option>${data.clients.map(
        (c) => html`<option value="${c.id}">${c.name}</option>`,
      )}</select></label>`
    : ''
}
<button type="submit" class="primary">Add</button></form></details>`;
}
