/**
 * The site's front page (`index.html`): every ICB with its networks, linking to the ICB overviews
 * and the network dashboards. Plain links, so it works with JavaScript off.
 */
import type { Reference } from '../reference/organisations.js';
import type { PageContent } from './components.js';
import { formatDate, formatPercent } from './format.js';
import { escapeHtml } from './html.js';
import { icbName } from './icb-page.js';
import { networkName } from './network-page.js';
import type { IcbWeekRow } from './site-data.js';

export function indexPage(options: {
  /** Network codes by ICB code. */
  icbs: Map<string, string[]>;
  icbWeeks: Map<string, IcbWeekRow[]>;
  reference: Reference;
}): PageContent {
  const { icbs, icbWeeks, reference } = options;
  const codes = [...icbs.keys()].sort((a, b) =>
    icbName(reference, a).localeCompare(icbName(reference, b)),
  );
  const networks = [...icbs.values()].reduce((n, list) => n + list.length, 0);
  const sections = codes.map((icb) => {
    const latest = icbWeeks.get(icb)?.at(-1);
    const list = (icbs.get(icb) ?? [])
      .map((c) => ({ code: c, name: networkName(reference, c) }))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(
        (n) =>
          `<li><a href="networks/${escapeHtml(n.code)}/index.html">${escapeHtml(n.name)}</a> <span class="code">${escapeHtml(n.code)}</span></li>`,
      )
      .join('\n');
    return `<section class="panel" aria-labelledby="icb-${escapeHtml(icb)}"><h2 id="icb-${escapeHtml(icb)}"><a href="icb/${escapeHtml(icb)}/index.html">${escapeHtml(icbName(reference, icb))}</a></h2>
<p>${escapeHtml((icbs.get(icb) ?? []).length)} networks · week starting ${escapeHtml(formatDate(latest?.week_start))}: fill rate ${escapeHtml(formatPercent(latest?.fill_rate_shifts))}</p>
<ul class="network-list">
${list}
</ul></section>`;
  });
  const body = `<h1>Primary care network workforce</h1>
<p class="lede">${escapeHtml(networks)} networks in ${escapeHtml(codes.length)} ICBs. Open an ICB for the commissioner overview, or a network for its dashboard and weekly reports.</p>
${sections.join('\n')}`;
  return { title: 'All ICBs', breadcrumbs: 'All ICBs', body, datasets: {} };
}
