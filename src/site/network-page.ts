/**
 * A network's dashboard (`networks/<code>/index.html`): the latest week's KPI tiles with
 * week-on-week change, then cover, fill mix, spend, year to date against budget, utilisation by
 * role, the gaps heatmap, practices, shared working, data quality and the weekly report archive.
 */
import { financialYearStart, isoWeekMonday } from '../calendar.js';
import type { Reference } from '../reference/organisations.js';
import { chartFigure, dataTable, type Row, requireSpec } from './chart.js';
import {
  COVER_COLUMNS,
  kpiTiles,
  MIX_COLUMNS,
  type PageContent,
  panel,
  SPEND_COLUMNS,
  staleWarning,
  text,
  unlessSuppressed,
  WEEK_COLUMN,
} from './components.js';
import { type NetworkDataQuality, qualityPanel } from './data-quality.js';
import {
  formatCount,
  formatDate,
  formatHours,
  formatPercent,
  formatPounds,
  formatWeekOf,
  NO_DATA,
} from './format.js';
import { escapeHtml } from './html.js';
import { networkKpis } from './kpis.js';
import type {
  CoverRow,
  GapRow,
  NetworkMetrics,
  PracticeWeekRow,
  UtilisationRow,
  YtdRow,
} from './site-data.js';

const SESSION_NAMES = {
  all: 'All sessions',
  in_hours: 'Core hours',
  extended_hours: 'Extended hours',
} as const;

/** Weeks the trend charts show, at most. */
export const TREND_WEEKS = 52;
/** Weeks the gaps heatmap adds up. */
export const GAP_WEEKS = 4;

export interface NetworkPageInput {
  code: string;
  metrics: NetworkMetrics;
  reference: Reference;
  quality: NetworkDataQuality | undefined;
  /** Specs by file name (dashboards/<name>.vl.json), themed. */
  specs: Record<string, Record<string, unknown>>;
  /** ISO weeks with a weekly report for this network, newest first. */
  reportWeeks: string[];
  now: Date;
}

export function networkName(reference: Reference, code: string): string {
  return reference.networks.get(code)?.name ?? code;
}

export function practiceName(reference: Reference, code: string): string {
  return reference.practices.get(code)?.name ?? code;
}

function ytdSection(input: NetworkPageInput, data: NetworkDatasets): string {
  const rows = data.ytd;
  const fy = rows[0]?.financial_year_start;
  const last = rows.at(-1);
  const note = last
    ? `${escapeHtml(formatPounds(last.ytd_spend_pence))} spent from ${escapeHtml(formatDate(fy))} to the week of ${escapeHtml(
        formatDate(last.week_start),
      )}; projected outturn ${escapeHtml(formatPounds(last.projected_outturn_pence))}; budget ${escapeHtml(
        last.budget_pence === null ? 'not set' : formatPounds(last.budget_pence),
      )}${
        last.budget_variance_pence === null
          ? ''
          : ` (${escapeHtml(formatPounds(Math.abs(last.budget_variance_pence)))} ${last.budget_variance_pence > 0 ? 'over' : 'under'})`
      }.`
    : undefined;
  return chartFigure({
    id: 'ytd',
    title: 'Spend this financial year against budget',
    spec: requireSpec(input.specs, 'network-ytd'),
    rows,
    ...(note ? { note } : {}),
    table: dataTable(
      'Spend so far this financial year',
      [
        WEEK_COLUMN,
        { field: 'ytd_spend_pence', title: 'Spent so far', format: formatPounds, numeric: true },
        {
          field: 'projected_outturn_pence',
          title: 'Projected outturn',
          format: formatPounds,
          numeric: true,
        },
        { field: 'budget_pence', title: 'Budget', format: formatPounds, numeric: true },
      ],
      [...rows].reverse(),
    ),
  });
}

function utilisationSection(
  input: NetworkPageInput,
  data: NetworkDatasets,
  latestWeek: string | undefined,
): string {
  const week = input.metrics.utilisation.filter((r) => r.week_start === latestWeek);
  const shown = week.map((r) => ({
    ...unlessSuppressed(r, ['available_hours', 'worked_hours', 'utilisation']),
    session: SESSION_NAMES[r.session_type],
  }));
  return chartFigure({
    id: 'utilisation',
    title: 'Utilisation by role',
    spec: requireSpec(input.specs, 'network-utilisation'),
    rows: data.utilisation_by_role,
    table: dataTable(
      `Utilisation by role, week starting ${formatDate(latestWeek)}`,
      [
        { field: 'role', title: 'Role', format: text },
        { field: 'session', title: 'Session', format: text },
        {
          field: 'clinicians_with_availability',
          title: 'Clinicians with availability',
          format: formatCount,
          numeric: true,
        },
        { field: 'available_hours', title: 'Available', format: formatHours, numeric: true },
        { field: 'worked_hours', title: 'Worked', format: formatHours, numeric: true },
        { field: 'utilisation', title: 'Utilisation', format: formatPercent, numeric: true },
      ],
      shown,
    ),
  });
}

