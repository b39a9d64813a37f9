/**
 * Column lists of the curated tables (DESIGN §3.1, §3.2), in the order they are written. The
 * partition columns (network_code, week_start) live in the object key, not inside the files.
 */
export const SHIFT_COLUMNS = [
  'source_system',
  'source_file',
  'source_row',
  'exported_at',
  'shift_id',
  'practice_code',
  'network_code',
  'icb_code',
  'role',
  'staff_group',
  'engagement',
  'arrs_funded',
  'clinician_key',
  'start_at',
  'end_at',
  'shift_date',
  'week_start',
  'start_hour',
  'start_minute',
  'break_minutes',
  'hours',
  'session_type',
  'delivery',
  'status',
  'published_at',
  'filled_at',
  'cost_pence',
] as const;

export const AVAILABILITY_COLUMNS = [
  'source_system',
  'source_file',
  'source_row',
  'exported_at',
  'clinician_key',
  'network_code',
  'icb_code',
  'home_practice_code',
  'role',
  'engagement',
  'week_start',
  'session_type',
  'available_hours',
] as const;

export const PARTITION_COLUMNS = ['network_code', 'week_start'] as const;

/**
 * DuckDB types of the shift columns as ingest writes them (queries/ingest/shifts.sql, checked
 * against `parquet_schema` of a demo ingest); keyed by SHIFT_COLUMNS, so adding or removing a
 * column fails to compile here. The Glue catalog declares the shifts table from them.
 */
export const SHIFT_TYPES: Record<(typeof SHIFT_COLUMNS)[number], string> = {
  source_system: 'varchar',
  source_file: 'varchar',
  source_row: 'integer',
  exported_at: 'timestamp with time zone',
  shift_id: 'varchar',
  practice_code: 'varchar',
  network_code: 'varchar',
  icb_code: 'varchar',
  role: 'varchar',
  staff_group: 'varchar',
  engagement: 'varchar',
  arrs_funded: 'boolean',
  clinician_key: 'varchar',
  start_at: 'timestamp with time zone',
  end_at: 'timestamp with time zone',
  shift_date: 'date',
  week_start: 'date',
  start_hour: 'smallint',
  /** Local minutes after midnight; absent from files ingested before it (staging: start_hour * 60). */
  start_minute: 'smallint',
  break_minutes: 'integer',
  hours: 'double',
  session_type: 'varchar',
  delivery: 'varchar',
  status: 'varchar',
  published_at: 'timestamp with time zone',
  filled_at: 'timestamp with time zone',
  cost_pence: 'bigint',
};

/** SQL types of the availability columns, for an empty table when none has been ingested yet. */
export const AVAILABILITY_TYPES: Record<(typeof AVAILABILITY_COLUMNS)[number], string> = {
  source_system: 'varchar',
  source_file: 'varchar',
  source_row: 'integer',
  exported_at: 'timestamp with time zone',
  clinician_key: 'varchar',
  network_code: 'varchar',
  icb_code: 'varchar',
  home_practice_code: 'varchar',
  role: 'varchar',
  engagement: 'varchar',
  week_start: 'date',
  session_type: 'varchar',
  available_hours: 'double',
};

/** Columns and SQL types of the rejects table (one Parquet file per raw export with rejects). */
export const REJECT_TYPES = {
  source_system: 'varchar',
  source_file: 'varchar',
  source_row: 'integer',
  /** `shifts` or `availability`: which kind of export the row came in. */
  kind: 'varchar',
  network_code: 'varchar',
  reason_code: 'varchar',
  message: 'varchar',
  raw_values: 'varchar',
  exported_at: 'timestamp with time zone',
} as const;

/** `(select cast(null as t) as c, ... where 1 = 0)`: an empty table with these columns. */
export function emptyTableSql(types: Readonly<Record<string, string>>): string {
  return `(select ${Object.entries(types)
    .map(([column, type]) => `cast(null as ${type}) as ${column}`)
    .join(', ')} where 1 = 0)`;
}
