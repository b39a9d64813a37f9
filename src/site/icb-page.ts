/**
 * The commissioner's overview of one ICB (`icb/<code>/index.html`): the ICB's own week, then every
 * network's latest-week KPIs with change on the previous week and a 12-week sparkline (one scale
 * for the column), flagged networks first with each flag in words (icb-flags.ts), in two tables
 * (cover, then compared per 1,000 patients) the browser script makes sortable and
 * dashboards/icb-filter.js filterable by name and flag; then a
 * small server-drawn chart per network against the ICB (icb-small-multiples.ts). No chart library.
 */
import { addDays } from '../calendar.js';
import type { Reference } from '../reference/organisations.js';
import { onCalendar, weekBefore } from './calendar-weeks.js';
import { dataTable, downloadLinks } from './chart.js';
import { COVER_COLUMNS, kpiTiles, type PageContent, panel, text } from './components.js';
import type { NetworkDataQuality } from './data-quality.js';
import {
  formatDate,
  formatHours,
  formatPercent,
  formatPounds,
  formatWeekOf,
  NO_DATA,
  pointsBetween,
} from './format.js';
import { escapeHtml } from './html.js';
import {
  EA_RECENT_WEEKS,
  EA_SHORT_WEEKS,
  FALLING_MIN_POINTS,
  FALLING_WEEKS,
  FLAG_LABELS,
  GAP_AGENCY_SHARE_POINTS,
  GAP_FILL_RATE_POINTS,
  type IcbFlag,
  icbFlags,
  UNFILLED_SHARE_MIN_HOURS,
  UNFILLED_SHARE_RATIO,
  USUAL_RANGE_WEEKS,
} from './icb-flags.js';
import {
  enhancedAccessFigure,
  type Figure,
  icbPerPatientSummary,
  perThousandFigures,
  populationFigure,
  populationSource,
} from './icb-per-patient.js';
import { smallMultiples } from './icb-small-multiples.js';
import { exportAgeDays, isStale, networkKpis, STALE_AFTER_DAYS } from './kpis.js';
import { networkName } from './network-page.js';
import type { EnhancedAccessRow, IcbWeekRow, NetworkMetrics } from './site-data.js';
import { sharedDomain, sparklineSvg } from './sparkline.js';

/** Weeks in the sparklines and the ICB chart. */
export const ICB_TREND_WEEKS = 12;

/** Flagged networks named, with their reasons, at the top of the page; the rest are counted. */
const ATTENTION_NAMED = 5;

export interface IcbPageInput {
  icbCode: string;
  /** The ICB's networks that have metrics, by code. */
  networks: Map<string, NetworkMetrics>;
  icbWeeks: IcbWeekRow[];
  reference: Reference;
  quality: Map<string, NetworkDataQuality>;
  now: Date;
}

export function icbName(reference: Reference, code: string): string {
  return reference.icbs.get(code)?.name ?? (code || 'ICB not known');
}

/** Change in percentage points, compact for a table cell: "+2.7", "−4.4", "0.0"; else "no data". */
function pointsDelta(
  current: number | null | undefined,
  previous: number | null | undefined,
): string {
  if (current == null || previous == null) return NO_DATA;
  const points = pointsBetween(current, previous);
  return `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points).toFixed(1)}`;
}

/**
 * A table cell with the value to sort by (numbers sort as numbers; missing sorts last). `wrap`: a
 * number with words after it, whose words may wrap.
 */
function cell(
  content: string,
  sortValue: number | string | null,
  numeric = false,
  wrap = false,
): string {
  const sort = sortValue === null ? '' : ` data-sort="${escapeHtml(sortValue)}"`;
  const classes = [numeric ? 'num' : '', wrap ? 'wrap' : ''].filter(Boolean).join(' ');
  return `<td${classes ? ` class="${classes}"` : ''}${sort}>${content}</td>`;
}

/** A network of the ICB with its flags at its latest week. */
export interface FlaggedNetwork {
  code: string;
  name: string;
  metrics: NetworkMetrics;
  flags: IcbFlag[];
}

/**
 * The ICB's networks with their flags, flagged first (most flags first), then by name: the order
 * of the table and of the small multiples.
 */
