/**
 * How engine values become Arrow columns, the same for every engine:
 * - booleans -> Bool; 8-32 bit integers -> Int32;
 * - 64-bit and wider integers, decimals, floats -> Float64 (no BigInt downstream; integers beyond
 *   2^53 are an error rather than a silent rounding);
 * - DATE -> Utf8 `YYYY-MM-DD` (a calendar date has no time zone; no JS Date downstream);
 * - TIMESTAMP / TIMESTAMP WITH TIME ZONE -> Utf8 ISO 8601 instant in UTC (`...Z`);
 * - text and anything else -> Utf8.
 */
import { Bool, Float64, Int32, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';

export type ColumnKind = 'bool' | 'int32' | 'float64' | 'date' | 'timestamp' | 'text';

export function columnKindForSqlType(sqlType: string): ColumnKind {
  const t = sqlType.toUpperCase();
  if (t === 'BOOLEAN') return 'bool';
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(t)) return 'int32';
  if (
    ['BIGINT', 'HUGEINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE', 'REAL'].includes(t)
  )
    return 'float64';
  if (t.startsWith('DECIMAL')) return 'float64';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'text';
}

function toNumber(value: unknown, column: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new RangeError(`Column ${column}: integer ${value} is too large for a JS number`);
    }
    return Number(value);
  }
  const n = Number(value);
  if (Number.isNaN(n)) throw new TypeError(`Column ${column}: not a number: ${String(value)}`);
  return n;
}

function toText(value: unknown, kind: ColumnKind): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    return kind === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  }
  return String(value);
}

/** Build an Arrow table from columns of JS values and their kinds. */
export function toArrowTable(
  columns: { name: string; kind: ColumnKind; values: readonly unknown[] }[],
): Table {
  const vectors: Record<string, Vector> = {};
  for (const { name, kind, values } of columns) {
    switch (kind) {
      case 'bool':
        vectors[name] = vectorFromArray(
          values.map((v) => (v === null || v === undefined ? null : Boolean(v))),
          new Bool(),
        );
        break;
      case 'int32':
        vectors[name] = vectorFromArray(
          values.map((v) => toNumber(v, name)),
          new Int32(),
        );
        break;
      case 'float64':
        vectors[name] = vectorFromArray(
          values.map((v) => toNumber(v, name)),
          new Float64(),
        );
        break;
      default:
        vectors[name] = vectorFromArray(
          values.map((v) => toText(v, kind)),
          new Utf8(),
        );
    }
  }
  return new Table(vectors);
}

/** Arrow rows as plain objects (for page building and tests). */
export function tableRows<T = Record<string, unknown>>(table: Table): T[] {
  return table.toArray().map((row) => row.toJSON() as T);
}
