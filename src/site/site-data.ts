/**
 * The metric rows the site is built from (docs/metrics.md defines every column), and the same rows
 * grouped by network and by ICB. Rows are plain objects with numbers, strings, booleans and nulls:
 * read from the metric Parquet files by `publish`, or made up by the site benchmark.
 */

import { DataType, type Table } from 'apache-arrow';
import { isoWeekLabel } from '../calendar.js';
import {
  jsTypeOf,
  METRIC_TABLES,
  type MetricColumnType,
  type MetricRow,
  type MetricTable,
} from '../curated/metric-columns.js';
import { distinctValues, tableRows } from '../engine/arrow-types.js';
import { InvariantError, UsageError } from '../errors.js';
import type { MetricSelection, MetricTables } from '../metrics/compute-metrics.js';
import type { Row } from './chart.js';

/**
 * What the site reads of one metric table: the columns, those of them it handles as NULL, those
 * that may be missing altogether (absent in metric files written before the column existed), and
 * text columns limited to a few values. The row types below derive from these lists and the
 * declaration in src/curated/metric-columns.ts, and `siteMetricsFromTables` checks every row
 * against them, so a type here never claims what the data does not hold.
 */
interface ReadSpec<T extends MetricTable> {
  table: T;
  columns: readonly (keyof MetricRow<T>)[];
  nullable: readonly (keyof MetricRow<T>)[];
  optional: readonly (keyof MetricRow<T>)[];
  values?: Partial<Record<keyof MetricRow<T>, readonly string[]>>;
  /**
   * The site publishes these rows whole: a chart dataset's CSV and Arrow downloads carry every
   * column the table has (src/site/datasets.ts), so every column is read, not only `columns`.
   */
  published?: true;
}

/**
 * The row a `ReadSpec` gives: declared types, NULL only where listed, `?` where optional, limited
 * text as its values.
 */
type RowOf<S> = S extends { table: infer T extends MetricTable }
  ? S extends {
      columns: readonly (infer C)[];
      nullable: readonly (infer N)[];
      optional: readonly (infer O)[];
    }
    ? SiteRow<T, Extract<C, keyof MetricRow<T>>, N, O> & Limited<S>
    : never
  : never;

/** Text columns limited to a few values take those values as their type. */
type Limited<S> = S extends { values: infer V }
  ? { [K in keyof V]: V[K] extends readonly (infer E)[] ? E : never }
  : unknown;

/** Extra columns may ride along (rows keep every column the table has). */
type SiteRow<T extends MetricTable, C extends keyof MetricRow<T>, N, O> = Row & {
  [K in Exclude<C, N | O>]: NonNullable<MetricRow<T>[K]>;
} & { [K in Exclude<Extract<C, N>, O>]: MetricRow<T>[K] } & {
  [K in Extract<C, O>]?: K extends N ? MetricRow<T>[K] : NonNullable<MetricRow<T>[K]>;
};

/** A `ReadSpec` of some table, as `checkedRows` reads it at run time. */
interface AnyReadSpec {
  table: MetricTable;
  columns: readonly string[];
  nullable: readonly string[];
  optional: readonly string[];
  values?: Readonly<Record<string, readonly string[]>>;
  published?: true;
}

/** The cover and spend columns every `*_week` table shares (queries/fragments/cover_*.sql). */
const COVER = [
  'week_start',
  'demand_shifts',
  'filled_shifts',
  'unfilled_shifts',
  'cancelled_shifts',
  'demand_hours',
  'filled_hours',
  'unfilled_hours',
  'fill_rate_shifts',
  'fill_rate_hours',
  'salaried_hours',
  'bank_hours',
  'locum_hours',
  'agency_hours',
  'temporary_staffing_share',
  'spend_pence',
  'salaried_spend_pence',
  'bank_spend_pence',
  'locum_spend_pence',
  'agency_spend_pence',
  'agency_share_of_spend',
  'filled_shifts_without_cost',
] as const;
/** Ratios with no denominator that week, and spend when no filled shift has a cost. */
const COVER_NULLABLE = [
  'fill_rate_shifts',
  'fill_rate_hours',
  'temporary_staffing_share',
  'spend_pence',
  'salaried_spend_pence',
  'bank_spend_pence',
  'locum_spend_pence',
  'agency_spend_pence',
  'agency_share_of_spend',
] as const;

