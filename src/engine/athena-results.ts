/**
 * Athena query results as Arrow tables, with the same engine-neutral columns as DuckDB results
 * (arrow-types.ts), so nothing downstream knows which engine ran the SQL. GetQueryResults gives
 * the column types in `ResultSetMetadata.ColumnInfo` and every cell as text (`VarCharValue`,
 * missing for NULL); this reads that text back into values. Pure: athena-engine.ts does the
 * paging and drops the header row before handing rows here.
 *
 * Athena's text, by type: booleans `true`/`false`; integers and decimals plain (`42`, `123.45`);
 * doubles as Java prints them (`0.5`, `1.0E10`); dates `YYYY-MM-DD`; timestamps
 * `YYYY-MM-DD HH:MM:SS.fff` in UTC (Athena's session time zone), and `timestamp with time zone`
 * with its zone after a space (`... UTC`, `... Europe/London`, `... +01:00`). Timestamps become
 * the ISO 8601 UTC text DuckDB's become (`2026-11-16T09:00:00.000Z`), to the millisecond like a
 * JS Date (further digits are dropped, as DuckDB's Date conversion drops them). `row`, `array`,
 * `map` and anything else stay text as Athena wrote it.
 */
import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import type { Table } from 'apache-arrow';
import { zoneOffsetMs } from '../calendar.js';
import { type ColumnKind, columnKindForSqlType, toArrowTable } from './arrow-types.js';

/** A cell read back into the JS value `toArrowTable` expects for its column kind. */
export type CellValue = boolean | number | bigint | string | null;

/** Hive type names the Glue catalog may report where Trino's differ (`string` is text anyway). */
const HIVE_NAMES: Readonly<Record<string, string>> = { int: 'integer' };

/** The Arrow column kind for an Athena column type (`varchar`, `bigint`, `decimal`, ...). */
export function athenaColumnKind(athenaType: string): ColumnKind {
  const type = athenaType.trim().toLowerCase();
  return columnKindForSqlType(HIVE_NAMES[type] ?? type);
}

/** Columns and rows of a GetQueryResults response (header row already dropped) as Arrow. */
export function athenaResultToArrow(columns: readonly ColumnInfo[], rows: readonly Row[]): Table {
  const names = columns.map((column, i) => {
    const name = column.Name ?? column.Label;
    if (!name) throw new TypeError(`Athena result column ${i + 1} has no name`);
    return name;
  });
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new TypeError(`Athena result has two columns named ${repeated}: alias one of them`);
  }
  return toArrowTable(
    columns.map((column, i) => {
      const name = names[i] ?? '';
      const kind = athenaColumnKind(column.Type ?? 'varchar');
      return {
        name,
        kind,
        values: rows.map((row) => parseCell(row.Data?.[i]?.VarCharValue, kind, name)),
      };
    }),
  );
}

/** One cell's text as a value of its column's kind; a missing value is NULL. */
export function parseCell(text: string | undefined, kind: ColumnKind, column: string): CellValue {
  if (text === undefined) return null;
  switch (kind) {
    case 'bool':
      return parseBoolean(text, column);
    case 'int32':
      return parseInt32(text, column);
    case 'float64':
      return parseFloat64(text, column);
    case 'date':
      return parseDate(text, column);
    case 'timestamp':
      return athenaTimestampToIso(text, column);
    default:
      return text;
  }
}

function parseBoolean(text: string, column: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new TypeError(`Column ${column}: not a boolean: ${text}`);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_DOUBLES = new Set(['Infinity', '-Infinity']);

function parseInt32(text: string, column: string): number {
  const n = INTEGER.test(text) ? Number(text) : Number.NaN;
  if (Number.isNaN(n)) throw new TypeError(`Column ${column}: not an integer: ${text}`);
  if (n < -(2 ** 31) || n >= 2 ** 31) {
    throw new RangeError(`Column ${column}: integer ${text} is too large for a 32-bit column`);
  }
  return n;
}

/**
 * Integers (bigint, and decimals of scale 0) as BigInt, so `toArrowTable` refuses one beyond
 * 2^53 exactly as it does for DuckDB's; decimals and doubles as numbers. NaN is refused, as
 * `toArrowTable` refuses DuckDB's.
 */
function parseFloat64(text: string, column: string): number | bigint {
  if (INTEGER.test(text)) return BigInt(text);
  if (DECIMAL.test(text) || SPECIAL_DOUBLES.has(text)) return Number(text);
  throw new TypeError(`Column ${column}: not a number: ${text}`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(text: string, column: string): string {
  const ms = DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March: a real date survives the round trip.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new TypeError(`Column ${column}: not a date: ${text}`);
  }
  return text;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?: (\S+))?$/;

/**
 * An Athena timestamp as an ISO 8601 UTC instant: `2026-11-16 09:00:00.000` (UTC, Athena's
 * session zone) and `2026-11-16 09:00:00.000 UTC` both give `2026-11-16T09:00:00.000Z`; a
 * timestamp in another zone (`... Europe/London`, `... +01:00`) is converted to UTC. In the hour a
 * clock goes back, a named zone's wall time names two instants and the text does not say which:
 * this takes the one the zone's rules give first (`Intl`), usually the later.
 */
export function athenaTimestampToIso(text: string, column: string): string {
  const match = TIMESTAMP.exec(text);
  if (!match) throw new TypeError(`Column ${column}: not a timestamp: ${text}`);
  const [, date, time, fraction = '', zone] = match;
  const iso = `${date}T${time}.${`${fraction}000`.slice(0, 3)}Z`;
  const wall = Date.parse(iso);
  if (Number.isNaN(wall) || new Date(wall).toISOString() !== iso) {
    throw new TypeError(`Column ${column}: not a timestamp: ${text}`);
  }
  const instant = zone === undefined ? wall : wall - offsetOfWallTime(zone, wall, column);
  return new Date(instant).toISOString();
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** How far `zone` is ahead of UTC at the wall-clock time `wall` (read as if it were UTC). */
function offsetOfWallTime(zone: string, wall: number, column: string): number {
  if (zone === 'Z') return 0;
  const offset = OFFSET.exec(zone);
  if (offset) {
    const [, sign, hours, minutes] = offset;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  }
  // The offset at the wall time read as UTC is at most a day off the real instant's; asking
  // again at the instant that first guess gives lands on the right side of a clock change.
  const guess = offsetAt(zone, wall, column);
  return offsetAt(zone, wall - guess, column);
}

/** A named zone's offset from UTC at an instant, from the runtime's time zone data. */
function offsetAt(zone: string, instant: number, column: string): number {
  try {
    return zoneOffsetMs(zone, instant);
  } catch (error) {
    throw new TypeError(`Column ${column}: unknown time zone ${zone}`, { cause: error });
  }
}
