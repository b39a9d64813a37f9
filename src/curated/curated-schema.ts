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
