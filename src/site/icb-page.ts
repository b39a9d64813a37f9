/**
 * The commissioner's overview of one ICB (`icb/<code>/index.html`): the ICB's own week, then every
 * network's latest-week KPIs with change on the previous week, a 12-week sparkline, outliers
 * flagged in words (not colour alone) and stale exports warned about, in a table the browser
 * script makes sortable; and every network's fill rate on one chart.
 */
import type { Reference } from '../reference/organisations.js';
import { chartFigure, dataTable, requireSpec } from './chart.js';
import { COVER_COLUMNS, kpiTiles, type PageContent, panel, text } from './components.js';
import type { NetworkDataQuality } from './data-quality.js';
import { formatDate, formatHours, formatPercent, formatPounds, NO_DATA } from './format.js';
import { escapeHtml } from './html.js';
import { exportAgeDays, isStale, networkKpis, outlierReasons } from './kpis.js';
import { networkName } from './network-page.js';
import type { IcbWeekRow, NetworkMetrics } from './site-data.js';
import { sparklineSvg } from './sparkline.js';

/** Weeks in the sparklines and the ICB chart. */
export const ICB_TREND_WEEKS = 12;

export interface IcbPageInput {
  icbCode: string;
  /** The ICB's networks that have metrics, by code. */
  networks: Map<string, NetworkMetrics>;
  icbWeeks: IcbWeekRow[];
  reference: Reference;
  quality: Map<string, NetworkDataQuality>;
  specs: Record<string, Record<string, unknown>>;
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
  const points = Math.round((current - previous) * 1000) / 10;
  return `${points > 0 ? '+' : points < 0 ? '−' : ''}${Math.abs(points).toFixed(1)}`;
}

/** A table cell with the value to sort by (numbers sort as numbers; missing sorts last). */
function cell(content: string, sortValue: number | string | null, numeric = false): string {
  const sort = sortValue === null ? '' : ` data-sort="${escapeHtml(sortValue)}"`;
  return `<td${numeric ? ' class="num"' : ''}${sort}>${content}</td>`;
}

function networkRow(input: IcbPageInput, code: string, metrics: NetworkMetrics): string {
  const weeks = metrics.networkWeek;
  const latest = weeks.at(-1);
  const previous = weeks.at(-2);
  const name = networkName(input.reference, code);
  const icbWeek = input.icbWeeks.find((w) => w.week_start === latest?.week_start);
  const reasons = latest ? outlierReasons(latest, icbWeek) : [];
  const lastExport = input.quality.get(code)?.lastExport ?? null;
  const stale = isStale(lastExport, input.now);
  const age = exportAgeDays(lastExport, input.now);
  const flags = [...reasons, ...(stale ? ['export out of date'] : [])];
  const trend = weeks.slice(-ICB_TREND_WEEKS).map((w) => w.fill_rate_shifts);
  const classes = [reasons.length > 0 ? 'outlier' : '', stale ? 'stale' : ''].filter(Boolean);
  return `<tr${classes.length ? ` class="${classes.join(' ')}"` : ''}><th scope="row" data-sort="${escapeHtml(name)}"><a href="../../networks/${escapeHtml(code)}/index.html">${escapeHtml(name)}</a> <span class="code">${escapeHtml(code)}</span></th>
${cell(escapeHtml(formatDate(latest?.week_start)), latest?.week_start ?? null)}
${cell(escapeHtml(formatPercent(latest?.fill_rate_shifts)), latest?.fill_rate_shifts ?? null, true)}
${cell(escapeHtml(pointsDelta(latest?.fill_rate_shifts, previous?.fill_rate_shifts)), latest?.fill_rate_shifts != null && previous?.fill_rate_shifts != null ? latest.fill_rate_shifts - previous.fill_rate_shifts : null, true)}
${cell(sparklineSvg(trend, `Fill rate, ${name}`, formatPercent), null)}
${cell(escapeHtml(formatHours(latest?.unfilled_hours)), latest?.unfilled_hours ?? null, true)}
${cell(escapeHtml(formatPounds(latest?.agency_spend_pence)), latest?.agency_spend_pence ?? null, true)}
${cell(escapeHtml(formatPercent(latest?.agency_share_of_spend)), latest?.agency_share_of_spend ?? null, true)}
${cell(escapeHtml(formatPercent(latest?.temporary_staffing_share)), latest?.temporary_staffing_share ?? null, true)}
${cell(escapeHtml(lastExport ? `${formatDate(lastExport.slice(0, 10))} (${age} day${age === 1 ? '' : 's'} ago)` : NO_DATA), lastExport)}
${cell(flags.length ? `<strong>${escapeHtml(flags.join('; '))}</strong>` : 'none', flags.length)}</tr>`;
}

