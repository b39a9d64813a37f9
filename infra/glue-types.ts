/**
 * Column types for the Glue Data Catalog: DuckDB's SQL types (what the pipeline writes into Parquet,
 * declared in src/curated/) mapped to the Hive types Glue and Athena use.
 */

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