export function flaggedNetworks(
  input: Pick<IcbPageInput, 'networks' | 'icbWeeks' | 'reference' | 'quality' | 'now'>,
): FlaggedNetwork[] {
  return [...input.networks]
    .map(([code, metrics]) => ({
      code,
      name: networkName(input.reference, code),
      metrics,
      flags: icbFlags({
        weeks: metrics.networkWeek,
        icbWeeks: input.icbWeeks,
        lastExport: input.quality.get(code)?.lastExport,
        now: input.now,
        enhancedAccess: metrics.enhancedAccess,
      }),
    }))
    .sort((a, b) => b.flags.length - a.flags.length || a.name.localeCompare(b.name));
}

/** The network's Enhanced Access row for its latest week, if any. */
function latestEnhancedAccess(metrics: NetworkMetrics): EnhancedAccessRow | undefined {
  const week = metrics.networkWeek.at(-1)?.week_start;
  return metrics.enhancedAccess.find((r) => r.week_start === week);
}

/** A figure's cell; `wrap`: its words may wrap (a qualified figure such as "62,117, unknown for 2 practices"). */
const figureCell = (f: Figure, wrap?: 'wrap') =>
  cell(escapeHtml(f.text), f.sort, true, wrap === 'wrap');

interface Column {
  title: string;
  numeric?: boolean;
  nosort?: boolean;
}

/**
 * The networks' cover in their latest week: the table a commissioner reads first. With the
 * comparison below it, two tables that each fit a 1280 px screen, where one table of all 15
 * columns scrolled sideways inside its panel.
 */
const COVER_HEADERS: Column[] = [
  { title: 'Network' },
  { title: 'Flags' },
  { title: 'Fill rate', numeric: true },
  { title: 'Change (points)', numeric: true },
  { title: 'Trend (12 weeks)', nosort: true },
  { title: 'Unfilled hours', numeric: true },
  { title: 'Temporary staffing', numeric: true },
  { title: 'Enhanced Access (filled of required)', numeric: true },
];

/** The same networks and weeks compared fairly: per 1,000 registered patients, spend, data. */
const COMPARE_HEADERS: Column[] = [
  { title: 'Network' },
  { title: 'Patients', numeric: true },
  { title: 'Filled hours per 1,000', numeric: true },
  { title: 'Unfilled hours per 1,000', numeric: true },
  { title: 'Agency spend', numeric: true },
  { title: 'Agency share', numeric: true },
  { title: 'Agency spend per 1,000', numeric: true },
  { title: 'Latest rota export' },
];

/** The opening of a network's row in either table: filter data, shading, its name. */
function rowStart(network: FlaggedNetwork): string {
  const { code, name, flags } = network;
  const classes = [
    flags.length > 0 ? 'outlier' : '',
    flags.some((f) => f.kind === 'stale') ? 'stale' : '',
  ].filter(Boolean);
  return `<tr${classes.length ? ` class="${classes.join(' ')}"` : ''} data-filter-item data-name="${escapeHtml(`${name} ${code}`.toLowerCase())}" data-flags="${escapeHtml(flags.map((f) => f.kind).join(' '))}"><th scope="row" data-sort="${escapeHtml(name)}"><a href="../../networks/${escapeHtml(code)}/index.html">${escapeHtml(name)}</a> <span class="code">${escapeHtml(code)}</span></th>`;
}

