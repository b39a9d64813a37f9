/**
 * The columns of each metric table and their DuckDB types, as `metrics/<table>/<table>.parquet`
 * holds them (read back with `describe select * from read_parquet(...)`). The Glue catalog
 * declares the metric tables from this list (infra/catalog.ts), so Athena can query them where
 * the pipeline writes them; DuckDB itself never reads it.
 *
 * It is written down, not derived at synth time, because only running the queries tells the
 * types. test/integration/curated/metric-columns.test.ts computes every metric table on a
 * fixture and fails, showing the difference, when a query's output and this list disagree:
 * change a query's columns, then paste the test's expected value here.
 *
 * Everything else about a metric table's columns derives from this one declaration: the Glue
 * catalog (infra/catalog.ts), the site's row types (`MetricRow`, src/site/site-data.ts, checked
 * again at run time when rows are read), and tests that the SQL file headers
 * (test/unit/queries/query-headers.test.ts) and docs/metrics.md
 * (test/unit/curated/metrics-doc.test.ts) list the same columns.
 */
/**
 * The cover and spend columns every `*_week` table shares, in order (queries/fragments/
 * cover_columns.sql).
 */
const COVER_COLUMN_TYPES = {
  demand_shifts: 'double',
  filled_shifts: 'double',
  unfilled_shifts: 'double',
  cancelled_shifts: 'double',
  demand_hours: 'double',
  filled_hours: 'double',
  unfilled_hours: 'double',
  fill_rate_shifts: 'double',
  fill_rate_hours: 'double',
  cancelled_hours: 'double',
  salaried_hours: 'double',
  bank_hours: 'double',
  locum_hours: 'double',
  agency_hours: 'double',
  temporary_staffing_share: 'double',
  spend_pence: 'bigint',
  salaried_spend_pence: 'bigint',
  bank_spend_pence: 'bigint',
  locum_spend_pence: 'bigint',
  agency_spend_pence: 'bigint',
  filled_shifts_without_cost: 'double',
  agency_share_of_spend: 'double',
  remote_hours: 'double',
  remote_share: 'double',
  extended_hours_filled: 'double',
} as const;

/** Per 1,000 patients a week (queries/fragments/per_1000_columns.sql). */
const PER_1000_COLUMN_TYPES = {
  filled_hours_per_1000: 'double',
  unfilled_hours_per_1000: 'double',
  spend_pence_per_1000: 'double',
  agency_spend_pence_per_1000: 'double',
} as const;

