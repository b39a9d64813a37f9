/**
 * The site's front page (`index.html`): every ICB with its networks, linking to the ICB overviews
 * and the network dashboards, each ICB with a one-line status (its fill rate in its latest week
 * and which networks the ICB overview flags, icb-flags.ts). Plain links, so it works with
 * JavaScript off.
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
import type { NetworkDataQuality } from './data-quality.js';
import { formatPercent, formatWeekOf } from './format.js';
import { escapeHtml } from './html.js';
import { flaggedNetworks, icbName, plural } from './icb-page.js';
import { networkName } from './network-page.js';
import { type IcbOfNetwork, pathAccess } from './site-access.js';
import type { IcbWeekRow, NetworkMetrics } from './site-data.js';

/** Flagged networks named in an ICB's status line; the rest are counted. */
const NAMED_FLAGGED = 3;

/** "1 of 6 networks flagged: A" / "no network flagged" / "4 of 30 networks flagged: A, B, C and 1 more". */
export function flaggedLine(names: readonly string[], networks: number): string {
  if (names.length === 0) return 'no network flagged';
  const named = names.slice(0, NAMED_FLAGGED);
  const more = names.length - named.length;
  const list =
    more > 0
      ? `${named.join(', ')} and ${more} more`
      : named.length > 1
        ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`
        : (named[0] as string);
  return `${names.length} of ${plural(networks, 'network')} flagged: ${list}`;
}

/** Shown by site.js behind sign-in when the viewer's grants open nothing on the index. */
export const NO_ACCESS = `<p class="no-access" data-no-access hidden>Your account does not open any network or ICB yet. Ask your Rotascope administrator to add you to your network's group (for example <code>network-U60865</code>) or your ICB's (<code>icb-QMF</code>).</p>`;

export function indexPage(options: {
  /** Network codes by ICB code. */
  icbs: Map<string, string[]>;
  icbWeeks: Map<string, IcbWeekRow[]>;
  reference: Reference;
  access: SiteAccessMode;
  icbOf: IcbOfNetwork;
  /** Every network's metrics, for the flags in each ICB's status line. */
  networks: Map<string, NetworkMetrics>;
  quality: Map<string, NetworkDataQuality>;
  now: Date;
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
    const icbHref = `icb/${icb}/index.html`;
    const codesOfIcb = icbs.get(icb) ?? [];
    const flagged = signedIn
      ? []
      : flaggedNetworks({
          networks: new Map(
            codesOfIcb.flatMap((c) => {
              const m = options.networks.get(c);
              return m ? [[c, m] as const] : [];
            }),
          ),
          icbWeeks: icbWeeks.get(icb) ?? [],
          reference,
          quality: options.quality,
          now: options.now,
        }).filter((n) => n.flags.length > 0);
    const flaggedCodes = new Set(flagged.map((n) => n.code));
    const list = (icbs.get(icb) ?? [])
      .map((c) => ({ code: c, name: networkName(reference, c) }))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => {
        const href = `networks/${n.code}/index.html`;
        return `<li${grantsOf(href)}><a href="${escapeHtml(href)}">${escapeHtml(n.name)}</a> <span class="code">${escapeHtml(n.code)}</span>${flaggedCodes.has(n.code) ? ' <strong class="flag-tag">flagged</strong>' : ''}</li>`;
      })
      .join('\n');
    const week = latest
      ? `Fill rate ${formatPercent(latest.fill_rate_shifts)} in the ${formatWeekOf(latest.week_start)}`
      : 'No weeks yet';
    const summary = signedIn
      ? ''
      : `\n<p class="icb-status">${escapeHtml(week)}; ${escapeHtml(
          flaggedLine(
            flagged.map((n) => n.name),
            codesOfIcb.length,
          ),
        )}.</p>`;
    return `<section class="panel" aria-labelledby="icb-${escapeHtml(icb)}"><h2 id="icb-${escapeHtml(icb)}"><a href="${escapeHtml(icbHref)}"${grantsOf(icbHref)}>${escapeHtml(icbName(reference, icb))}</a></h2>${summary}
<ul class="network-list">
${list}
</ul></section>`;
  });
  const body = `<h1>Primary care network workforce</h1>
<p class="lede">${escapeHtml(plural(networks, 'network'))} in ${escapeHtml(plural(codes.length, 'ICB'))}. Open an ICB for the commissioner overview, or a network for its dashboard and weekly reports.</p>${signedIn ? `\n${NO_ACCESS}` : ''}
${sections.join('\n')}`;
  return { title: 'All ICBs', breadcrumbs: 'All ICBs', body, datasets: {} };
}
