import type { Services } from '../../services/index.ts';
import { barChart, sparkline } from './charts.ts';
import { actionButton, ago, badge, csrfField, html, layout, type PageContext, type Raw } from './layout.ts';
import { choice, pager } from './list-parts.ts';

type Connections = Awaited<ReturnType<Services['connections']['list']>>;
type Incidents = Awaited<ReturnType<Services['incidents']['list']>>;
type Detail = Awaited<ReturnType<Services['connections']['show']>>;

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** What expires next for a connection, as a countdown ("advertiser token: never expires"). */
export function expiryText(c: Connections[number], now: number): Raw {
  if (c.regime === 'advertiser' && !c.expiries.max_age)
    return html`<span class="muted">never expires (checked live)</span>`;
  const next = [c.expiries.access_token, c.expiries.refresh_token, c.expiries.max_age]
    .filter((x): x is string => x !== null)
    .sort()[0];
  return next ? ago(next, now) : html`<span class="muted">unknown</span>`;
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.(]+$/, '')}…`;
}

/** A table of incidents with severity, what, subject and age. */
export function incidentTable(incidents: Incidents, now: number): Raw {
  if (incidents.length === 0) return html`<p class="muted">None.</p>`;
  return html`<div class="wrap"><table><thead><tr><th>Severity</th><th>What</th><th>State</th><th>Subject</th><th>Opened</th></tr></thead><tbody>
${incidents.map(
  (
    i,
  ) => html`<tr><td>${badge(i.severity)}</td><td><a href="/incidents/${i.id}">${shorten(i.summary, 160)}</a></td>
<td>${badge(i.state)}</td><td>${(i.subject as { label?: string }).label ?? ''}</td><td>${ago(i.opened_at, now)}</td></tr>`,
)}</tbody></table></div>`;
}

/** `/`: health counts, open incidents by severity, platform status, TikTok calls. */
export function overviewPage(
  ctx: PageContext,
  data: {
    connections: Connections;
    open: Incidents;
    now: number;
    calls24h: number;
    checks24h: number;
    budgets: Array<{
      appId: string;
      name: string | null;
      tier: string;
      lastMinute: number;
      perMinute: number | null;
    }>;
    /** TikTok's own latest incidents (its status page and pushes), newest first. */
    tiktok: Array<{ title: string; level: string; state: string; link: string | null; startedAt: string }>;
    trends: Trends;
  },
): string {
  const count = (status: string) => data.connections.filter((c) => c.status === status).length;
  const outage = data.open.find((i) => i.kind === 'outage');
  return layout(
    ctx,
    'Overview',
    html`${
      outage
        ? html`<p class="banner" role="alert"><strong>TikTok platform problem:</strong> ${outage.summary} <a href="/incidents/${outage.id}">Details</a></p>`
        : html`<p class="muted">TikTok's API answers normally for the connections adwarden checks.</p>`
    }
<h2>Connections</h2><div class="cards">
${(['healthy', 'degraded', 'needs_reauth', 'revoked'] as const).map(
  (s) => html`<div class="card"><div class="n ${badgeTone(s)}">${count(s)}</div>${s.replace('_', ' ')}</div>`,
)}
<div class="card"><div class="n">${data.connections.reduce((n, c) => n + c.advertisers, 0)}</div>advertisers</div></div>
<h2>Over the last ${data.trends.days.length} days</h2>${trendCharts(data.trends)}
<h2>Open incidents</h2><div class="cards">
${SEVERITIES.map(
  (s) =>
    html`<div class="card"><div class="n">${data.open.filter((i) => i.severity === s).length}</div><a href="/incidents?severity=${s}">${s}</a></div>`,
)}</div>
${incidentTable(data.open.slice(0, 10), data.now)}
<h2>Rate budget</h2>${
      data.budgets.length
        ? html`<div class="wrap"><table><thead><tr><th>App</th><th>Tier</th><th>Calls in the last minute</th><th>Share of the per-minute limit</th></tr></thead><tbody>${data.budgets.map(
            (b) =>
              html`<tr><td>${b.name ?? b.appId} <code>${b.appId}</code></td><td>${b.tier}</td><td>${b.lastMinute}</td><td>${b.perMinute ? `${Math.round((100 * b.lastMinute) / b.perMinute)}% of ${b.perMinute}` : 'no standing limit'}</td></tr>`,
          )}</tbody></table></div><p class="muted">Counted by this process; at scale each worker paces to the shared budget in PostgreSQL.</p>`
        : html`<p class="muted">No TikTok app registered yet.</p>`
    }