function gapsSection(input: NetworkPageInput, data: NetworkDatasets): string {
  const rows = data.gaps;
  const weeks = new Set(rows.map((r) => r.week_start)).size;
  const cells = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.weekday}|${r.hour_band_start}`;
    const cell = cells.get(key) ?? {
      weekday: r.weekday,
      weekday_name: r.weekday_name,
      hour_band_start: r.hour_band_start,
      hour_band: r.hour_band,
      unfilled_shifts: 0,
      unfilled_hours: 0,
    };
    cell.unfilled_shifts = (cell.unfilled_shifts as number) + r.unfilled_shifts;
    cell.unfilled_hours = (cell.unfilled_hours as number) + r.unfilled_hours;
    cells.set(key, cell);
  }
  const sorted = [...cells.values()].sort(
    (a, b) => (b.unfilled_hours as number) - (a.unfilled_hours as number),
  );
  return chartFigure({
    id: 'gaps',
    title: `Where the gaps are, last ${Math.max(weeks, 1)} week${weeks === 1 ? '' : 's'}`,
    spec: requireSpec(input.specs, 'network-gaps'),
    rows,
    table: dataTable(
      'Unfilled hours by weekday and start time, most first',
      [
        { field: 'weekday_name', title: 'Day', format: text },
        { field: 'hour_band', title: 'Shift starts', format: text },
        { field: 'unfilled_shifts', title: 'Unfilled shifts', format: formatCount, numeric: true },
        { field: 'unfilled_hours', title: 'Unfilled hours', format: formatHours, numeric: true },
      ],
      sorted,
    ),
  });
}

function practicesSection(
  input: NetworkPageInput,
  data: NetworkDatasets,
  latestWeek: string | undefined,
): string {
  const rows = data.practice_week;
  return chartFigure({
    id: 'practices',
    title: 'Practices and hub sites',
    spec: requireSpec(input.specs, 'network-practices'),
    rows,
    table: dataTable(
      `Practices, week starting ${formatDate(latestWeek)}`,
      [
        { field: 'practice_name', title: 'Practice', format: text },
        { field: 'practice_code', title: 'Code', format: text },
        ...COVER_COLUMNS.slice(1),
        { field: 'agency_spend_pence', title: 'Agency spend', format: formatPounds, numeric: true },
      ],
      // Spend closed for small numbers (docs/metrics.md) reads "suppressed", not "no data".
      rows.map((r) => unlessSuppressed(r, ['agency_spend_pence'])),
    ),
  });
}

function sharedWorkingSection(input: NetworkPageInput): string {
  const rows = input.metrics.sharedWorking
    .slice(-12)
    .reverse()
    .map((r) =>
      unlessSuppressed(r, [
        'hours_away_from_home',
        'away_from_home_share',
        'clinicians_multi_practice',
      ]),
    );
  const content =
    rows.length === 0
      ? `<p class="no-data">${NO_DATA}</p>`
      : `<p>How much clinicians work away from their home practice, across the network's sites. Weeks with fewer clinicians than the privacy threshold show "suppressed".</p>
