import { escapeHtml } from '../pages.ts';

/** HTML-escapes every interpolated value: `html\`<p>${name}</p>\``; `raw()` marks trusted markup. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Raw(out);
}

/** Markup that is already safe. */
export class Raw {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string) => new Raw(value);

function render(value: unknown): string {
  if (value instanceof Raw) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** What every dashboard page needs from the request. */
export interface PageContext {
  /** The signed-in user's email, or null on public pages. */
  user: string | null;
  csrf: string;
  path: string;
  /** A one-line notice after a form was handled ("Check started"). */
  flash?: string | null;
}

const NAV = [
  ['/', 'Overview'],
  ['/clients', 'Clients'],
  ['/connections', 'Connections'],
  ['/incidents', 'Incidents'],
  ['/errors', 'Knowledge base'],
  ['/settings', 'Settings'],
] as const;

/** A hidden CSRF field for forms that change something. */
export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

/** A one-button form posting to `action`. */
export function actionButton(ctx: PageContext, action: string, label: string, style = ''): Raw {
  return html`<form method="post" action="${action}" class="inline">${csrfField(ctx)}<button type="submit" class="${style}">${label}</button></form>`;
}

/** The dashboard's frame: header, navigation, main content; live.js refreshes <main> in place. */
export function layout(ctx: PageContext, title: string, body: Raw, options: { live?: boolean } = {}): string {
  const current = (href: string) =>
    href === '/' ? ctx.path === '/' : ctx.path === href || ctx.path.startsWith(`${href}/`);
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} – adwarden</title><link rel="stylesheet" href="/static/app.css">
${options.live === false ? '' : raw('<script src="/static/live.js" defer></script>')}</head>
<body><a class="skip" href="#main">Skip to content</a>
<header><span class="brand">adwarden</span>
${
  ctx.user
    ? html`<nav aria-label="Main"><ul>${NAV.map(
        ([href, label]) =>
          html`<li><a href="${href}"${current(href) ? raw(' aria-current="page"') : ''}>${label}</a></li>`,
      )}</ul></nav>
<form method="post" action="/logout" class="inline signout">${csrfField(ctx)}<span>${ctx.user}</span> <button type="submit">Sign out</button></form>`
    : html`<nav aria-label="Main"><ul><li><a href="/errors">Knowledge base</a></li><li><a href="/login">Sign in</a></li></ul></nav>`
}
</header>
<main id="main" data-live="${options.live === false ? 'off' : 'on'}"><h1>${title}</h1>
${
  ctx.flash
    ? /^Not done\b/.test(ctx.flash)
      ? html`<p class="banner" role="alert">${ctx.flash}</p>`
      : html`<p class="flash" role="status">${ctx.flash}</p>`
    : ''
}${body}</main></body></html>`}`;
}

/** A status pill. */
export function badge(text: string, tone?: string): Raw {
  return html`<span class="badge ${tone ?? toneOf(text)}">${text.replace(/_/g, ' ')}</span>`;
}

function toneOf(text: string): string {
  if (/^(healthy|resolved|ready|ok|valid|STATUS_ENABLE|delivered)$/.test(text)) return 'good';
  if (/^(critical|needs_reauth|revoked|stuck|failed|dead)$/.test(text)) return 'bad';
  if (/^(high|degraded|open|held|STATUS_LIMIT)$/.test(text)) return 'warn';
  return 'info';
}

/** "3 min ago" style time with the exact ISO time on hover. */
export function ago(iso: string | null | undefined, now: number): Raw {
  if (!iso) return html`<span class="muted">never</span>`;
  const ms = now - Date.parse(iso);
  const abs = Math.abs(ms);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 86_400_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} d`;
  return html`<time datetime="${iso}" title="${iso}">${ms >= 0 ? `${text} ago` : `in ${text}`}</time>`;
}