<h2>TikTok's status</h2>${tiktokStatus(data.tiktok, data.now)}
<h2>TikTok calls</h2><p>${data.checks24h} checks made ${data.calls24h} calls in the last 24 hours.
<a href="/connections">Connect an advertiser</a> to watch more.</p>`,
  );
}

type Trends = Awaited<ReturnType<Services['monitor']['trends']>>;

/** Connection health and incidents per day, and each advertiser's spend as a sparkline. */
function trendCharts(t: Trends): Raw {
  return html`<div class="charts">${barChart('Connection checks', t.days, [
    { name: 'healthy', values: t.checks.ok, color: '#12b76a' },
    { name: 'failed', values: t.checks.failed, color: '#f04438' },
  ])}${barChart('Incidents', t.days, [
    { name: 'opened', values: t.incidents.opened, color: '#f79009' },
    { name: 'resolved', values: t.incidents.resolved, color: '#2e90fa' },
  ])}</div>
<h3>Spend by advertiser</h3>${
    t.spend.length === 0
      ? html`<p class="muted">No spend read yet: campaign watch reads each advertiser's hourly spend once an hour.</p>`
      : html`<div class="wrap"><table><thead><tr><th>Advertiser</th><th>Daily spend</th><th>Last day</th></tr></thead><tbody>${t.spend.map(
          (a) =>
            html`<tr><td>${a.name} <span class="muted">${a.advertiser_id}</span></td><td>${sparkline(`Daily spend of ${a.name}`, a.values)}</td><td>${(a.values.at(-1) ?? 0).toFixed(2)}</td></tr>`,
        )}</tbody></table></div>`
  }`;
}

/** TikTok's latest incidents as its status page tells them, or that it reports none. */
function tiktokStatus(incidents: Parameters<typeof overviewPage>[1]['tiktok'], now: number): Raw {
  if (incidents.length === 0)
    return html`<p class="muted">TikTok reports no incident on its API status page.</p>`;
  return html`<div class="wrap"><table><thead><tr><th>Incident</th><th>Level</th><th>State</th><th>Since</th></tr></thead><tbody>${incidents.map(
    (i) =>
      html`<tr><td>${i.link ? html`<a href="${i.link}" rel="noreferrer">${i.title}</a>` : i.title}</td><td>${i.level.replace('_', ' ').toLowerCase()}</td><td>${badge(i.state === 'open' ? 'open' : 'resolved')}</td><td>${ago(i.startedAt, now)}</td></tr>`,
  )}</tbody></table></div>`;
}

const badgeTone = (s: string) =>
  s === 'healthy' ? 'good' : s === 'degraded' ? 'warn' : s === 'revoked' ? 'muted' : 'bad';

/** `/connections`: search, filters and pages over the connections: status, advertisers, client, last check, expiry. */
export function connectionsPage(
  ctx: PageContext,
  data: {
    connections: Connections;
    total: number;
    page: number;
    per: number;
    filter: { client: string; status: string; app: string; q: string; sort: string };
    clients: Array<{ id: string; name: string }>;
    apps: Array<{ app_id: string; name: string | null }>;
    canConnect: boolean;
    now: number;
  },
): string {
  const clientName = new Map(data.clients.map((c) => [c.id, c.name]));
  const f = data.filter;
  return layout(
    ctx,
    'Connections',
    html`${data.canConnect ? connectForm(data.apps) : ''}
