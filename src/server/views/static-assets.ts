/** The dashboard's stylesheet: system fonts, readable at any width, visible focus, no framework. */
export const APP_CSS = `
:root{--fg:#1d2939;--muted:#667085;--line:#e4e7ec;--bg:#f9fafb;--good:#067647;--bad:#b42318;--warn:#b54708;--info:#175cd3}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
header{display:flex;flex-wrap:wrap;align-items:center;gap:1rem;padding:.6rem 1.2rem;background:#101828;color:#fff}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem;border-radius:4px}header a[aria-current=page]{background:#344054}
header ul{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;margin:0;padding:0}.brand{font-weight:700;margin-right:1rem}
.signout{margin-left:auto;color:#d0d5dd}main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
h1{font-size:1.5rem;margin:.8rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8rem;text-transform:uppercase;color:var(--muted)}.wrap{overflow-x:auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.8rem}.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8rem}
.card .n{font-size:1.8rem;font-weight:700}.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.8rem;border:1px solid currentColor}
.good{color:var(--good)}.bad{color:var(--bad)}.warn{color:var(--warn)}.info{color:var(--info)}.muted{color:var(--muted)}
.flash{background:#ecfdf3;border:1px solid #abefc6;padding:.5rem .8rem;border-radius:6px}.banner{background:#fef3f2;border:1px solid #fecdca;padding:.6rem .8rem;border-radius:6px}
form.inline{display:inline}button,input,select,textarea{font:inherit}button{cursor:pointer;padding:.3rem .8rem;border:1px solid #98a2b3;border-radius:6px;background:#fff}
button.primary,a.button.primary{background:#175cd3;color:#fff;border-color:#175cd3}a.button{display:inline-block;padding:.3rem .8rem;border:1px solid #98a2b3;border-radius:6px;text-decoration:none}button.danger{color:var(--bad);border-color:var(--bad)}
:focus-visible{outline:3px solid #84adff;outline-offset:2px}label{display:block;margin:.4rem 0}input,select{padding:.3rem .5rem;border:1px solid #98a2b3;border-radius:6px;max-width:100%}
ol.fix li{margin:.3rem 0}code{background:#f2f4f7;padding:.05rem .3rem;border-radius:4px}.timeline{list-style:none;padding:0}.timeline li{border-left:3px solid var(--line);padding:.2rem .8rem}
svg.health rect.ok{fill:#12b76a}svg.health rect.bad{fill:#f04438}svg.health rect.warn{fill:#f79009}svg.health rect.none{fill:#eaecf0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:.8rem}.chart{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem}
.chart figcaption{font-weight:600;margin-bottom:.3rem}.legend{font-weight:400;font-size:.85rem;color:var(--muted)}.legend span{margin-left:.6rem;white-space:nowrap}
.legend i{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.25rem;vertical-align:-1px}svg.bars{width:100%;height:9rem}svg.bars .axis{font-size:11px;fill:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form.filters{display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:flex-end;margin-bottom:.6rem}form.filters label{margin:.2rem 0}
.inline-list{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.8rem}.inline-list a.selected{font-weight:700;text-decoration:none;border-bottom:2px solid var(--info)}
.pager{margin:.6rem 0;display:flex;flex-wrap:wrap;gap:.6rem}.pager a[aria-current=page]{font-weight:700}input.copy{width:100%;font-family:monospace}
td{overflow-wrap:anywhere}
@media (max-width:40rem){th:nth-child(n+4),td:nth-child(n+4){display:none}header{padding:.6rem}main{padding:.6rem}}
`;

/**
 * Live updates without a reload: every 10 s the page fetches itself and swaps in the new <main>,
 * unless the person is typing in a form or the page asked not to.
 */
export const LIVE_JS = `
(() => {
  const main = document.getElementById('main');
  if (!main || main.dataset.live === 'off') return;
  const refresh = async () => {
    const active = document.activeElement;
    if (active && main.contains(active) && /INPUT|TEXTAREA|SELECT/.test(active.tagName)) return;
    try {
      const response = await fetch(location.href, { headers: { 'x-adwarden-live': '1' }, credentials: 'same-origin' });
      if (!response.ok || response.redirected) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('main');
      if (next && next.innerHTML !== main.innerHTML) main.innerHTML = next.innerHTML;
    } catch {}
  };
  setInterval(refresh, 10000);
})();
`;