/**
 * Per-patient columns (issue 20) of network_week and icb_week: optional, as metric files written
 * before them lack them; NULL when the population is unknown or partial (docs/metrics.md).
 */
const PER_1000 = [
  'population',
  'population_practices_missing',
  'filled_hours_per_1000',
  'unfilled_hours_per_1000',
  'spend_pence_per_1000',
  'agency_spend_pence_per_1000',
] as const;

const COVER_SPEC = {
  table: 'network_week',
  columns: COVER,
  nullable: COVER_NULLABLE,
  optional: [],
} as const satisfies ReadSpec<'network_week'>;

/** What the site reads of each metric table, by `SiteMetrics` field. */
const READ = {
  networkWeek: {
    table: 'network_week',
    published: true,
    columns: [...COVER, 'network_code', 'icb_code', ...PER_1000, 'population_basis'],
    nullable: [...COVER_NULLABLE, 'icb_code', ...PER_1000, 'population_basis'],
    optional: [...PER_1000, 'population_basis'],
  },
  practiceWeek: {
    table: 'practice_week',
    published: true,
    columns: [...COVER, 'network_code', 'icb_code', 'practice_code', 'suppressed'],
    nullable: [...COVER_NULLABLE, 'icb_code'],
    optional: ['suppressed'],
  },
  icbWeek: {
    table: 'icb_week',
    columns: [...COVER, 'icb_code', 'networks_reporting', ...PER_1000, 'population_networks'],
    nullable: [...COVER_NULLABLE, ...PER_1000],
    optional: [...PER_1000, 'population_networks'],
  },
  // Enhanced Access (issue 20): the ICB page's compliance column and flag.
  utilisation: {
    table: 'utilisation',
    published: true,
    columns: [
      'network_code',
      'week_start',
      'role',
      'session_type',
      'clinicians_with_availability',
      'suppressed',
      'available_hours',
      'worked_hours',
      'utilisation',
    ],
    nullable: ['available_hours', 'worked_hours', 'utilisation'],
    optional: [],
    values: { session_type: ['in_hours', 'extended_hours', 'all'] },
  },
  gaps: {
    table: 'gaps',
    published: true,
    columns: [
      'network_code',
      'practice_code',
      'week_start',
      'weekday',
      'weekday_name',
      'hour_band_start',
      'hour_band',
      'unfilled_shifts',
      'unfilled_hours',
    ],
    nullable: [],
    optional: [],
  },
  ytd: {
    table: 'ytd',
    published: true,
    columns: [
      'network_code',
      'financial_year_start',
      'week_start',
      'spend_pence',
      'ytd_spend_pence',
      'ytd_agency_pence',
      'data_start_week',
      'weeks_with_data',
      'run_rate_weeks',
      'run_rate_pence',
      'remaining_weeks',
      'projected_outturn_pence',
      'budget_pence',
      'budget_variance_pence',
      'projected_agency_outturn_pence',
      'agency_budget_pence',
      'agency_budget_variance_pence',
    ],
    nullable: [
      'spend_pence',
      'ytd_spend_pence',
      'ytd_agency_pence',
      'run_rate_pence',
      'projected_outturn_pence',
      'budget_pence',
      'budget_variance_pence',
      'projected_agency_outturn_pence',
      'agency_budget_pence',
      'agency_budget_variance_pence',
    ],
    optional: [],
  },
  sharedWorking: {
    table: 'shared_working',
    columns: [
      'network_code',
      'week_start',
      'clinicians',
      'suppressed',
      'filled_hours',
      'hours_away_from_home',
      'away_from_home_share',
      'clinicians_multi_practice',
    ],
    nullable: ['hours_away_from_home', 'away_from_home_share', 'clinicians_multi_practice'],
    optional: [],
  },
  dataQuality: {
    table: 'data_quality',
    columns: [
      'network_code',
      'week_start',
      'files',
      'rows_received',
      'rows_accepted',
      'rows_rejected',
      'reject_share',
      'latest_exported_at',
    ],
    nullable: ['reject_share', 'latest_exported_at'],
    optional: [],
  },
  rejectsByReason: {
    table: 'rejects_by_reason',
    columns: ['network_code', 'week_start', 'kind', 'reason_code', 'rows_rejected'],
    nullable: [],
    optional: [],
  },
  openShifts: {
    table: 'open_shifts',
    columns: [
      'network_code',
      'week_start',
      'shift_date',
      'practice_code',
      'session_type',
      'role',
      'unfilled_shifts',
      'unfilled_hours',
    ],
    nullable: [],
    optional: [],
  },
  leadTime: {
    table: 'lead_time',
    columns: [
      'network_code',
      'week_start',
      'filled_shifts',
      'timed_shifts',
      'median_lead_hours',
      'late_fills',
      'late_fill_share',
    ],
    nullable: ['median_lead_hours', 'late_fills', 'late_fill_share'],
    optional: [],
  },
  enhancedAccess: {
    table: 'enhanced_access',
    published: true,
    columns: [
      'network_code',
      'week_start',
      'population',
      'population_basis',
      'population_practices_missing',
      'minutes_per_1000_patients',
      'required_hours',
      'demand_hours',
      'filled_hours',
      'unfilled_hours',
      'filled_hours_gp',
      'filled_hours_nurse',
      'filled_hours_direct_patient_care',
      'filled_hours_on_site',
      'filled_hours_remote',
      'filled_hours_weekday',
      'filled_hours_saturday',
      'shortfall_hours',
      'meets_minimum',
      'sessions',
      'sessions_without_gp',
    ],
    nullable: [
      'population',
      'population_basis',
      'population_practices_missing',
      'required_hours',
      'shortfall_hours',
      'meets_minimum',
      'sessions_without_gp',
    ],
    optional: [],
  },
  arrs: {
    table: 'arrs',
    published: true,
    columns: [
      'network_code',
      'financial_year_start',
      'week_start',
      'role',
      'weeks_with_data',
      'wte',
      'ytd_filled_hours',
      'ytd_spend_pence',
      'cost_per_wte_pence',
      'max_reimbursable_per_wte_pence',
      'claimable_pence',
      'excess_not_claimable_pence',
      'suppressed',
      'network_ytd_spend_pence',
      'network_suppressed',
      'arrs_allocation_pence',
      'allocation_used_share',
    ],
    nullable: [
      'ytd_spend_pence',
      'cost_per_wte_pence',
      'max_reimbursable_per_wte_pence',
      'claimable_pence',
      'excess_not_claimable_pence',
      'network_ytd_spend_pence',
      'arrs_allocation_pence',
      'allocation_used_share',
    ],
    optional: [],
  },
} as const satisfies {
  networkWeek: ReadSpec<'network_week'>;
  practiceWeek: ReadSpec<'practice_week'>;
  icbWeek: ReadSpec<'icb_week'>;
  enhancedAccess: ReadSpec<'enhanced_access'>;
  utilisation: ReadSpec<'utilisation'>;
  gaps: ReadSpec<'gaps'>;
  ytd: ReadSpec<'ytd'>;
  sharedWorking: ReadSpec<'shared_working'>;
  dataQuality: ReadSpec<'data_quality'>;
  rejectsByReason: ReadSpec<'rejects_by_reason'>;
  openShifts: ReadSpec<'open_shifts'>;
  leadTime: ReadSpec<'lead_time'>;
  arrs: ReadSpec<'arrs'>;
};