<h2>All connections</h2>
<form method="get" action="/connections" class="filters" role="search"><label>Search <input type="search" name="q" value="${f.q}" placeholder="advertiser, id or owner"></label>
${choice('client', 'Client', f.client, [['', 'All clients'], ...data.clients.map((c) => [c.id, c.name] as const), ['none', 'No client']])}
${choice('status', 'Status', f.status, [
  ['', 'Any status'],
  ['healthy', 'healthy'],
  ['degraded', 'degraded'],
  ['needs_reauth', 'needs re-auth'],
  ['revoked', 'revoked'],
  ['pending', 'pending'],
])}
${choice('app', 'App', f.app, [['', 'Any app'], ...data.apps.map((a) => [a.app_id, a.name ?? a.app_id] as const)])}
${choice('sort', 'Sort by', f.sort, [
  ['name', 'name'],
  ['status', 'status'],
  ['last_check', 'last check'],
])}
<button type="submit">Filter</button></form>
${
  data.connections.length === 0
    ? html`<p class="muted">${data.total === 0 && !f.q && !f.client && !f.status && !f.app ? 'No connections yet.' : 'No connection matches.'}</p>`
    : html`<div class="wrap"><table><thead><tr><th>Connection</th><th>Client</th><th>Status</th><th>Advertisers</th><th>Last check</th><th>Expires</th><th>Actions</th></tr></thead><tbody>
${data.connections.map(
  (
    c,
  ) => html`<tr><td><a href="/connections/${c.id}">${c.name}</a><br><span class="muted">${c.id}${c.owner_contact ? ` · ${c.owner_contact}` : ''}</span></td>
<td>${c.client_id ? html`<a href="/connections?client=${c.client_id}">${clientName.get(c.client_id) ?? c.client_id}</a>` : html`<span class="muted">—</span>`}</td>
<td>${badge(c.status)}${c.status_reason ? html`<br><span class="muted">${shorten(c.status_reason, 140)}</span>` : ''}</td>
<td>${c.advertisers}</td><td>${ago(c.last_check_at, data.now)}</td>
<td>${expiryText(c, data.now)}</td><td>${actionButton(ctx, `/connections/${c.id}/check`, 'Check now')}</td></tr>`,
)}</tbody></table></div>`
}
${pager('/connections', { q: f.q, client: f.client, status: f.status, app: f.app, sort: f.sort }, { page: data.page, per: data.per, total: data.total })}`,
  );
}

/** Connecting an advertiser yourself (clients get an invitation instead: Clients). */
function connectForm(apps: Array<{ app_id: string; name: string | null }>): Raw {
  return html`<section aria-labelledby="connect"><h2 id="connect">Connect an advertiser</h2>
${
  apps.length === 0
    ? html`<p>Register a TikTok app first (Settings, or <code>adwarden apps add</code>).</p>`
    : html`<form method="get" action="/connections/connect"><label>App <select name="app">${apps.map(
        (a) => html`<option value="${a.app_id}">${a.name ?? a.app_id} (${a.app_id})</option>`,
      )}</select></label><label>Owner's email (gets the re-auth links) <input type="email" name="owner" autocomplete="email"></label>
<button type="submit" class="primary">Connect through TikTok</button></form>
<p class="muted">For a client's own people: <a href="/clients">send the client a connect invitation</a> (no adwarden account needed).</p>`
}</section>`;
}

/**
 * `/connections/connect`: the step before TikTok's consent page. A link, not a form: the dashboard's
 * security policy lets forms go to our own origin only, and the consent page is TikTok's.
 */
export function connectStartPage(ctx: PageContext, data: { appId: string; owner: string }): string {
  const query = new URLSearchParams({ app: data.appId, ...(data.owner ? { owner: data.owner } : {}) });
  return layout(
    ctx,
    'Connect an advertiser',
    html`<p>TikTok asks whoever signs in there which ad accounts app <code>${data.appId}</code> may manage. Sign in as the advertiser (or a Business Center admin of its accounts), tick the accounts, and authorize.</p>
