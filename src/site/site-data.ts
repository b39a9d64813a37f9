/**
 * The metric rows the site is built from (docs/metrics.md defines every column), and the same rows
 * grouped by network and by ICB. Rows are plain objects with numbers, strings, booleans and nulls:
 * read from the metric Parquet files by `publish`, or made up by the site benchmark.
 */

import { tableRows } from '../engine/arrow-types.js';
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