${dataTable(
  'Shared working by week',
  [
    WEEK_COLUMN,
    { field: 'clinicians', title: 'Clinicians', format: formatCount, numeric: true },
    { field: 'filled_hours', title: 'Filled hours', format: formatHours, numeric: true },
    {
      field: 'hours_away_from_home',
      title: 'Hours away from home practice',
      format: formatHours,
      numeric: true,
    },
    { field: 'away_from_home_share', title: 'Share away', format: formatPercent, numeric: true },
    {
      field: 'clinicians_multi_practice',
      title: 'Clinicians at 2+ practices',
      format: formatCount,
      numeric: true,
    },
  ],
  rows,
)}`;
  return panel('shared', 'Shared working', content);
}

function reportsSection(input: NetworkPageInput): string {
  if (input.reportWeeks.length === 0) return '';
  const links = input.reportWeeks
    .map(
      (w) =>
        `<li><a href="../../reports/${escapeHtml(w)}/${escapeHtml(input.code)}/index.html">Report for the ${escapeHtml(formatWeekOf(isoWeekMonday(w)))}</a></li>`,
    )
    .join('\n');
  return panel('reports', 'Weekly reports', `<ul class="report-list">\n${links}\n</ul>`);
}

/** The datasets a network page's charts name, cut from its metrics (also the report's). */
export interface NetworkDatasets {
  network_week: CoverRow[];
  ytd: YtdRow[];
  utilisation_by_role: UtilisationRow[];
  gaps: GapRow[];
  practice_week: (PracticeWeekRow & { practice_name: string })[];
}

/** Up to `TREND_WEEKS` weeks ending with `lastWeek` (default: the network's latest week). */
export function networkDatasets(
  metrics: NetworkMetrics,
  reference: Reference,
  lastWeek?: string,
): NetworkDatasets {
  const end = lastWeek ?? metrics.networkWeek.at(-1)?.week_start ?? '';
  const weeks = metrics.networkWeek.filter((r) => r.week_start <= end).slice(-TREND_WEEKS);
  const latest = weeks.at(-1)?.week_start === end ? end : undefined;
  const fy = latest ? financialYearStart(latest) : undefined;
  const gapWeeks = new Set(weeks.slice(-GAP_WEEKS).map((w) => w.week_start));
  return {
    network_week: weeks,
    ytd: metrics.ytd.filter((r) => r.financial_year_start === fy && r.week_start <= end),
    utilisation_by_role: metrics.utilisation.filter(
      (r) => r.week_start === latest && r.utilisation !== null,
    ),
    gaps: metrics.gaps.filter((r) => gapWeeks.has(r.week_start)),
    practice_week: metrics.practiceWeek
      .filter((r) => r.week_start === latest)
      .map((r) => ({ ...r, practice_name: practiceName(reference, r.practice_code) }))
      .sort((a, b) => a.practice_name.localeCompare(b.practice_name)),
  };
}

export function networkPage(input: NetworkPageInput): PageContent {
  const { code, metrics, reference, quality, specs, now } = input;
  const name = networkName(reference, code);
  const network = reference.networks.get(code);
  const icb = network?.icbCode ? reference.icbs.get(network.icbCode) : undefined;
  const data = networkDatasets(metrics, reference);
  const weeks = data.network_week;
  const latest = weeks.at(-1);
  const previous = weeks.at(-2);
  const practices = (network?.practiceCodes ?? []).map((p) => practiceName(reference, p));
  const tiles = latest
    ? kpiTiles(networkKpis({ current: latest, previous, utilisation: metrics.utilisation }))
    : `<p class="no-data">${NO_DATA}</p>`;
  const icbLink = icb
    ? ` · <a href="../../icb/${escapeHtml(icb.code)}/index.html">${escapeHtml(icb.name)}</a>`
    : '';
  const newest = [...weeks].reverse();
  const body = `<h1>${escapeHtml(name)}</h1>
<p class="lede">Network ${escapeHtml(code)}${icbLink} · ${escapeHtml(practices.length)} practices: ${escapeHtml(practices.join(', '))}</p>
${staleWarning(quality?.lastExport, now)}
<h2>Week starting ${escapeHtml(formatDate(latest?.week_start))}</h2>
${tiles}
${chartFigure({
  id: 'fill-rate',
  title: 'Fill rate by week',
  spec: requireSpec(specs, 'network-fill-rate'),
  rows: weeks,
  table: dataTable(`Weekly cover, ${name}`, COVER_COLUMNS, newest),
})}
${chartFigure({
  id: 'fill-mix',
  title: 'Fill mix by engagement',
  spec: requireSpec(specs, 'network-fill-mix'),
  rows: weeks,
  table: dataTable('Filled hours by engagement', MIX_COLUMNS, newest),
})}
${chartFigure({
  id: 'spend',
  title: 'Spend by engagement',
  spec: requireSpec(specs, 'network-spend'),
  rows: weeks,
  table: dataTable('Spend by engagement', SPEND_COLUMNS, newest),
})}
${ytdSection(input, data)}
${utilisationSection(input, data, latest?.week_start)}
${gapsSection(input, data)}
${practicesSection(input, data, latest?.week_start)}
${sharedWorkingSection(input)}
${qualityPanel(quality, metrics)}
${reportsSection(input)}`;
  return {
    title: name,
    breadcrumbs: `<a href="../../index.html">All ICBs</a>${icbLink.replace(' · ', ' › ')} › ${escapeHtml(name)}`,
    body,
    datasets: { ...data },
  };
}