function coverRow(
  network: FlaggedNetwork,
  icbLatestWeek: string | undefined,
  domain: [number, number] | null,
): string {
  const { name, metrics, flags } = network;
  const weeks = metrics.networkWeek;
  const latest = weeks.at(-1);
  const previous = weekBefore(weeks, latest);
  const trend = onCalendar(weeks, ICB_TREND_WEEKS).map((w) => w?.fill_rate_shifts ?? null);
  // A network behind the ICB's latest week says which week its figures are from.
  const behind =
    latest && icbLatestWeek && latest.week_start !== icbLatestWeek
      ? ` <span class="behind">(${escapeHtml(formatWeekOf(latest.week_start))})</span>`
      : '';
  const flagCell = flags.length
    ? `<ul class="flag-list">${flags.map((f) => `<li><strong class="flag-tag">${escapeHtml(FLAG_LABELS[f.kind])}</strong> ${escapeHtml(f.sentence)}</li>`).join('')}</ul>`
    : 'none';
  return `${rowStart(network)}
${cell(flagCell, flags.length)}
${cell(`${escapeHtml(formatPercent(latest?.fill_rate_shifts))}${behind}`, latest?.fill_rate_shifts ?? null, true)}
${cell(escapeHtml(pointsDelta(latest?.fill_rate_shifts, previous?.fill_rate_shifts)), latest?.fill_rate_shifts != null && previous?.fill_rate_shifts != null ? latest.fill_rate_shifts - previous.fill_rate_shifts : null, true)}
${cell(sparklineSvg(trend, `Fill rate, ${name}`, formatPercent, domain), null)}
${cell(escapeHtml(formatHours(latest?.unfilled_hours)), latest?.unfilled_hours ?? null, true)}
${cell(escapeHtml(formatPercent(latest?.temporary_staffing_share)), latest?.temporary_staffing_share ?? null, true)}
${figureCell(enhancedAccessFigure(latestEnhancedAccess(metrics)), 'wrap')}</tr>`;
}

function compareRow(input: IcbPageInput, network: FlaggedNetwork): string {
  const latest = network.metrics.networkWeek.at(-1);
  const lastExport = input.quality.get(network.code)?.lastExport ?? null;
  const age = exportAgeDays(lastExport, input.now);
  const perThousand = perThousandFigures(latest);
  return `${rowStart(network)}
${figureCell(populationFigure(latest ?? {}), 'wrap')}
${[perThousand.filled, perThousand.unfilled].map((f) => figureCell(f)).join('\n')}
${cell(escapeHtml(formatPounds(latest?.agency_spend_pence)), latest?.agency_spend_pence ?? null, true)}
${cell(escapeHtml(formatPercent(latest?.agency_share_of_spend)), latest?.agency_share_of_spend ?? null, true)}
${figureCell(perThousand.agency)}
${cell(escapeHtml(lastExport ? `${formatDate(lastExport.slice(0, 10))} (${age} day${age === 1 ? '' : 's'} ago)` : NO_DATA), lastExport)}</tr>`;
}