${data.owner ? html`<p>Re-auth links and alerts for this connection go to ${data.owner}.</p>` : ''}
<p><a class="button primary" href="/connect/tiktok?${query.toString()}">Continue to TikTok</a></p>
<p class="muted">For the advertiser's own people, send a <a href="/clients">client's connect invitation</a> instead: it needs no adwarden sign-in.</p>`,
    { live: false },
  );
}

/** Hourly buckets of the last 7 days: worst outcome per hour, as an SVG strip. */
export function healthChart(checks: Array<{ at: Date; outcome: string }>, now: number): Raw {
  const hours = 7 * 24;
  const start = now - hours * 3_600_000;
  const worst: Array<'ok' | 'warn' | 'bad' | 'none'> = Array.from({ length: hours }, () => 'none');
  const rank = { none: 0, ok: 1, warn: 2, bad: 3 } as const;
  for (const check of checks) {
    const i = Math.floor((check.at.getTime() - start) / 3_600_000);
    if (i < 0 || i >= hours) continue;
    const tone = check.outcome === 'valid' ? 'ok' : check.outcome === 'inconclusive' ? 'warn' : 'bad';
    if (rank[tone] > rank[worst[i]!]) worst[i] = tone;
  }
  const bad = worst.filter((w) => w === 'bad').length;
  return html`<figure><svg class="health" viewBox="0 0 ${hours * 4} 24" width="100%" height="36" role="img" aria-label="Health over 7 days: ${bad} hours with failed checks">
${worst.map((tone, i) => html`<rect class="${tone}" x="${i * 4}" y="0" width="3" height="24"><title>${new Date(start + i * 3_600_000).toISOString().slice(0, 13)}:00 UTC: ${tone === 'none' ? 'no check' : tone}</title></rect>`)}
</svg><figcaption class="muted">Last 7 days, one bar per hour: green ok, amber inconclusive (TikTok busy or down), red token or permission failure.</figcaption></figure>`;
}

/** `/connections/:id`: advertisers, 7-day health, incidents, tokens, and the actions. */
export function connectionPage(
  ctx: PageContext,
  data: {
    connection: Detail;
    incidents: Incidents;
    checks: Array<{ at: Date; outcome: string }>;
    now: number;
    reauthLink?: string | null;
    /** The clients it may be put under (absent for operators limited to clients). */
    clients?: Array<{ id: string; name: string }>;
  },
): string {
  const c = data.connection;
  return layout(
    ctx,
    `${c.name} · ${c.id}`,
    html`<p>${badge(c.status)} ${c.status_reason ?? ''}</p>
<p>App <code>${c.app_id}</code> · ${c.regime === 'tt_user' ? 'TikTok account token' : 'advertiser token'} · owner ${c.owner_contact ?? 'unknown'} · last check ${ago(c.last_check_at, data.now)} · expires ${expiryText(c, data.now)}</p>
<p>${actionButton(ctx, `/connections/${c.id}/check`, 'Check now', 'primary')} ${c.status === 'revoked' ? '' : actionButton(ctx, `/connections/${c.id}/reauth-link`, 'Create re-auth link')} ${c.status === 'revoked' ? '' : actionButton(ctx, `/connections/${c.id}/revoke`, 'Revoke at TikTok', 'danger')}</p>
${data.reauthLink ? html`<p class="flash">Send this link to the owner: <a href="${data.reauthLink}">${data.reauthLink}</a></p>` : ''}
${
  data.clients
    ? html`<form method="post" action="/connections/${c.id}/client" class="filters">${csrfField(ctx)}<label>Client <select name="client_id"><option value="">No client</option>${data.clients.map(
        (x) => html`<option value="${x.id}"${x.id === c.client_id ? html` selected` : ''}>${x.name}</option>`,
      )}</select></label> <button type="submit">Save</button></form>`
    : ''
}
<h2>Health</h2>${healthChart(data.checks, data.now)}
<h2>Advertisers</h2><div class="wrap"><table><thead><tr><th>Advertiser</th><th>Id</th><th>Status</th><th>Granted</th><th>Currency</th></tr></thead><tbody>
${c.advertiser_list.map(
  (a) =>
    html`<tr><td>${a.name}</td><td><code>${a.advertiser_id}</code></td><td>${a.status ? badge(a.status) : ''}</td><td>${a.granted ? 'yes' : html`<span class="bad">removed</span>`}</td><td>${a.currency ?? ''}</td></tr>`,
)}</tbody></table></div>
<h2>Incidents</h2>${incidentTable(data.incidents, data.now)}
<h2>Parked calls</h2>${
      c.parked_calls.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<ul>${c.parked_calls.map((p) => html`<li><code>${p.method} ${p.path}</code> ${badge(p.status)} ${p.replay_safe ? 're-run after repair' : 'left for a person (a write)'}</li>`)}</ul>`
    }`,
    { live: !data.reauthLink },
  );
}
