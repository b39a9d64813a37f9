/**
 * The pages of the site: the overview of every network (grouped by ICB, for commissioners) and
 * one page per network. Pages are strings built from metric rows; all data-derived text is
 * escaped.
 */
import type { Reference } from '../reference/organisations.js';
import { chartFigure, dataTable, type Row, type TableColumn } from './chart.js';
import {
  formatCount,
  formatDate,
  formatHours,
  formatInstant,
  formatPercent,
  formatPointsChange,
  NO_DATA,
} from './format.js';
import { escapeHtml } from './html.js';

export interface NetworkWeekRow extends Row {
  network_code: string;
  icb_code: string | null;
  week_start: string;
  demand_shifts: number;
  filled_shifts: number;
  unfilled_shifts: number;
  cancelled_shifts: number;
  demand_hours: number;
  filled_hours: number;
  unfilled_hours: number;
  fill_rate_shifts: number | null;
  fill_rate_hours: number | null;
}

export interface NetworkDataQuality {
  files: number;
  rowsIn: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  lastExport: string | null;
}

export interface PageContent {
  title: string;
  breadcrumbs: string;
  body: string;
}

const WEEK_COLUMNS: TableColumn[] = [
  { field: 'week_start', title: 'Week starting', format: formatDate },
  { field: 'demand_shifts', title: 'Shifts needed', format: formatCount, numeric: true },
  { field: 'filled_shifts', title: 'Filled', format: formatCount, numeric: true },
  { field: 'unfilled_shifts', title: 'Unfilled', format: formatCount, numeric: true },
  { field: 'cancelled_shifts', title: 'Cancelled', format: formatCount, numeric: true },
  { field: 'fill_rate_shifts', title: 'Fill rate (shifts)', format: formatPercent, numeric: true },
  { field: 'fill_rate_hours', title: 'Fill rate (hours)', format: formatPercent, numeric: true },
];

export function networkName(reference: Reference, code: string): string {
  return reference.networks.get(code)?.name ?? code;
}

function tile(label: string, value: string, change?: string): string {
  const cls = value === NO_DATA ? ' no-data' : '';
  return `<li class="tile"><span class="tile-label">${escapeHtml(label)}</span><span class="tile-value${cls}">${escapeHtml(value)}</span>${
    change ? `<span class="tile-change">${escapeHtml(change)}</span>` : ''
  }</li>`;
}

export function networkPage(options: {
  code: string;
  weeks: NetworkWeekRow[];
  reference: Reference;
  quality: NetworkDataQuality | undefined;
  specs: Record<string, Record<string, unknown>>;
}): PageContent {
  const { code, weeks, reference, quality, specs } = options;
  const name = networkName(reference, code);
  const network = reference.networks.get(code);
  const icb = network?.icbCode ? reference.icbs.get(network.icbCode) : undefined;
  const latest = weeks.at(-1);
  const previous = weeks.at(-2);
  const practices = (network?.practiceCodes ?? []).map(
    (p) => reference.practices.get(p)?.name ?? p,
  );
  const tiles = latest
    ? `<ul class="tiles">
${tile('Fill rate (shifts)', formatPercent(latest.fill_rate_shifts), formatPointsChange(latest.fill_rate_shifts, previous?.fill_rate_shifts))}
${tile('Fill rate (hours)', formatPercent(latest.fill_rate_hours), formatPointsChange(latest.fill_rate_hours, previous?.fill_rate_hours))}
${tile('Unfilled hours', formatHours(latest.unfilled_hours))}
${tile('Shifts needed', formatCount(latest.demand_shifts), `${formatCount(latest.cancelled_shifts)} cancelled`)}
</ul>`
    : `<p class="no-data">${NO_DATA}</p>`;
  const qualityHtml = quality
    ? `<section class="panel" aria-labelledby="quality-title"><h2 id="quality-title">Data quality</h2>
<p>Latest export: ${escapeHtml(formatInstant(quality.lastExport))}. ${escapeHtml(formatCount(quality.rowsIn))} rows received in ${escapeHtml(
        formatCount(quality.files),
      )} files; ${escapeHtml(formatCount(quality.rejected))} rejected${
        quality.rejected > 0
          ? ` (${escapeHtml(
              Object.entries(quality.rejectsByReason)
                .map(([reason, n]) => `${reason.replaceAll('_', ' ')}: ${n}`)
                .join(', '),
            )})`
          : ''
      }.</p></section>`
    : '';
  const body = `<h1>${escapeHtml(name)}</h1>
<p class="lede">Network ${escapeHtml(code)}${icb ? ` · ${escapeHtml(icb.name)}` : ''} · ${escapeHtml(practices.length)} practices: ${escapeHtml(practices.join(', '))}</p>
<h2>Week starting ${escapeHtml(formatDate(latest?.week_start))}</h2>
${tiles}
${chartFigure({
  id: 'fill-rate',
  title: 'Fill rate by week',
  spec: specs['network-fill-rate'] ?? {},
  datasets: { network_week: weeks },
  table: dataTable(`Weekly cover, ${name}`, WEEK_COLUMNS, [...weeks].reverse()),
})}
${qualityHtml}`;
  return {
    title: name,
    breadcrumbs: `<a href="../../index.html">All networks</a> › ${escapeHtml(name)}`,
    body,
  };
}

