import { CATALOG, type CatalogEntry, type Diagnosis } from '../../catalog/index.ts';
import { html, layout, type PageContext } from './layout.ts';

const codeOf = (e: CatalogEntry) => (e.rangeEnd ? `${e.code}–${e.rangeEnd}` : String(e.code));

/** `/errors`: every TikTok return code adwarden knows, with the folklore corrections flagged. */
export function errorsIndexPage(
  ctx: PageContext,
  search: { q: string; recognized: Diagnosis | null } = { q: '', recognized: null },
): string {
  const q = search.q.toLowerCase();
  const entries = q
    ? CATALOG.filter((e) =>
        [
          String(e.code),
          e.name ?? '',
          e.title,
          e.meaning,
          ...e.causes,
          ...e.alsoDescribedAs.map((f) => f.claim),
        ]
          .join(' ')
          .toLowerCase()
          .includes(q),
      )
    : CATALOG;
  const d = search.recognized;
  return layout(
    ctx,
    'Knowledge base: TikTok return codes',
    html`<p>What each code of TikTok's Marketing API (v1.3) means per TikTok's own code table, what adwarden does by itself, and what a person does. Where popular "error decoder" pages say otherwise, the code's page says so.</p>
<form method="get" action="/errors" class="filters" role="search"><label>Search a code, a word, or paste TikTok's message <input type="search" name="q" value="${search.q}" size="40" placeholder="40100, scope, Invalid access token"></label> <button type="submit">Search</button></form>
${
  d && d.basis !== 'unrecognized'
    ? html`<section class="flash" aria-labelledby="recognized"><h2 id="recognized">That reads as ${typeof d.code === 'number' ? html`<a href="/errors/${d.code}">${d.code}</a>` : d.code}: ${d.title}</h2>${
        d.folkloreNote ? html`<p><strong>About that phrase:</strong> ${d.folkloreNote}</p>` : ''
      }<ol class="fix">${d.fix.map((f) => html`<li>${f}</li>`)}</ol></section>`
    : ''
}
${q ? html`<p class="muted">${entries.length} of ${CATALOG.length} codes mention “${search.q}”.</p>` : ''}
<div class="wrap"><table><thead><tr><th>Code</th><th>Meaning</th><th>Kind</th><th>Folklore</th></tr></thead><tbody>
${entries.map(
  (
    e,
  ) => html`<tr><td><a href="/errors/${e.code}">${codeOf(e)}</a></td><td>${e.title}</td><td>${e.kind.replace(/_/g, ' ')}</td>
<td>${e.alsoDescribedAs.some((f) => f.verdict === 'contradicts') ? html`<span class="warn">corrected</span>` : ''}</td></tr>`,
)}</tbody></table></div>`,
    { live: false },
  );
}

/** `/errors/:code`: one code in full. */
export function errorPage(ctx: PageContext, e: CatalogEntry): string {
  return layout(
    ctx,
    `${codeOf(e)}: ${e.title}`,
    html`<p>${e.meaning}</p>
<p>Kind <strong>${e.kind.replace(/_/g, ' ')}</strong> · adwarden's action <strong>${e.action.replace(/_/g, ' ')}</strong> · who fixes it: ${e.actor} · confidence ${e.confidence}${e.name ? html` · TikTok's name <code>${e.name}</code>` : ''}</p>
${e.inTikTokTables ? '' : html`<p class="banner">This code is not in TikTok's own tables.</p>`}
<h2>Causes</h2><ul>${e.causes.map((c) => html`<li>${c}</li>`)}</ul>
<h2>What to do</h2><ol class="fix">${e.fix.map((f) => html`<li>${f}</li>`)}</ol>
${
  e.alsoDescribedAs.length
    ? html`<h2>What other pages say</h2><ul>${e.alsoDescribedAs.map(
        (f) =>
          html`<li>${f.by} says “${f.claim}”: <strong class="${f.verdict === 'contradicts' ? 'bad' : 'muted'}">${f.verdict === 'contradicts' ? 'wrong per TikTok' : f.verdict}</strong>.</li>`,
      )}</ul>`
    : ''
}
${e.note ? html`<p class="muted">${e.note}</p>` : ''}
<h2>Sources</h2><ul>${e.sources.map((s) => html`<li>${s}</li>`)}</ul>
<p><a href="/errors">All codes</a></p>`,
    { live: false },
  );
}