export type CoverFigures = RowOf<typeof COVER_SPEC>;
export type NetworkWeekRow = RowOf<typeof READ.networkWeek>;
/** The `network_week` columns the site reads (`practice_week` rows have them too). */
export type CoverRow = NetworkWeekRow;
export type PracticeWeekRow = RowOf<typeof READ.practiceWeek>;
export type IcbWeekRow = RowOf<typeof READ.icbWeek>;
/** `enhanced_access`: Enhanced Access hours against the required minimum, network x week. */
export type EnhancedAccessRow = RowOf<typeof READ.enhancedAccess>;
export type UtilisationRow = RowOf<typeof READ.utilisation>;
export type GapRow = RowOf<typeof READ.gaps>;
export type YtdRow = RowOf<typeof READ.ytd>;
export type SharedWorkingRow = RowOf<typeof READ.sharedWorking>;
export type DataQualityRow = RowOf<typeof READ.dataQuality>;
export type RejectReasonRow = RowOf<typeof READ.rejectsByReason>;
/** `open_shifts`: unfilled shifts by date, practice, session and role (every date kept). */
export type OpenShiftRow = RowOf<typeof READ.openShifts>;
export type LeadTimeRow = RowOf<typeof READ.leadTime>;
export type ArrsRow = RowOf<typeof READ.arrs>;

