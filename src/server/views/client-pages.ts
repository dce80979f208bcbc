import type { Services } from '../../services/index.ts';
import { actionButton, ago, badge, csrfField, html, layout, type PageContext, type Raw } from './layout.ts';

type Clients = Awaited<ReturnType<Services['clients']['list']>>;
type Invitations = Awaited<ReturnType<Services['clients']['invitations']>>;
type Apps = Awaited<ReturnType<Services['apps']['list']>>;

/** One client's invitations: who sent each, for which app, until when, how often used, and revoke. */
function invitationTable(ctx: PageContext, invitations: Invitations, now: number): Raw {
  if (invitations.length === 0) return html`<p class="muted">No invitations yet.</p>`;
  return html`<div class="wrap"><table><thead><tr><th>Sent by</th><th>App</th><th>State</th><th>Expires</th><th>Opened</th><th></th></tr></thead><tbody>${invitations.map(
    (i) =>
      html`<tr><td>${i.invited_by}</td><td><code>${i.app_id}</code></td><td>${badge(i.state === 'active' ? 'open' : i.state, i.state === 'active' ? 'good' : 'muted')}</td><td>${ago(i.expires_at, now)}</td><td>${i.uses}×</td><td>${i.state === 'active' ? actionButton(ctx, `/invitations/${i.id}/revoke`, 'Revoke') : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

/** `/clients`: the agency's clients, a form for a new one, and each one's connect invitations. */
export function clientsPage(
  ctx: PageContext,
  data: {
    clients: Clients;
    invitations: Map<string, Invitations>;
    apps: Apps;
    canCreate: boolean;
    now: number;
    /** A link just made: shown once, on this response only. */
    created?: { client: string; url: string; expires_at: string } | null;
  },
): string {
  return layout(
    ctx,
    'Clients',
    html`${
      data.created
        ? html`<section class="flash" role="status" aria-labelledby="invite-made"><h2 id="invite-made">Invitation for ${data.created.client}</h2>
<p>Send this link to the person at ${data.created.client} who manages its TikTok ad accounts. It works without an adwarden account until ${data.created.expires_at.slice(0, 10)}, only to connect accounts to ${data.created.client}; you can revoke it below. It is shown once.</p>
<p><input type="text" readonly value="${data.created.url}" aria-label="Invitation link" class="copy" id="invitation-url"></p></section>`
        : ''
    }${
      data.canCreate
        ? html`<form method="post" action="/clients">${csrfField(ctx)}<label>New client <input name="name" required maxlength="120" placeholder="Northwind Outdoors"></label> <button type="submit" class="primary">Add client</button></form>`
        : ''
    }
${data.clients.length === 0 ? html`<p class="muted">No clients yet. Add one, then send it a connect invitation.</p>` : ''}
${data.clients.map(
  (c) => html`<section aria-labelledby="client-${c.id}"><h2 id="client-${c.id}">${c.name}</h2>
<p><a href="/connections?client=${c.id}">${c.connections} connection${c.connections === 1 ? '' : 's'}</a> · <a href="/incidents?client=${c.id}">incidents</a></p>
${
  data.apps.length === 0
    ? html`<p class="muted">Register a TikTok app to invite.</p>`
    : html`<form method="post" action="/clients/${c.id}/invitations">${csrfField(ctx)}<label>App <select name="app_id">${data.apps.map(
        (a) => html`<option value="${a.app_id}">${a.name} (${a.environment})</option>`,
      )}</select></label> <label>Valid for <select name="days"><option value="7">7 days</option><option value="14">14 days</option><option value="30">30 days</option><option value="1">1 day</option></select></label> <button type="submit">Create connect invitation</button></form>`
}
${invitationTable(ctx, data.invitations.get(c.id) ?? [], data.now)}</section>`,
)}`,
    { live: false },
  );
}