export const METRIC_TABLES = {
  // ARRS ledger (queries/arrs.sql)
  arrs: {
    network_code: 'varchar',
    icb_code: 'varchar',
    financial_year_start: 'date',
    week_start: 'date',
    role: 'varchar',
    weeks_with_data: 'bigint',
    weeks_in_year: 'bigint',
    ytd_filled_hours: 'double',
    ytd_costed_hours: 'double',
    wte: 'double',
    ytd_spend_pence: 'double',
    cost_per_wte_pence: 'double',
    max_reimbursable_per_wte_pence: 'bigint',
    claimable_pence: 'double',
    excess_not_claimable_pence: 'double',
    suppressed: 'boolean',
    network_ytd_spend_pence: 'double',
    network_suppressed: 'boolean',
    arrs_allocation_pence: 'bigint',
    allocation_used_share: 'double',
  },
  data_quality: {
    network_code: 'varchar',
    week_start: 'date',
    files: 'bigint',
    rows_received: 'bigint',
    rows_accepted: 'double',
    rows_rejected: 'double',
    reject_share: 'double',
    latest_exported_at: 'timestamp with time zone',
    latest_shift_date: 'date',
  },
  // Enhanced Access (issue 20): queries/enhanced_access.sql.
  enhanced_access: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    population: 'bigint',
    population_basis: 'varchar',
    population_practices_missing: 'bigint',
    minutes_per_1000_patients: 'double',
    required_hours: 'double',
    demand_hours: 'double',
    filled_hours: 'double',
    unfilled_hours: 'double',
    demand_hours_gp: 'double',
    demand_hours_nurse: 'double',
    demand_hours_direct_patient_care: 'double',
    filled_hours_gp: 'double',
    filled_hours_nurse: 'double',
    filled_hours_direct_patient_care: 'double',
    demand_hours_on_site: 'double',
    demand_hours_remote: 'double',
    filled_hours_on_site: 'double',
    filled_hours_remote: 'double',
    filled_hours_weekday: 'double',
    filled_hours_saturday: 'double',
    shortfall_hours: 'double',
    meets_minimum: 'boolean',
    sessions: 'bigint',
    sessions_without_gp: 'bigint',
  },
  gaps: {
    network_code: 'varchar',
    icb_code: 'varchar',
    practice_code: 'varchar',
    week_start: 'date',
    weekday: 'bigint',
    weekday_name: 'varchar',
    hour_band_start: 'integer',
    hour_band: 'varchar',
    unfilled_shifts: 'bigint',
    unfilled_hours: 'double',
  },
  icb_week: {
    icb_code: 'varchar',
    week_start: 'date',
    networks_reporting: 'bigint',
    ...COVER_COLUMN_TYPES,
    // Per patient (issue 20), pooled over the networks with a known population.
    population: 'bigint',
    population_networks: 'bigint',
    population_practices_missing: 'bigint',
    ...PER_1000_COLUMN_TYPES,
  },
  lead_time: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    filled_shifts: 'double',
    timed_shifts: 'bigint',
    median_lead_hours: 'double',
    late_fills: 'double',
    late_fill_share: 'double',
  },
  network_week: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    ...COVER_COLUMN_TYPES,
    // Per patient (issue 20).
    population: 'bigint',
    population_basis: 'varchar',
    population_practices_missing: 'bigint',
    ...PER_1000_COLUMN_TYPES,
  },
  network_week_role: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    role: 'varchar',
    staff_group: 'varchar',
    ...COVER_COLUMN_TYPES,
    suppressed: 'boolean',
  },
  open_shifts: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    shift_date: 'date',
    practice_code: 'varchar',
    session_type: 'varchar',
    role: 'varchar',
    unfilled_shifts: 'bigint',
    unfilled_hours: 'double',
  },
  practice_week: {
    practice_code: 'varchar',
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    ...COVER_COLUMN_TYPES,
    suppressed: 'boolean',
  },
  rates: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    role: 'varchar',
    engagement: 'varchar',
    filled_shifts: 'bigint',
    filled_hours: 'double',
    costed_shifts: 'double',
    costed_hours: 'double',
    spend_pence: 'double',
    cost_per_hour_pence: 'double',
    cap_pence_per_hour: 'integer',
    shifts_above_cap: 'double',
    suppressed: 'boolean',
  },
  rejects_by_reason: {
    network_code: 'varchar',
    week_start: 'date',
    kind: 'varchar',
    reason_code: 'varchar',
    rows_rejected: 'bigint',
    files: 'bigint',
  },
  shared_working: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    clinicians: 'bigint',
    clinicians_home_from_availability: 'double',
    suppressed: 'boolean',
    filled_hours: 'double',
    hours_away_from_home: 'double',
    away_from_home_share: 'double',
    clinicians_multi_practice: 'double',
  },
  utilisation: {
    network_code: 'varchar',
    icb_code: 'varchar',
    week_start: 'date',
    role: 'varchar',
    session_type: 'varchar',
    clinicians_with_availability: 'bigint',
    suppressed: 'boolean',
    available_hours: 'double',
    worked_hours: 'double',
    utilisation: 'double',
    clinicians_over_100: 'double',
    clinicians_without_availability: 'bigint',
    filled_hours_without_availability: 'double',
  },
  ytd: {
    network_code: 'varchar',
    icb_code: 'varchar',
    financial_year_start: 'date',
    week_start: 'date',
    spend_pence: 'double',
    ytd_spend_pence: 'double',
    ytd_salaried_pence: 'double',
    ytd_bank_pence: 'double',
    ytd_locum_pence: 'double',
    ytd_agency_pence: 'double',
    data_start_week: 'date',
    weeks_with_data: 'bigint',
    run_rate_weeks: 'bigint',
    run_rate_pence: 'double',
    agency_run_rate_pence: 'double',
    remaining_weeks: 'bigint',
    projected_outturn_pence: 'double',
    budget_pence: 'bigint',
    budget_variance_pence: 'double',
    projected_agency_outturn_pence: 'double',
    agency_budget_pence: 'bigint',
    agency_budget_variance_pence: 'double',
  },
} as const satisfies Record<string, Record<string, MetricColumnType>>;

/** The DuckDB types metric columns have (what `describe` prints, lower case). */
export type MetricColumnType =
  | 'varchar'
  | 'boolean'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'date'
  | 'timestamp with time zone';

export type MetricTable = keyof typeof METRIC_TABLES;

/** The same declaration, looked up by a table name only known at run time. */
export const METRIC_COLUMNS: Readonly<Record<string, Readonly<Record<string, MetricColumnType>>>> =
  METRIC_TABLES;

/**
 * The JavaScript value of a column of this type once a row is read (src/engine/arrow-types.ts):
 * text for text, dates (`2026-11-16`) and instants (ISO), numbers for every number, including
 * bigints, which are converted.
 */
export type JsValueOf<T extends MetricColumnType> = T extends 'boolean'
  ? boolean
  : T extends 'varchar' | 'date' | 'timestamp with time zone'
    ? string
    : number;

/** The `typeof` of a column's non-null values, at run time (`JsValueOf` at compile time). */
export function jsTypeOf(type: MetricColumnType): 'boolean' | 'string' | 'number' {
  if (type === 'boolean') return 'boolean';
  if (type === 'varchar' || type === 'date' || type === 'timestamp with time zone') return 'string';
  return 'number';
}

/** A whole row of a metric table as declared; any column may be NULL in SQL. */
export type MetricRow<T extends MetricTable> = {
  -readonly [C in keyof (typeof METRIC_TABLES)[T]]: JsValueOf<
    Extract<(typeof METRIC_TABLES)[T][C], MetricColumnType>
  > | null;
};