/** Every metric table the site reads, as rows. */
export interface SiteMetrics {
  networkWeek: NetworkWeekRow[];
  practiceWeek: PracticeWeekRow[];
  icbWeek: IcbWeekRow[];
  enhancedAccess: EnhancedAccessRow[];
  utilisation: UtilisationRow[];
  gaps: GapRow[];
  ytd: YtdRow[];
  sharedWorking: SharedWorkingRow[];
  dataQuality: DataQualityRow[];
  rejectsByReason: RejectReasonRow[];
  openShifts: OpenShiftRow[];
  leadTime: LeadTimeRow[];
  arrs: ArrsRow[];
}

/**
 * What `readMetrics` reads for the site (src/metrics/compute-metrics.ts): the tables above, and of
 * each the columns its spec lists, or every column where the rows are published whole. The other
 * metric tables (`rates`, `network_week_role`) and columns are not read.
 */
export const SITE_READ: MetricSelection = Object.fromEntries(
  Object.values(READ).map((spec: AnyReadSpec) => [spec.table, spec.published ? '*' : spec.columns]),
);

/** The metric table behind each `SiteMetrics` field (queries/<table>.sql). */
export const SITE_TABLES: { [F in keyof SiteMetrics]: (typeof READ)[F]['table'] } = {
  networkWeek: READ.networkWeek.table,
  practiceWeek: READ.practiceWeek.table,
  icbWeek: READ.icbWeek.table,
  enhancedAccess: READ.enhancedAccess.table,
  utilisation: READ.utilisation.table,
  gaps: READ.gaps.table,
  ytd: READ.ytd.table,
  sharedWorking: READ.sharedWorking.table,
  dataQuality: READ.dataQuality.table,
  rejectsByReason: READ.rejectsByReason.table,
  openShifts: READ.openShifts.table,
  leadTime: READ.leadTime.table,
  arrs: READ.arrs.table,
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

/** The JS type every value of an Arrow column of this type has in `tableRows` (NULL aside). */
function jsTypeOfArrow(type: DataType): string | undefined {
  if (DataType.isFloat(type) || (DataType.isInt(type) && type.bitWidth <= 32)) return 'number';
  if (DataType.isUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'boolean';
  return undefined;
}

/**
 * Whether a column's every row passes its check, seen from the column as a whole: its Arrow type
 * gives the declared JS type, it has no NULL unless allowed, and each distinct value (known for
 * text read from DuckDB or made by `toArrowTable`) is one of those allowed. False means "check
 * row by row", not that a row fails. A column name repeated is the last such column, as in rows.
 */
function passesWhole(
  table: Table,
  check: { column: string; js: string; nullable: boolean; allowed: Set<unknown> | undefined },
): boolean {
  const fields = table.schema.fields;
  let index = -1;
  for (let i = 0; i < fields.length; i += 1) if (fields[i]?.name === check.column) index = i;
  const field = fields[index];
  const vector = table.getChildAt(index);
  if (!field || !vector || jsTypeOfArrow(field.type) !== check.js) return false;
  if (!check.nullable && vector.nullCount > 0) return false;
  if (!check.allowed) return true;
  const allowed = check.allowed;
  return distinctValues(vector)?.every((value) => allowed.has(value)) ?? false;
}

/**
 * The rows of one metric table as the site reads them: every column the spec lists is there
 * (unless optional), NULL only where the spec allows, of the JavaScript type its declared SQL
 * type gives (src/curated/metric-columns.ts), and one of the allowed values where limited. A
 * table that breaks this is a bug between the queries and the site: `InvariantError`.
 */
function checkedRows<S extends AnyReadSpec>(spec: S, table: Table | undefined): RowOf<S>[] {
  if (!table) return [];
  const declared: Readonly<Record<string, MetricColumnType>> = METRIC_TABLES[spec.table];
  const fail = (why: string) => {
    throw new InvariantError(`metric table ${spec.table}: ${why} (src/site/site-data.ts)`);
  };
  const present = new Set(table.schema.fields.map((f) => f.name));
  const columns = spec.columns.filter((column) => {
    if (present.has(column)) return true;
    if (!spec.optional.includes(column)) fail(`no column ${column}`);
    return false;
  });
  // Arrow's number, text and boolean columns are plain already (readMetrics makes no others).
  const plainAlready = table.schema.fields.every(
    ({ type }) =>
      DataType.isFloat(type) ||
      (DataType.isInt(type) && type.bitWidth <= 32) ||
      DataType.isUtf8(type) ||
      DataType.isBool(type),
  );
  const read = tableRows<Record<string, unknown>>(table);
  const rows = plainAlready ? read : read.map(plain);
  // What each column allows, worked out once rather than per value.
  const checks = columns.map((column) => {
    const type = declared[column] as MetricColumnType;
    const allowed = spec.values?.[column];
    return {
      column,
      type,
      js: jsTypeOf(type),
      nullable: spec.nullable.includes(column),
      allowed: allowed ? new Set<unknown>(allowed) : undefined,
      listed: allowed?.join(', '),
    };
  });
  // A column whose Arrow type, NULL count and distinct values already show that every row
  // passes is not checked row by row; any other is, so a failure names the same first row.
  const byRow = plainAlready ? checks.filter((check) => !passesWhole(table, check)) : checks;
  if (byRow.length === 0) return rows as RowOf<S>[];
  rows.forEach((row, i) => {
    for (const { column, type, js, nullable, allowed, listed } of byRow) {
      const value = row[column];
      if (value === null || value === undefined) {
        if (!nullable) fail(`row ${i + 1}: ${column} is NULL`);
      } else if (typeof value !== js) {
        fail(`row ${i + 1}: ${column} is ${typeof value}, declared ${type}`);
      } else if (allowed && !allowed.has(value)) {
        fail(`row ${i + 1}: ${column} is ${String(value)}, not one of ${listed}`);
      }
    }
  });
  return rows as RowOf<S>[];
}

/** The site's rows from the metric tables `computeMetrics`/`readMetrics` return, checked. */
export function siteMetricsFromTables(tables: MetricTables): SiteMetrics {
  return {
    networkWeek: checkedRows(READ.networkWeek, tables.network_week),
    practiceWeek: checkedRows(READ.practiceWeek, tables.practice_week),
    icbWeek: checkedRows(READ.icbWeek, tables.icb_week),
    enhancedAccess: checkedRows(READ.enhancedAccess, tables.enhanced_access),
    utilisation: checkedRows(READ.utilisation, tables.utilisation),
    gaps: checkedRows(READ.gaps, tables.gaps),
    ytd: checkedRows(READ.ytd, tables.ytd),
    sharedWorking: checkedRows(READ.sharedWorking, tables.shared_working),
    dataQuality: checkedRows(READ.dataQuality, tables.data_quality),
    rejectsByReason: checkedRows(READ.rejectsByReason, tables.rejects_by_reason),
    openShifts: checkedRows(READ.openShifts, tables.open_shifts),
    leadTime: checkedRows(READ.leadTime, tables.lead_time),
    arrs: checkedRows(READ.arrs, tables.arrs),
  };
}

const byWeek = (a: { week_start: string }, b: { week_start: string }) =>
  a.week_start.localeCompare(b.week_start);

/** A `SiteMetrics` with no rows in any table. */
export function emptySiteMetrics(): SiteMetrics {
  return {
    networkWeek: [],
    practiceWeek: [],
    icbWeek: [],
    enhancedAccess: [],
    utilisation: [],
    gaps: [],
    ytd: [],
    sharedWorking: [],
    dataQuality: [],
    rejectsByReason: [],
    openShifts: [],
    leadTime: [],
    arrs: [],
  };
}

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
