/**
 * The part of SQL that means the same in DuckDB and in Athena (Trino), which is all that
 * queries/*.sql and queries/staging/*.sql may use (DESIGN §2). test/unit/queries/portability.test.ts
 * parses every query file, rendered for Athena, with a Trino grammar and fails on any function,
 * type or date field not listed here. Add an entry only after checking both engines; say in a
 * comment where they differ at the edges.
 *
 * Left out on purpose, with the portable way to write it:
 * - median, quantile_cont, percentile_cont (DuckDB) and approx_percentile (Trino): number the
 *   rows with row_number() and count(*) over the group, then average the rows where
 *   2 * row_number between count and count + 2 (the middle one or two).
 * - dayofweek, dow, isodow, day_of_week and extract(dow ...): DuckDB counts from Sunday = 0,
 *   Trino from Monday = 1. Use date_diff('day', week_start, shift_date): 0 = Monday.
 * - date_add, date_sub: different signatures and meanings. Use `d + interval '7' day`.
 * - greatest, least: DuckDB skips NULL arguments, Trino returns NULL. Use a CASE.
 * - concat: DuckDB skips NULL arguments, Trino returns NULL. Use `||` (NULL in both).
 * - split_part: past the last field DuckDB returns '', Trino NULL.
 * - max_by, min_by: DuckDB skips rows whose first argument is NULL, Trino returns that NULL.
 * - current_date, current_timestamp, now(): depend on the session time zone (DuckDB: the
 *   machine's; Athena: UTC). Dates come in as parameters (metric-parameters.ts).
 * - string_agg, listagg, array_agg, list and struct functions, regexp_*, strftime,
 *   date_format: missing from one engine or different output.
 *
 * Beyond the reach of the grammar check (no types at parse time), so by review:
 * - `/` between integers: DuckDB gives a double (7 / 2 = 3.5), Trino truncates (3). Cast one
 *   side to double.
 * - date + interval: a timestamp in DuckDB, a date in Trino. Wrap in cast(... as date).
 *   date + integer works in DuckDB only.
 * - sum of integers: HUGEINT in DuckDB, BIGINT in Trino (both arrive as float64, arrow-types.ts).
 * - timestamp with time zone: DuckDB's date_trunc, extract and casts to date use the session
 *   time zone, Trino's the value's own. Use the local columns ingest writes (shift_date,
 *   week_start, start_hour) instead of deriving them from start_at.
 */

/** Function names (lower case), including the special forms the grammar has its own rules for. */
export const PORTABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  // aggregates
  'count', // count(*), count(x), count(distinct x); FILTER (WHERE ...) works in both
  'count_if',
  'sum', // of integers: HUGEINT in DuckDB, BIGINT in Trino
  'avg', // of integers: double in both
  'min',
  'max',
  'bool_and',
  'bool_or',
  // window functions
  'row_number',
  'rank',
  'dense_rank',
  'lag', // lag(x, offset, default) in both
  'lead',
  'first_value', // IGNORE NULLS is spelled differently: do not use it
  'last_value',
  // conditionals
  'coalesce',
  'nullif',
  'if', // if(condition, then, else): give all three arguments
  // casts (types: PORTABLE_TYPES)
  'cast',
  'try_cast',
  // numbers
  'abs',
  'ceil',
  'ceiling',
  'floor',
  'round', // round(x, digits): half away from zero in both; keeps the type of x
  'mod', // sign follows the dividend in both: mod(-7, 3) = -1
  'power',
  'sqrt',
  // text
  'length', // characters, not bytes, in both
  'lower',
  'upper',
  'trim',
  'ltrim',
  'rtrim',
  'replace', // replace(text, search, replacement)
  'substring', // 1-based; substring(x, start, length) and substring(x from start for length)
  'substr',
  'strpos', // 1-based, 0 when absent
  'position', // position(needle in haystack)
  'starts_with',
  'lpad', // lpad(text, length, pad): truncates to length when longer, in both
  // dates and times (fields and units: PORTABLE_DATE_FIELDS)
  'extract',
  'year',
  'quarter',
  'month',
  'week', // ISO week number in both
  'day',
  'hour',
  'minute',
  'date_trunc', // 'week' is Monday in both; on a DATE DuckDB returns a TIMESTAMP: cast(... as date)
  // date_diff(unit, a, b): on timestamps DuckDB counts unit boundaries crossed, Trino whole
  // units elapsed (09:00:00.9 to 10:00:00 is 3600 seconds in DuckDB, 3599 in Trino). They agree
  // on dates with 'day', and on timestamps truncated to the unit first; ingest keeps fractions of
  // a second, so hours between two times are
  // cast(date_diff('second', date_trunc('second', a), date_trunc('second', b)) as double) / 3600
  // (the portability test refuses an hour, minute or second date_diff on anything else).
  'date_diff',
]);

/**
 * Types for cast(x as ...) and typed literals (date '2026-11-16'), lower case, without
 * parameters. decimal must have them (decimal(18, 2)): its default precision differs.
 */
export const PORTABLE_TYPES: ReadonlySet<string> = new Set([
  'boolean',
  'smallint',
  'integer',
  'int',
  'bigint',
  'real',
  'double',
  'decimal', // with precision and scale only
  'varchar', // without a length: Trino's varchar(n) truncates, DuckDB's ignores n
  'date',
  'timestamp', // Trino's default precision is milliseconds, DuckDB's microseconds
  'timestamp with time zone', // see the note on time zones above
]);

/** Fields for extract(field from x) and units for date_trunc and date_diff. */
export const PORTABLE_DATE_FIELDS: ReadonlySet<string> = new Set([
  'year',
  'quarter',
  'month',
  'week', // ISO week, weeks start on Monday
  'day',
  'hour',
  'minute',
  'second',
]);
