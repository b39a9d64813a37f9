/**
 * Column types of the curated tables for the Glue Data Catalog: DuckDB's SQL types (what ingest
 * writes into Parquet) mapped to the Hive types Glue and Athena use.
 */
import type { SHIFT_COLUMNS } from '../src/curated/curated-schema.js';

/**
 * The Glue (Hive DDL) type Athena reads a DuckDB-written Parquet column as. Throws for a type
 * with no mapping here, so a new column type fails synth instead of declaring a wrong table.
 */
export function glueType(duckDbType: string): string {
  const type = duckDbType.trim().toLowerCase().replace(/\s+/g, ' ');
  const decimal = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(type);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const mapped = SIMPLE[type];
  if (mapped === undefined) throw new Error(`No Glue type for the DuckDB type "${duckDbType}"`);
  return mapped;
}

const SIMPLE: Record<string, string> = {
  varchar: 'string',
  text: 'string',
  string: 'string',
  boolean: 'boolean',
  bool: 'boolean',
  tinyint: 'tinyint',
  smallint: 'smallint',
  int2: 'smallint',
  integer: 'int',
  int: 'int',
  int4: 'int',
  bigint: 'bigint',
  int8: 'bigint',
  real: 'float',
  float: 'float',
  float4: 'float',
  double: 'double',
  float8: 'double',
  date: 'date',
  timestamp: 'timestamp',
  // Parquet stores an instant (UTC, isAdjustedToUTC); Athena reads it as a timestamp in UTC.
  'timestamp with time zone': 'timestamp',
  timestamptz: 'timestamp',
};

/**
 * DuckDB types of the shift columns as ingest writes them (queries/ingest/shifts.sql, checked
 * against `parquet_schema` of a demo ingest). src/curated/curated-schema.ts lists the columns but
 * not their types; keyed by SHIFT_COLUMNS so adding or removing a column fails to compile here.
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
  break_minutes: 'integer',
  hours: 'double',
  session_type: 'varchar',
  delivery: 'varchar',
  status: 'varchar',
  published_at: 'timestamp with time zone',
  filled_at: 'timestamp with time zone',
  cost_pence: 'bigint',
};
