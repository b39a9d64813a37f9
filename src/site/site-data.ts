/**
 * The metric rows the site is built from (docs/metrics.md defines every column), and the same rows
 * grouped by network and by ICB. Rows are plain objects with numbers, strings, booleans and nulls:
 * read from the metric Parquet files by `publish`, or made up by the site benchmark.
 */

import { isoWeekLabel } from '../calendar.js';
import { tableRows } from '../engine/arrow-types.js';
import { UsageError } from '../errors.js';
import type { MetricTables } from '../metrics/compute-metrics.js';
import type { Row } from './chart.js';

/** The cover and spend columns every `*_week` table shares (queries/fragments/cover_*.sql). */
export interface CoverFigures extends Row {
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
  salaried_hours: number;
  bank_hours: number;
  locum_hours: number;
  agency_hours: number;
  temporary_staffing_share: number | null;
  spend_pence: number | null;
  agency_spend_pence: number | null;
  agency_share_of_spend: number | null;
  filled_shifts_without_cost: number;
}

/** The `network_week` columns the site reads (also the shape of `practice_week`). */
export interface CoverRow extends CoverFigures {
  network_code: string;
  icb_code: string | null;
}

export type NetworkWeekRow = CoverRow;

export interface PracticeWeekRow extends CoverRow {
  practice_code: string;
  /** True when some of the practice's spend is closed for small numbers (absent in metric files
   * written before the column existed). */
  suppressed?: boolean;
}

export interface IcbWeekRow extends CoverFigures {
  icb_code: string;
  networks_reporting: number;
}

export interface UtilisationRow extends Row {
  network_code: string;
  week_start: string;
  role: string;
  session_type: 'in_hours' | 'extended_hours' | 'all';
  clinicians_with_availability: number;
  suppressed: boolean;
  available_hours: number | null;
  worked_hours: number | null;
  utilisation: number | null;
}

export interface GapRow extends Row {
  network_code: string;
  practice_code: string;
  week_start: string;
  weekday: number;
  weekday_name: string;
  hour_band_start: number;
  hour_band: string;
  unfilled_shifts: number;
  unfilled_hours: number;
}

export interface YtdRow extends Row {
  network_code: string;
  financial_year_start: string;
  week_start: string;
  ytd_spend_pence: number | null;
  projected_outturn_pence: number | null;
  budget_pence: number | null;
  budget_variance_pence: number | null;
}

export interface SharedWorkingRow extends Row {
  network_code: string;
  week_start: string;
  clinicians: number;
  suppressed: boolean;
  filled_hours: number;
  hours_away_from_home: number | null;
  away_from_home_share: number | null;
  clinicians_multi_practice: number | null;
}

export interface DataQualityRow extends Row {
  network_code: string;
  week_start: string;
  files: number;
  rows_received: number;
  rows_accepted: number;
  rows_rejected: number;
  reject_share: number | null;
  latest_exported_at: string | null;
}

export interface RejectReasonRow extends Row {
  network_code: string;
  week_start: string;
  kind: string;
  reason_code: string;
  rows_rejected: number;
}

/** `open_shifts`: unfilled shifts by date, practice, session and role (every date kept). */
export interface OpenShiftRow extends Row {
  network_code: string;
  week_start: string;
  shift_date: string;
  practice_code: string;
  session_type: string;
  role: string;
  unfilled_shifts: number;
  unfilled_hours: number;
}

export interface LeadTimeRow extends Row {
  network_code: string;
  week_start: string;
  filled_shifts: number;
  timed_shifts: number;
  median_lead_hours: number | null;
  late_fills: number | null;
  late_fill_share: number | null;
}

/** Every metric table the site reads, as rows. */
export interface SiteMetrics {
  networkWeek: NetworkWeekRow[];
  practiceWeek: PracticeWeekRow[];
  icbWeek: IcbWeekRow[];
  utilisation: UtilisationRow[];
  gaps: GapRow[];
  ytd: YtdRow[];
  sharedWorking: SharedWorkingRow[];
  dataQuality: DataQualityRow[];
  rejectsByReason: RejectReasonRow[];
  openShifts: OpenShiftRow[];
  leadTime: LeadTimeRow[];
}

/** The metric table behind each `SiteMetrics` field (queries/<table>.sql). */
export const SITE_TABLES: Record<keyof SiteMetrics, string> = {
  networkWeek: 'network_week',
  practiceWeek: 'practice_week',
  icbWeek: 'icb_week',
  utilisation: 'utilisation',
  gaps: 'gaps',
  ytd: 'ytd',
  sharedWorking: 'shared_working',
  dataQuality: 'data_quality',
  rejectsByReason: 'rejects_by_reason',
  openShifts: 'open_shifts',
  leadTime: 'lead_time',
};

/** One network's rows of every table, each sorted by week (oldest first). */
export type NetworkMetrics = { [K in Exclude<keyof SiteMetrics, 'icbWeek'>]: SiteMetrics[K] };

/** Dates and timestamps as ISO text, bigints as numbers: what pages, CSV and Arrow files expect. */
function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') out[key] = Number(value);
    else if (value instanceof Date) out[key] = value.toISOString();
    else out[key] = value;
  }
  return out;
}

