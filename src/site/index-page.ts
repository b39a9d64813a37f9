/**
 * The site's front page (`index.html`): every ICB with its networks, linking to the ICB overviews
 * and the network dashboards. Plain links, so it works with JavaScript off.
 *
 * Behind sign-in (`access: 'signed-in'`) every entry carries `data-grants`: the grants that open
 * its link, from the same rule the edge enforces (src/site/site-access.ts), and site.js hides
 * what the viewer's grants cookie does not open (and says so when that is everything). The index
 * itself is open to every signed-in viewer, so in that mode it shows names and links only, no ICB
 * figures.
 */

import type { Reference } from '../reference/organisations.js';
import type { SiteAccessMode } from './build-site.js';
import type { PageContent } from './components.js';
import { formatDate, formatPercent } from './format.js';
import { escapeHtml } from './html.js';
import { icbName } from './icb-page.js';
import { networkName } from './network-page.js';
import { type IcbOfNetwork, pathAccess } from './site-access.js';
import type { IcbWeekRow } from './site-data.js';

/** Shown by site.js behind sign-in when the viewer's grants open nothing on the index. */
export const NO_ACCESS = `<p class="no-access" data-no-access hidden>Your account does not open any network or ICB yet. Ask your Rotascope administrator to add you to your network's group (for example <code>network-U60865</code>) or your ICB's (<code>icb-QMF</code>).</p>`;

export function indexPage(options: {
  /** Network codes by ICB code. */
  icbs: Map<string, string[]>;
  icbWeeks: Map<string, IcbWeekRow[]>;
  reference: Reference;
  access: SiteAccessMode;
  icbOf: IcbOfNetwork;
}): PageContent {
  const { icbs, icbWeeks, reference } = options;
  const signedIn = options.access === 'signed-in';
  /** ` data-grants="..."` for a link when the site is behind sign-in. */
  const grantsOf = (href: string) => {
    if (!signedIn) return '';
    const access = pathAccess(`/${href}`, options.icbOf);
    const grants = access.kind === 'grants' ? access.grants : [];
    return ` data-grants="${escapeHtml(grants.join(' '))}"`;
  };
  const codes = [...icbs.keys()].sort((a, b) =>
    icbName(reference, a).localeCompare(icbName(reference, b)),
  );
  const networks = [...icbs.values()].reduce((n, list) => n + list.length, 0);
  const sections = codes.map((icb) => {
    const latest = icbWeeks.get(icb)?.at(-1);
    const list = (icbs.get(icb) ?? [])
      .map((c) => ({ code: c, name: networkName(reference, c) }))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => {
        const href = `networks/${n.code}/index.html`;
        return `<li${grantsOf(href)}><a href="${escapeHtml(href)}">${escapeHtml(n.name)}</a> <span class="code">${escapeHtml(n.code)}</span></li>`;
      })
      .join('\n');
    const icbHref = `icb/${icb}/index.html`;
    const summary = signedIn
      ? ''
      : `\n<p>${escapeHtml((icbs.get(icb) ?? []).length)} networks · week starting ${escapeHtml(formatDate(latest?.week_start))}: fill rate ${escapeHtml(formatPercent(latest?.fill_rate_shifts))}</p>`;
    return `<section class="panel" aria-labelledby="icb-${escapeHtml(icb)}"><h2 id="icb-${escapeHtml(icb)}"><a href="${escapeHtml(icbHref)}"${grantsOf(icbHref)}>${escapeHtml(icbName(reference, icb))}</a></h2>${summary}
<ul class="network-list">
${list}
</ul></section>`;
  });
  const body = `<h1>Primary care network workforce</h1>
<p class="lede">${escapeHtml(networks)} networks in ${escapeHtml(codes.length)} ICBs. Open an ICB for the commissioner overview, or a network for its dashboard and weekly reports.</p>${signedIn ? `\n${NO_ACCESS}` : ''}
${sections.join('\n')}`;
  return { title: 'All ICBs', breadcrumbs: 'All ICBs', body, datasets: {} };
}
