import { html, type Raw } from './layout.ts';

/** "Showing 51–100 of 240" and the links to the pages around, keeping the filters. */
export function pager(
  path: string,
  params: Record<string, string>,
  at: { page: number; per: number; total: number },
): Raw {
  const pages = Math.max(1, Math.ceil(at.total / at.per));
  const link = (page: number, label: string) => {
    const query = new URLSearchParams({
      ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)),
      page: String(page),
      per: String(at.per),
    });
    return html`<a href="${path}?${query.toString()}"${page === at.page ? html` aria-current="page"` : ''}>${label}</a>`;
  };
  const from = at.total === 0 ? 0 : (at.page - 1) * at.per + 1;
  const to = Math.min(at.total, at.page * at.per);
  const around = [...new Set([1, at.page - 1, at.page, at.page + 1, pages])]
    .filter((p) => p >= 1 && p <= pages)
    .sort((a, b) => a - b);
  return html`<nav class="pager" aria-label="Pages"><span class="muted">Showing ${from}–${to} of ${at.total}</span>${
    pages > 1
      ? html` ${at.page > 1 ? link(at.page - 1, '← Previous') : ''} ${around.map((p) => link(p, String(p)))} ${at.page < pages ? link(at.page + 1, 'Next →') : ''}`
      : ''
  }</nav>`;
}

/** A select whose current value is selected. */
export function choice(
  name: string,
  label: string,
  current: string,
  options: ReadonlyArray<readonly [string, string]>,
): Raw {
  return html`<label>${label} <select name="${name}">${options.map(
    ([value, text]) =>
      html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`,
  )}</select></label>`;
}