/** The site's rows from the metric tables `computeMetrics`/`readMetrics` return. */
export function siteMetricsFromTables(tables: MetricTables): SiteMetrics {
  const rows = <T>(name: string): T[] => {
    const table = tables[name];
    return table ? (tableRows<Record<string, unknown>>(table).map(plain) as T[]) : [];
  };
  return Object.fromEntries(
    Object.entries(SITE_TABLES).map(([field, table]) => [field, rows(table)]),
  ) as unknown as SiteMetrics;
}

const byWeek = (a: { week_start: string }, b: { week_start: string }) =>
  a.week_start.localeCompare(b.week_start);

/** A `SiteMetrics` with no rows in any table. */
export function emptySiteMetrics(): SiteMetrics {
  return Object.fromEntries(Object.keys(SITE_TABLES).map((f) => [f, []])) as unknown as SiteMetrics;
}

/** The latest week_start among the rows (ISO dates sort as text), or undefined for none. */
/**
 * Which week's weekly report each network gets (network code -> Monday).
 *
 * - By default each network's **own latest complete week**: the latest week in its own rows that
 *   has ended by `lastComplete` (the Monday of the last ISO week over in Europe/London). So a
 *   network whose exports run later (or a rota published weeks ahead) moves no other network's
 *   report, and a network whose data ends earlier gets its own last week, not a week it has no data
 *   for. A network with no week that has ended gets no report.
 * - With `week` (a Monday), that week for every network whose data covers it (its first week to its
 *   latest complete week; a week inside that span with no shifts gets a report saying so). A week
 *   that has not ended, or that no network's data covers, is a `UsageError`.
 */
export function reportWeeksByNetwork(
  rows: readonly { network_code: string; week_start: string }[],
  options: { lastComplete: string; week?: string },
): Map<string, string> {
  const { lastComplete, week } = options;
  const span = new Map<string, { first: string; last: string }>();
  for (const r of rows) {
    if (r.week_start > lastComplete) continue;
    const s = span.get(r.network_code);
    if (!s) span.set(r.network_code, { first: r.week_start, last: r.week_start });
    else {
      if (r.week_start < s.first) s.first = r.week_start;
      if (r.week_start > s.last) s.last = r.week_start;
    }
  }
  const codes = [...span.keys()].sort();
  if (week === undefined)
    return new Map(codes.map((code) => [code, (span.get(code) as { last: string }).last]));
  const label = isoWeekLabel(week);
  if (week > lastComplete)
    throw new UsageError(
      `week ${label} has not ended yet: the last complete week is ${isoWeekLabel(lastComplete)}`,
    );
  const covered = codes.filter((code) => {
    const s = span.get(code) as { first: string; last: string };
    return s.first <= week && week <= s.last;
  });
  if (covered.length === 0) {
    const firsts = [...span.values()].map((s) => s.first).sort();
    const lasts = [...span.values()].map((s) => s.last).sort();
    throw new UsageError(
      firsts.length === 0
        ? `no data for week ${label}: no network has a complete week of data`
        : `no data for week ${label}: the data covers ${isoWeekLabel(firsts[0] as string)} to ${isoWeekLabel(lasts.at(-1) as string)}`,
    );
  }
  return new Map(covered.map((code) => [code, week]));
}

export function latestWeekStart(rows: readonly { week_start: string }[]): string | undefined {
  let latest: string | undefined;
  for (const r of rows) if (latest === undefined || r.week_start > latest) latest = r.week_start;
  return latest;
}

/** Each network's rows of every table; a network appears when it has any `network_week` row. */
export function groupByNetwork(metrics: SiteMetrics): Map<string, NetworkMetrics> {
  const out = new Map<string, NetworkMetrics>();
  const slot = (code: string): NetworkMetrics => {
    let entry = out.get(code);
    if (!entry) {
      const { icbWeek: _, ...empty } = emptySiteMetrics();
      entry = empty;
      out.set(code, entry);
    }
    return entry;
  };
  for (const row of metrics.networkWeek) slot(row.network_code).networkWeek.push(row);
  const fields = Object.keys(SITE_TABLES).filter(
    (f) => f !== 'networkWeek' && f !== 'icbWeek',
  ) as (keyof NetworkMetrics)[];
  for (const field of fields) {
    for (const row of metrics[field] as { network_code: string }[]) {
      const entry = out.get(row.network_code);
      if (entry) (entry[field] as unknown[]).push(row);
    }
  }
  for (const entry of out.values()) {
    for (const field of Object.keys(entry) as (keyof NetworkMetrics)[])
      (entry[field] as { week_start: string }[]).sort(byWeek);
  }
  return out;
}

/** Each ICB's weeks, oldest first. */
export function groupIcbWeeks(rows: IcbWeekRow[]): Map<string, IcbWeekRow[]> {
  const out = new Map<string, IcbWeekRow[]>();
  for (const row of [...rows].sort(byWeek)) {
    const list = out.get(row.icb_code) ?? [];
    list.push(row);
    out.set(row.icb_code, list);
  }
  return out;
}