/** One of the two networks tables, sortable and filtered together, in its scroll region. */
function networksTable(caption: string, headers: Column[], rows: string[]): string {
  return `<div class="table-scroll" role="region" tabindex="0" aria-label="${escapeHtml(caption)}"><table class="nhsuk-table sortable" data-sortable data-filter-table><caption class="nhsuk-table__caption">${escapeHtml(caption)}</caption>
<thead><tr>${headers.map((h) => `<th scope="col"${h.nosort ? ' data-nosort' : ''}${h.numeric ? ' class="num"' : ''}>${escapeHtml(h.title)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></div>`;
}

/** The filter over the table and the small multiples: hidden until icb-filter.js shows it. */
function filterControls(flagged: FlaggedNetwork[]): string {
  const kinds = (Object.keys(FLAG_LABELS) as (keyof typeof FLAG_LABELS)[]).filter((k) =>
    flagged.some((n) => n.flags.some((f) => f.kind === k)),
  );
  const options = [
    '<option value="">All networks</option>',
    '<option value="any">Any flag</option>',
    ...kinds.map((k) => `<option value="${escapeHtml(k)}">${escapeHtml(FLAG_LABELS[k])}</option>`),
    '<option value="none">No flag</option>',
  ];
  return `<div class="icb-filter no-print" data-icb-filter hidden>
<div class="nhsuk-form-group"><label class="nhsuk-label" for="network-filter-name">Network name or code</label><input class="nhsuk-input" id="network-filter-name" type="text" autocomplete="off" data-filter-name></div>
<div class="nhsuk-form-group"><label class="nhsuk-label" for="network-filter-flag">Show</label><select class="nhsuk-select" id="network-filter-flag" data-filter-flag>${options.join('')}</select></div>
</div>
<p class="filter-count" role="status" aria-live="polite" data-filter-count></p>`;
}

/** The flag rules in words, as docs/dashboards.md defines them. */
const FLAG_RULES = `<details><summary>How networks are flagged</summary><ul>
<li><strong>${FLAG_LABELS.falling}</strong>: the fill rate fell in each of the latest ${FALLING_WEEKS} weeks (or more), by ${FALLING_MIN_POINTS} points or more in all.</li>
<li><strong>${FLAG_LABELS['below-usual']}</strong>: the latest fill rate is under the average of the ${USUAL_RANGE_WEEKS} weeks before by more than twice their usual spread (2 standard deviations) and by more than 2 points.</li>
<li><strong>${FLAG_LABELS['unfilled-share']}</strong>: the network's share of the ICB's unfilled hours is more than ${UNFILLED_SHARE_RATIO} times its share of the hours needed, and it has ${UNFILLED_SHARE_MIN_HOURS} or more unfilled hours (a full-time week).</li>
<li><strong>${FLAG_LABELS['below-icb']}</strong>: the fill rate is ${GAP_FILL_RATE_POINTS} or more points below the ICB's. <strong>${FLAG_LABELS['agency-above-icb']}</strong>: agency share of spend ${GAP_AGENCY_SHARE_POINTS} or more points above it.</li>
<li><strong>${FLAG_LABELS['ea-short']}</strong>: filled hours in the Enhanced Access windows below the required minimum in the latest week, or in ${EA_SHORT_WEEKS} of the latest ${EA_RECENT_WEEKS} weeks; a week whose minimum is unknown (population unknown for a practice) is never counted as short.</li>
<li><strong>${FLAG_LABELS.stale}</strong>: no rota (shifts) export for more than ${STALE_AFTER_DAYS} days; an availability export does not make the figures current.</li>
</ul><p>Fill rates are by shifts; the ICB's figures are pooled over all its networks.</p></details>`;

/**
 * Which networks the ICB's week is pooled over: "2 of 3 networks reported; no data from X". A
 * network without data that week is not in the ICB's figures, so a change on the week before
 * may be a change of networks, not of cover: said when the count differs.
 */
export function icbCoverage(
  latest: IcbWeekRow,
  previous: IcbWeekRow | undefined,
  networks: readonly { name: string; metrics: NetworkMetrics }[],
): string {
  const silent = networks
    .filter((n) => !n.metrics.networkWeek.some((w) => w.week_start === latest.week_start))
    .map((n) => n.name);
  const reported = latest.networks_reporting ?? networks.length - silent.length;
  const changed =
    previous && previous.networks_reporting !== latest.networks_reporting
      ? ` The week before had ${plural(previous.networks_reporting ?? 0, 'network')} reporting, so changes on it are partly a change of networks.`
      : '';
  return `<p class="icb-coverage">${escapeHtml(
    `${reported} of ${plural(networks.length, 'network')} reported this week${
      silent.length > 0 ? `; no data from ${silent.join(', ')}` : ''
    }.${changed}`,
  )}</p>`;
}

export function icbPage(input: IcbPageInput): PageContent {
  const { icbCode, icbWeeks, reference, now } = input;
  const name = icbName(reference, icbCode);
  const latest = icbWeeks.at(-1);
  const previousWeek = weekBefore(icbWeeks, latest);
  const networks = flaggedNetworks(input);
  const staleNames = networks
    .filter((n) => isStale(input.quality.get(n.code)?.lastExport, now))
    .map((n) => n.name);
  const warning =
    staleNames.length === 0
      ? ''
      : `<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Exports out of date</span></h2><p>${escapeHtml(staleNames.length)} network${staleNames.length === 1 ? ' has' : 's have'} sent no rota (shifts) export for more than ${STALE_AFTER_DAYS} days: ${escapeHtml(staleNames.join(', '))}. Their figures may be out of date.</p></div>`;
  const trends = networks.map((n) =>
    onCalendar(n.metrics.networkWeek, ICB_TREND_WEEKS).map((w) => w?.fill_rate_shifts ?? null),
  );
  const domain = sharedDomain(trends);
  const tables = [
    networksTable(
      `Cover in ${name}: each network at its latest week, flagged first`,
      COVER_HEADERS,
      networks.map((n) => coverRow(n, latest?.week_start, domain)),
    ),
    networksTable(
      `Compared fairly: per 1,000 registered patients, agency spend and the latest rota export`,
      COMPARE_HEADERS,
      networks.map((n) => compareRow(input, n)),
    ),
  ].join('\n');
  const flaggedList = networks.filter((n) => n.flags.length > 0);
  const flaggedCount = flaggedList.length;
  // The page's answer first: which networks need a look, and why, in words.
  const attention =
    flaggedCount === 0
      ? '<p class="icb-attention">No network is flagged this week.</p>'
      : `<h2 class="icb-attention-title">Needs a look</h2>
<ul class="icb-attention">
${flaggedList
  .slice(0, ATTENTION_NAMED)
  .map(
    (n) =>
      `<li><a href="../../networks/${escapeHtml(n.code)}/index.html">${escapeHtml(n.name)}</a>: ${escapeHtml(n.flags.map((f) => f.sentence).join('. '))}.</li>`,
  )
  .join(
    '\n',
  )}${flaggedCount > ATTENTION_NAMED ? `\n<li>and ${escapeHtml(plural(flaggedCount - ATTENTION_NAMED, 'more network'))}: see the table.</li>` : ''}
</ul>`;
  const icbTrend = onCalendar(icbWeeks, ICB_TREND_WEEKS);
  const lastWeek = icbWeeks.at(-1)?.week_start ?? '';
  const weeks = icbTrend.map((_, i) => addDays(lastWeek, 7 * (i - icbTrend.length + 1)));
  const byWeek = (n: FlaggedNetwork) => {
    const rates = new Map(n.metrics.networkWeek.map((w) => [w.week_start, w.fill_rate_shifts]));
    return weeks.map((w) => rates.get(w) ?? null);
  };
  const trendRows = networks
    .flatMap((n) =>
      n.metrics.networkWeek.slice(-ICB_TREND_WEEKS).map((w) => ({ ...w, network_name: n.name })),
    )
    .sort(
      (a, b) =>
        b.week_start.localeCompare(a.week_start) || a.network_name.localeCompare(b.network_name),
    );
  const multiples = smallMultiples({
    weeks,
    icb: icbTrend.map((w) => w?.fill_rate_shifts ?? null),
    networks: networks.map((n) => ({
      code: n.code,
      name: n.name,
      href: `../../networks/${n.code}/index.html`,
      values: byWeek(n),
      flags: n.flags,
    })),
  });
  const body = `<h1>${escapeHtml(name)}</h1>
<p class="lede">Commissioner overview: ${escapeHtml(plural(networks.length, 'primary care network'))}, ${escapeHtml(flaggedCount === 0 ? 'none flagged' : `${flaggedCount} flagged`)}. ICB figures are pooled over all networks' shifts (never an average of network rates).</p>
${warning}
${attention}
<h2>${escapeHtml(latest ? `The ICB in the ${formatWeekOf(latest.week_start)}` : 'The ICB')}</h2>
${
  latest
    ? `${icbCoverage(latest, previousWeek, networks)}
${kpiTiles(networkKpis({ current: latest, previous: previousWeek }))}`
    : `<p class="no-data">${NO_DATA}</p>`
}
${icbPerPatientSummary(
  latest,
  networks.map((n) => latestEnhancedAccess(n.metrics)),
)}
${panel(
  'networks',
  'Networks',
  `<p>Flagged networks come first. Select a column heading to sort. Trend lines share one scale (${escapeHtml(domain ? `${formatPercent(domain[0])} to ${formatPercent(domain[1])}` : NO_DATA)}), so the same height is the same change in every row.</p>
${FLAG_RULES}
${filterControls(networks)}
${tables}
<p>${escapeHtml(populationSource(reference))}</p>`,
)}
${panel(
  'every-network',
  'Fill rate by week, every network',
  `<p>One panel per network, flagged networks first, each against the ICB.</p>
${multiples}
${downloadLinks('network_week', 'the weekly figures')}
<details><summary>Show the data as a table</summary>${dataTable(
    'Weekly fill rate by network',
    [{ field: 'network_name', title: 'Network', format: text }, ...COVER_COLUMNS],
    trendRows,
  )}</details>`,
)}`;
  return {
    title: name,
    breadcrumbs: `<a href="../../index.html">All ICBs</a> › ${escapeHtml(name)}`,
    body,
    datasets: { network_week: trendRows },
    // site.js sorts the table; no chart library (the charts are inline SVG).
    scripts: ['site.js', 'icb-filter.js'],
  };
}

/** "1 network", "6 networks". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
