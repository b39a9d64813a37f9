/**
 * The network page's Enhanced Access panel (`enhanced_access`, docs/metrics.md): the latest week's
 * clinical hours filled inside the Enhanced Access windows against the required minimum, the
 * shortfall, weekday evenings against Saturday, by staff group and on site or remote, sessions with
 * no GP when that check is on, the population the minimum was worked out from, and a trend of
 * filled against required hours with its table and downloads. Pure: rows in, HTML out.
 */
import type { ListSizes } from '../reference/list-sizes.js';
import { chartFigure, dataTable, type TableColumn } from './chart.js';
import { WEEK_COLUMN } from './components.js';
import { formatCount, formatDate, formatHours, formatWeekOf, NO_DATA } from './format.js';
import { escapeHtml } from './html.js';
import type { Kpi } from './kpis.js';
import type { EnhancedAccessRow } from './site-data.js';

/** Weeks the Enhanced Access trend shows. */
export const EA_TREND_WEEKS = 12;

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** One decimal, en-GB: 41.46 -> "41.5". */
export const oneDecimal = (value: number): string =>
  value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The weekly report's sentence, and the panel's first line: "Enhanced Access: 41.5 of 52.3
 * required hours filled (10.8 h short)." Never a shortfall when the minimum is unknown.
 */
export function enhancedAccessSentence(row: EnhancedAccessRow | undefined): string {
  if (!row) return 'Enhanced Access: no clinical shifts on the rota this week.';
  const filled = oneDecimal(row.filled_hours);
  if (!isNumber(row.required_hours)) {
    return `Enhanced Access: ${filled} hours filled; the required minimum is unknown (${populationGap(row)}).`;
  }
  const required = oneDecimal(row.required_hours);
  const shortfall = row.shortfall_hours ?? 0;
  return shortfall > 0
    ? `Enhanced Access: ${filled} of ${required} required hours filled (${oneDecimal(shortfall)} h short).`
    : `Enhanced Access: ${filled} of ${required} required hours filled (minimum met).`;
}

/** Why the required minimum is unknown, in a few words. */
function populationGap(row: EnhancedAccessRow): string {
  const missing = row.population_practices_missing;
  return isNumber(missing) && missing > 0
    ? `no list size for ${plural(missing, 'practice')}`
    : 'no population for the network';
}

/** The population sentence: what it is, its date and source, or what is missing and how to fix it. */
export function populationNote(row: EnhancedAccessRow, listSizes: ListSizes | undefined): string {
  const rate = `${formatCount(row.minutes_per_1000_patients)} minutes per 1,000 patients a week`;
  if (!isNumber(row.required_hours) || !isNumber(row.population)) {
    const missing = row.population_practices_missing;
    const what =
      isNumber(missing) && missing > 0 ? `${plural(missing, 'practice')}` : 'the network';
    return `Required hours: unknown for ${what} (no registered list size) — set ROTASCOPE_POPULATION_FILE to give the population. The minimum is ${rate}.`;
  }
  const source =
    row.population_basis === 'adjusted'
      ? 'adjusted population from the deployment’s population file (ROTASCOPE_POPULATION_FILE)'
      : listSizes
        ? `registered patients: NHS Digital “Patients registered at a GP practice”, ${formatDate(listSizes.asOf)}, ${listSizes.source}`
        : 'registered patients';
  return `Required: ${rate} × ${formatCount(row.population)} patients (${source}) = ${formatHours(row.required_hours)}.`;
}

const hoursColumn = (field: string, title: string): TableColumn => ({
  field,
  title,
  format: formatHours,
  numeric: true,
});

/** The trend table's columns: filled against required, the split, the shortfall. */
export const EA_TREND_COLUMNS: TableColumn[] = [
  WEEK_COLUMN,
  hoursColumn('required_hours', 'Required'),
  hoursColumn('filled_hours', 'Filled'),
  hoursColumn('shortfall_hours', 'Shortfall'),
  hoursColumn('filled_hours_weekday', 'Weekday evenings'),
  hoursColumn('filled_hours_saturday', 'Saturday'),
  hoursColumn('unfilled_hours', 'Unfilled'),
];

/** "This week" as a two-column table: where the filled hours came from. */
function breakdown(row: EnhancedAccessRow): string {
  const lines: [string, unknown][] = [
    ['Required', row.required_hours],
    ['Filled', row.filled_hours],
    ['Shortfall', row.shortfall_hours],
    ['Weekday evenings (filled)', row.filled_hours_weekday],
    ['Saturday (filled)', row.filled_hours_saturday],
    ['GPs', row.filled_hours_gp],
    ['Nurses', row.filled_hours_nurse],
    ['Direct patient care', row.filled_hours_direct_patient_care],
    ['On site', row.filled_hours_on_site],
    ['Remote', row.filled_hours_remote],
    ['Rostered but unfilled', row.unfilled_hours],
  ];
  return dataTable(
    `Enhanced Access hours, ${formatWeekOf(row.week_start)}`,
    [
      { field: 'what', title: 'Hours in the windows', format: String },
      hoursColumn('hours', 'Hours'),
    ],
    lines.map(([what, hours]) => ({ what, hours })),
  );
}

