import { PROBLEMS } from '../../incidents/index.ts';
import type { Services } from '../../services/index.ts';
import { incidentTable } from './dashboard-pages.ts';
import { actionButton, ago, badge, csrfField, html, layout, type PageContext } from './layout.ts';
import { choice, pager } from './list-parts.ts';

type Incidents = Awaited<ReturnType<Services['incidents']['list']>>;
type Shown = Awaited<ReturnType<Services['incidents']['show']>>;

/** Problems the owner repairs by authorizing again. */
const REAUTH_FIXES = new Set(['auth', 'permission', 'expiry', 'environment']);

const FILTERS = [
  ['open,acknowledged', 'Active'],
  ['muted', 'Muted'],
  ['resolved', 'Resolved'],
  ['open,acknowledged,muted,resolved', 'All'],
] as const;

/** `/incidents`: state tabs, search, filters (client, severity, kind) and pages, newest first. */
export function incidentsPage(
  ctx: PageContext,
  data: {
    incidents: Incidents;
    state: string;
    total: number;
    page: number;
    per: number;
    filter: { client: string; severity: string; kind: string; q: string };
    clients: Array<{ id: string; name: string }>;
    now: number;
  },
): string {
  const f = data.filter;
  const keep = { client: f.client, severity: f.severity, kind: f.kind, q: f.q };
  const tab = (state: string) =>
    new URLSearchParams({
      ...Object.fromEntries(Object.entries(keep).filter(([, v]) => v)),
      state,
    }).toString();
  return layout(
    ctx,
    'Incidents',
    html`<nav aria-label="Filter"><ul class="inline-list">${FILTERS.map(
      ([state, label]) =>
        html`<li><a href="/incidents?${tab(state)}"${state === data.state ? html` aria-current="page" class="selected"` : ''}>${label}</a></li>`,
    )}</ul></nav>
<form method="get" action="/incidents" class="filters" role="search"><input type="hidden" name="state" value="${data.state}"><label>Search <input type="search" name="q" value="${f.q}" placeholder="words in the summary or subject"></label>
${choice('client', 'Client', f.client, [['', 'All clients'], ...data.clients.map((c) => [c.id, c.name] as const)])}
${choice('severity', 'Severity', f.severity, [
  ['', 'Any severity'],
  ['critical', 'critical'],
  ['high', 'high'],
  ['medium', 'medium'],
  ['low', 'low'],
])}
${choice('kind', 'Kind', f.kind, [['', 'Any kind'], ...PROBLEMS.map((k) => [k, k.replace(/_/g, ' ')] as const)])}
<button type="submit">Filter</button></form>
${incidentTable(data.incidents, data.now)}
${pager('/incidents', { ...keep, state: data.state }, { page: data.page, per: data.per, total: data.total })}`,
  );
}

/** `/incidents/:id`: what is wrong, the fix, what adwarden did, the timeline, and the commands. */
export function incidentPage(
  ctx: PageContext,
  data: { incident: Shown; now: number /** Channel names by id. */; channels?: Map<string, string> },
): string {
  const i = data.incident;
  const subject = i.subject as { type: string; label?: string; connectionId?: string };
  const base = `/incidents/${i.id}`;
  const commands =
    i.state === 'resolved'
      ? [actionButton(ctx, `${base}/reopen`, 'Reopen')]
      : [
          i.state === 'open' ? actionButton(ctx, `${base}/acknowledge`, 'Acknowledge', 'primary') : '',
          i.state === 'muted'
            ? actionButton(ctx, `${base}/unmute`, 'Unmute')
            : actionButton(ctx, `${base}/mute`, 'Mute'),
          actionButton(ctx, `${base}/resolve`, 'Resolve'),
        ];
  return layout(
    ctx,
    `${i.kind.replace(/_/g, ' ')}: ${subject.label ?? ''}`,
    html`<p>${badge(i.severity)} ${badge(i.state)} opened ${ago(i.opened_at, data.now)}${i.resolved_at ? html`, resolved ${ago(i.resolved_at, data.now)}` : ''} · seen ${i.occurrences}×${i.reopen_count ? ` · came back ${i.reopen_count}×` : ''}</p>
<p>${i.summary}</p>
${subject.connectionId ? html`<p>Connection: <a href="/connections/${subject.connectionId}">${subject.connectionId}</a></p>` : ''}
${
  subject.connectionId && i.state !== 'resolved' && REAUTH_FIXES.has(i.kind)
    ? html`<p>${actionButton(ctx, `/connections/${subject.connectionId}/reauth-link`, 'Create a re-auth link for the owner', 'primary')} <span class="muted">(adwarden already sent one to the owner and every channel)</span></p>`
    : ''
}
<p>${commands}</p>
<h2>What to do</h2>${
      i.fix.length
        ? html`<ol class="fix">${i.fix.map((step) => html`<li>${step}</li>`)}</ol>`
        : html`<p class="muted">Nothing: adwarden handles it.</p>`
    }
${
  typeof i.facts.code === 'number' || typeof i.facts.code === 'string'
    ? html`<p>TikTok code <a href="/errors/${String(i.facts.code)}">${String(i.facts.code)}</a>${i.facts.request_id ? html` · request id <code>${String(i.facts.request_id)}</code>` : ''}</p>`
    : ''
}
<h2>Handled automatically</h2>${
      i.actions.length
        ? html`<ul>${i.actions.map((a) => html`<li>${a.text.replace(/^Handled automatically: /, '')} ${ago(a.at, data.now)}</li>`)}</ul>`
        : html`<p class="muted">Nothing yet.</p>`
    }
<h2>Timeline</h2><ol class="timeline">${[...i.timeline]
      .reverse()
      .map((e) => html`<li>${ago(e.at, data.now)} · <strong>${e.kind}</strong> · ${e.text}</li>`)}</ol>
<h2>Notifications</h2>${
      i.notifications.length
        ? html`<ul>${i.notifications.map((n) => html`<li>${n.event} → ${data.channels?.get(n.channel_id) ?? n.channel_id}: ${badge(n.status)}${n.last_error ? ` (${n.last_error})` : ''}</li>`)}</ul>`
        : html`<p class="muted">None sent.</p>`
    }
<form method="post" action="${base}/resolve"><h2>Resolve with a note</h2>${csrfField(ctx)}<label>Note <input name="note" maxlength="2000"></label><button type="submit">Resolve</button></form>`,
  );
}
