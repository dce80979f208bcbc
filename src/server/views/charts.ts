import { html, type Raw } from './layout.ts';

type Series = { name: string; values: number[]; color: string };

/**
 * Stacked daily bars as inline SVG (no script, allowed by the page's security policy), with a title
 * and a table for screen readers. Scales to its container: the mobile layout does not overflow.
 */
export function barChart(title: string, days: string[], series: Series[]): Raw {
  const width = 560;
  const height = 140;
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const slot = width / days.length;
  const bar = Math.max(2, slot * 0.7);
  const id = title.toLowerCase().replace(/\W+/g, '-');
  const rects = days.flatMap((_, i) => {
    let y = height;
    return series.map((s) => {
      const h = ((s.values[i] ?? 0) / max) * (height - 10);
      y -= h;
      return html`<rect x="${(i * slot + (slot - bar) / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"><title>${days[i]}: ${s.name} ${s.values[i] ?? 0}</title></rect>`;
    });
  });
  return html`<figure class="chart" aria-labelledby="${id}"><figcaption id="${id}">${title} <span class="legend">${series.map(
    (s) =>
      html`<span><i style="background:${s.color}"></i>${s.name} ${s.values.reduce((a, b) => a + b, 0)}</span>`,
  )}</span></figcaption>
<svg viewBox="0 0 ${width} ${height + 16}" role="img" aria-label="${title}" preserveAspectRatio="none" class="bars">${rects}
<text x="0" y="${height + 13}" class="axis">${days[0] ?? ''}</text><text x="${width}" y="${height + 13}" text-anchor="end" class="axis">${days.at(-1) ?? ''}</text></svg>
<table class="sr-only"><caption>${title}</caption><thead><tr><th>Day</th>${series.map((s) => html`<th>${s.name}</th>`)}</tr></thead><tbody>${days.map(
    (d, i) => html`<tr><td>${d}</td>${series.map((s) => html`<td>${s.values[i] ?? 0}</td>`)}</tr>`,
  )}</tbody></table></figure>`;
}

/** A small line of values (an advertiser's spend by day). */
export function sparkline(label: string, values: number[]): Raw {
  const width = 120;
  const height = 24;
  const max = Math.max(...values, 0.01);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(' ');
  return html`<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}" class="spark"><polyline points="${points}" fill="none" stroke="#1570ef" stroke-width="1.5"/></svg>`;
}