function gpCheck(row: EnhancedAccessRow): string {
  if (!isNumber(row.sessions_without_gp)) return '';
  if (row.sessions_without_gp === 0)
    return `<p>Every one of the ${formatCount(row.sessions)} sessions had a GP on the rota.</p>`;
  return `<p class="ea-no-gp"><strong>${plural(row.sessions_without_gp, 'session')} of ${formatCount(row.sessions)} had no GP on the rota.</strong></p>`;
}

export interface EnhancedAccessPanelInput {
  /** The network's `enhanced_access` rows, oldest first. */
  rows: readonly EnhancedAccessRow[];
  /** The page's latest (complete) week: later rows are the rota ahead and are left out. */
  latestWeek: string | undefined;
  /** dashboards/network-enhanced-access.vl.json, themed. */
  spec: Record<string, unknown>;
  listSizes: ListSizes | undefined;
}

/** The weeks the trend shows: up to `EA_TREND_WEEKS`, ending with the latest week. */
export function enhancedAccessTrend(
  rows: readonly EnhancedAccessRow[],
  latestWeek: string | undefined,
): EnhancedAccessRow[] {
  if (!latestWeek) return [];
  return rows.filter((r) => r.week_start <= latestWeek).slice(-EA_TREND_WEEKS);
}

/** The panel and the trend figure, as HTML. */
export function enhancedAccessPanel(input: EnhancedAccessPanelInput): string {
  const trend = enhancedAccessTrend(input.rows, input.latestWeek);
  const row = trend.at(-1)?.week_start === input.latestWeek ? trend.at(-1) : undefined;
  const thisWeek = row
    ? `<p class="ea-sentence${row.meets_minimum === false ? ' ea-short' : ''}"><strong>${escapeHtml(enhancedAccessSentence(row))}</strong></p>
<p>${escapeHtml(populationNote(row, input.listSizes))}</p>
${gpCheck(row)}
${breakdown(row)}`
    : `<p class="no-data">${NO_DATA}: no clinical shifts on the rota in the ${escapeHtml(formatWeekOf(input.latestWeek))}.</p>`;
  const newest = [...trend].reverse();
  const figure = chartFigure({
    id: 'enhanced-access-trend',
    title: `Enhanced Access, last ${plural(Math.max(trend.length, 1), 'week')}`,
    spec: input.spec,
    rows: trend,
    table: dataTable('Enhanced Access hours by week', EA_TREND_COLUMNS, newest),
  });
  return `<section class="panel" aria-labelledby="enhanced-access-title"><h2 class="nhsuk-heading-m" id="enhanced-access-title">Enhanced Access, ${escapeHtml(formatWeekOf(input.latestWeek))}</h2>
<p>Clinical hours (GPs, nurses, direct patient care) rostered inside the Enhanced Access windows: weekday evenings and Saturday daytime. Rota hours are a measure of capacity, not of appointment minutes.</p>
${thisWeek}
</section>
${figure}`;
}

/**
 * The summary band's tile: filled against required hours in the latest week, "Short" or "Minimum
 * met" said in words; no cue when the minimum is unknown. None when the week has no row.
 */
export function enhancedAccessKpi(
  rows: readonly EnhancedAccessRow[],
  latestWeek: string | undefined,
): Kpi | undefined {
  const row = rows.find((r) => r.week_start === latestWeek);
  if (!row) return undefined;
  if (!isNumber(row.required_hours)) {
    return {
      label: 'Enhanced Access',
      value: formatHours(row.filled_hours),
      change: `filled; required unknown (${populationGap(row)})`,
      raw: row.filled_hours,
    };
  }
  const short = row.meets_minimum === false;
  return {
    label: 'Enhanced Access',
    value: `${formatHours(row.filled_hours)} of ${formatHours(row.required_hours)}`,
    change: short
      ? `${formatHours(row.shortfall_hours)} short of the minimum`
      : 'required hours filled',
    raw: row.filled_hours,
    cue: short
      ? { tone: 'bad', word: 'Short', hidden: ' of the Enhanced Access minimum' }
      : { tone: 'good', word: 'Minimum met', hidden: ' for Enhanced Access' },
  };
}