export function icbPage(input: IcbPageInput): PageContent {
  const { icbCode, networks, icbWeeks, reference, specs, now } = input;
  const name = icbName(reference, icbCode);
  const latest = icbWeeks.at(-1);
  const codes = [...networks.keys()].sort((a, b) =>
    networkName(reference, a).localeCompare(networkName(reference, b)),
  );
  const staleNames = codes
    .filter((c) => isStale(input.quality.get(c)?.lastExport, now))
    .map((c) => networkName(reference, c));
  const warning =
    staleNames.length === 0
      ? ''
      : `<div class="nhsuk-warning-callout"><h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">Important: </span>Exports out of date</span></h2><p>${escapeHtml(staleNames.length)} network${staleNames.length === 1 ? ' has' : 's have'} sent no export for more than 8 days: ${escapeHtml(staleNames.join(', '))}. Their figures may be out of date.</p></div>`;
  const rows = codes.map((c) => networkRow(input, c, networks.get(c) as NetworkMetrics));
  const headers = [
    'Network',
    'Latest week',
    'Fill rate',
    'Change (points)',
    'Trend (12 weeks)',
    'Unfilled hours',
    'Agency spend',
    'Agency share',
    'Temporary staffing',
    'Latest export',
    'Flags',
  ];
  const table = `<table class="nhsuk-table sortable" data-sortable><caption class="nhsuk-table__caption">Networks in ${escapeHtml(name)}, each at its latest week</caption>
<thead><tr>${headers.map((h, i) => `<th scope="col"${i === 4 ? ' data-nosort' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
  const trendRows = codes.flatMap((c) =>
    (networks.get(c)?.networkWeek ?? [])
      .slice(-ICB_TREND_WEEKS)
      .map((w) => ({ ...w, network_name: networkName(reference, c) })),
  );
  const body = `<h1>${escapeHtml(name)}</h1>
<p class="lede">Commissioner overview: ${escapeHtml(codes.length)} primary care networks. ICB figures are pooled over all networks' shifts (never an average of network rates).</p>
${warning}
<h2>Week starting ${escapeHtml(formatDate(latest?.week_start))}</h2>
${latest ? kpiTiles(networkKpis({ current: latest, previous: icbWeeks.at(-2) })) : `<p class="no-data">${NO_DATA}</p>`}
${panel(
  'networks',
  'Networks',
  `<p>Select a column heading to sort. A network is flagged when its fill rate is 10 or more points below the ICB's, its agency share of spend 15 or more points above it, or its latest export is more than 8 days old.</p>
<div class="table-scroll">${table}</div>`,
)}
${chartFigure({
  id: 'icb-fill-rate',
  title: 'Fill rate by week, every network',
  spec: requireSpec(specs, 'icb-fill-rate'),
  rows: trendRows,
  table: dataTable(
    'Weekly fill rate by network',
    [{ field: 'network_name', title: 'Network', format: text }, ...COVER_COLUMNS],
    [...trendRows].sort(
      (a, b) =>
        b.week_start.localeCompare(a.week_start) || a.network_name.localeCompare(b.network_name),
    ),
  ),
})}`;
  return {
    title: name,
    breadcrumbs: `<a href="../../index.html">All ICBs</a> › ${escapeHtml(name)}`,
    body,
    datasets: { network_week: trendRows },
  };
}