export function overviewPage(options: {
  byNetwork: Map<string, NetworkWeekRow[]>;
  reference: Reference;
  specs: Record<string, Record<string, unknown>>;
}): PageContent {
  const { byNetwork, reference, specs } = options;
  const rows = [...byNetwork].map(([code, weeks]) => {
    const latest = weeks.at(-1);
    return {
      code,
      name: networkName(reference, code),
      icbCode: reference.networks.get(code)?.icbCode ?? latest?.icb_code ?? null,
      latest,
      previous: weeks.at(-2),
    };
  });
  const icbCodes = [...new Set(rows.map((r) => r.icbCode ?? ''))].sort();
  const sections = icbCodes
    .map((icbCode) => {
      const icbName = reference.icbs.get(icbCode)?.name ?? (icbCode || 'ICB not known');
      const body = rows
        .filter((r) => (r.icbCode ?? '') === icbCode)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map(
          (
            r,
          ) => `<tr><th scope="row"><a href="networks/${escapeHtml(r.code)}/index.html">${escapeHtml(r.name)}</a> <span class="code">${escapeHtml(r.code)}</span></th>
<td>${escapeHtml(formatDate(r.latest?.week_start))}</td>
<td class="num">${escapeHtml(formatPercent(r.latest?.fill_rate_shifts))}</td>
<td>${escapeHtml(formatPointsChange(r.latest?.fill_rate_shifts, r.previous?.fill_rate_shifts))}</td>
<td class="num">${escapeHtml(formatCount(r.latest?.unfilled_shifts))}</td>
<td class="num">${escapeHtml(formatHours(r.latest?.unfilled_hours))}</td></tr>`,
        )
        .join('\n');
      return `<section class="panel"><table><caption>${escapeHtml(icbName)}</caption>
<thead><tr><th scope="col">Network</th><th scope="col">Latest week</th><th scope="col" class="num">Fill rate (shifts)</th><th scope="col">Change</th><th scope="col" class="num">Unfilled shifts</th><th scope="col" class="num">Unfilled hours</th></tr></thead>
<tbody>
${body}
</tbody></table></section>`;
    })
    .join('\n');
  const allWeeks = rows.flatMap((r) =>
    (byNetwork.get(r.code) ?? []).map((w) => ({ ...w, network_name: r.name })),
  );
  const body = `<h1>Primary care networks</h1>
<p class="lede">${escapeHtml(rows.length)} networks, by ICB and name, for each network's latest week. Fill rate is shifts filled as a share of shifts needed (filled plus unfilled).</p>
${sections}
${chartFigure({
  id: 'overview-fill-rate',
  title: 'Fill rate by week, all networks',
  spec: specs['overview-fill-rate'] ?? {},
  datasets: { network_week: allWeeks },
  table: dataTable(
    'Weekly fill rate by network',
    [
      { field: 'network_name', title: 'Network', format: (v) => String(v ?? NO_DATA) },
      ...WEEK_COLUMNS,
    ],
    [...allWeeks].sort(
      (a, b) =>
        b.week_start.localeCompare(a.week_start) || a.network_name.localeCompare(b.network_name),
    ),
  ),
})}`;
  return { title: 'All networks', breadcrumbs: 'All networks', body };
}
