/**
 * How engine values become Arrow columns, the same for every engine:
 * - booleans -> Bool; 8-32 bit integers -> Int32;
 * - 64-bit and wider integers, decimals, floats -> Float64 (no BigInt downstream; integers beyond
 *   2^53 are an error rather than a silent rounding);
 * - DATE -> Utf8 `YYYY-MM-DD` (a calendar date has no time zone; no JS Date downstream);
 * - TIMESTAMP / TIMESTAMP WITH TIME ZONE -> Utf8 ISO 8601 instant in UTC (`...Z`);
 * - text and anything else -> Utf8.
 */
import {
  Bool,
  type Data,
  Float64,
  Int32,
  makeData,
  makeVector,
  Table,
  Utf8,
  type Vector,
} from 'apache-arrow';

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

/** A validity bitmap (Arrow: bit i set = value i present, least significant bit first). */
function validity(values: readonly unknown[]): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v === null || v === undefined) nulls += 1;
    else bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

function numberVector(values: readonly unknown[], name: string, kind: 'int32' | 'float64'): Vector {
  const { bitmap, nulls } = validity(values);
  const common = {
    length: values.length,
    nullCount: nulls,
    ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
  };
  if (kind === 'int32') {
    const data = new Int32Array(values.length);
    for (let i = 0; i < values.length; i += 1) data[i] = toNumber(values[i], name) ?? 0;
    return makeVector(makeData({ type: new Int32(), data, ...common }));
  }
  const data = new Float64Array(values.length);
  for (let i = 0; i < values.length; i += 1) data[i] = toNumber(values[i], name) ?? 0;
  return makeVector(makeData({ type: new Float64(), data, ...common }));
}

function boolVector(values: readonly unknown[]): Vector {
  const data = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i += 1)
    if (values[i]) data[i >> 3] = (data[i >> 3] ?? 0) | (1 << (i & 7));
  const { bitmap, nulls } = validity(values);
  return makeVector(
    makeData({
      type: new Bool(),
      length: values.length,
      nullCount: nulls,
      data,
      ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
    }),
  );
}

const encoder = new TextEncoder();
/**
 * Distinct strings remembered per text column (metric text repeats a lot): each encoded to UTF-8
 * once, and up to this many, the column's rows are also kept as indices into them.
 */
export const MAX_DISTINCT = 65_536;

/**
 * A text column's distinct values and each row's index into them (0 for NULL rows): a dictionary
 * kept beside the plain Utf8 buffers, which stay as they are (every engine gives text as Utf8).
 * `tableRows` decodes each distinct value once and every row with it shares the one string.
 */
export interface DistinctText {
  /** Per row, the index of its value (0 where the row is NULL). */
  keys: Int32Array;
  /** The distinct values' UTF-8 bytes: value k is `bytes[offsets[k]..offsets[k + 1]]`. */
  bytes: Uint8Array;
  offsets: Int32Array;
  /** The distinct values decoded, made once when first asked for. */
  strings?: string[];
}

const distinctTexts = new WeakMap<Data, DistinctText>();

/**
 * A Utf8 column (one `Data`) whose rows' values are `distinct`'s, as `keys` say, with the
 * dictionary remembered for `tableRows` and `distinctValues`.
 *
 * The Utf8 buffers themselves (every row's bytes and offsets) are built the first time anything
 * reads the `Data`'s `values` or `valueOffsets` (`get`, IPC, `toArray`, a slice...). The site's
 * rows come from the dictionary, so on the publish path they are never built (about a sixth of
 * the read-back's CPU at 5M shifts: docs/performance.md).
 */
export function utf8WithDistinct(
  keys: Int32Array,
  distinct: Omit<DistinctText, 'keys' | 'strings'>,
  nulls: { length: number; nullCount: number; nullBitmap?: Uint8Array },
): Vector<Utf8> {
  const { length, nullCount, nullBitmap } = nulls;
  const made = makeData({
    type: new Utf8(),
    length,
    nullCount,
    // Placeholders: the accessors below stand in for both.
    data: new Uint8Array(0),
    valueOffsets: new Int32Array(0),
    ...(nullCount > 0 && nullBitmap ? { nullBitmap } : {}),
  });
  let built: { values: Uint8Array; valueOffsets: Int32Array } | undefined;
  const build = () => {
    built ??= utf8Buffers(keys, distinct, nulls);
    return built;
  };
  Object.defineProperty(made, 'values', { get: () => build().values, configurable: true });
  Object.defineProperty(made, 'valueOffsets', {
    get: () => build().valueOffsets,
    configurable: true,
  });
  distinctTexts.set(made, { keys, bytes: distinct.bytes, offsets: distinct.offsets });
  return makeVector(made);
}

/** Every row's UTF-8 bytes and offsets (0 bytes where NULL), from its index into `distinct`. */
function utf8Buffers(
  keys: Int32Array,
  distinct: Omit<DistinctText, 'keys' | 'strings'>,
  nulls: { length: number; nullCount: number; nullBitmap?: Uint8Array },
): { values: Uint8Array; valueOffsets: Int32Array } {
  const { length, nullCount, nullBitmap } = nulls;
  const { bytes, offsets } = distinct;
  const sizes = new Int32Array(offsets.length);
  for (let k = 0; k + 1 < offsets.length; k += 1)
    sizes[k] = (offsets[k + 1] as number) - (offsets[k] as number);
  const valueOffsets = new Int32Array(length + 1);
  let at = 0;
  for (let r = 0; r < length; r += 1) {
    if (nullCount === 0 || ((nullBitmap?.[r >> 3] as number) & (1 << (r & 7))) !== 0)
      at += sizes[keys[r] as number] as number;
    valueOffsets[r + 1] = at;
  }
  const values = new Uint8Array(at);
  for (let r = 0; r < length; r += 1) {
    let to = valueOffsets[r] as number;
    const end = valueOffsets[r + 1] as number;
    for (let b = offsets[keys[r] as number] as number; to < end; b += 1)
      values[to++] = bytes[b] as number;
  }
  return { values, valueOffsets };
}

/** The decoded distinct values of a Utf8 column's data, when they are known. */
function distinctStrings(data: Data): { keys: Int32Array; strings: string[] } | undefined {
  const known = distinctTexts.get(data);
  if (!known) return undefined;
  if (!known.strings) {
    const { bytes, offsets } = known;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const strings = new Array<string>(offsets.length - 1);
    for (let k = 0; k < strings.length; k += 1)
      strings[k] = buffer.toString('utf8', offsets[k], offsets[k + 1]);
    known.strings = strings;
  }
  return { keys: known.keys, strings: known.strings };
}

/**
 * Every value a text column holds (NULL aside), each once, when the column's dictionary is known
 * (text made by `toArrowTable` or read from DuckDB with few distinct values); else undefined.
 * A dictionary value is one some row holds: none is there that no row has.
 */
export function distinctValues(vector: Vector): readonly string[] | undefined {
  const [data, ...more] = vector.data;
  if (!data || more.length > 0) return undefined;
  return distinctStrings(data)?.strings;
}

/** Utf8 built in one pass: each distinct string encoded once, offsets and bytes written directly. */
function textVector(values: readonly unknown[], kind: ColumnKind): Vector {
  const indices = new Map<string, number>();
  const distinct: Uint8Array[] = [];
  const keys = new Int32Array(values.length);
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  let bytes = 0;
  let keyed = true;
  const encoded: (Uint8Array | null)[] = new Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const text = toText(values[i], kind);
    if (text === null) {
      encoded[i] = null;
      nulls += 1;
      continue;
    }
    bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) | (1 << (i & 7));
    let k = indices.get(text);
    if (k === undefined) {
      const utf8 = encoder.encode(text);
      if (distinct.length < MAX_DISTINCT) {
        k = distinct.length;
        distinct.push(utf8);
        indices.set(text, k);
      } else {
        keyed = false;
        encoded[i] = utf8;
        bytes += utf8.length;
        continue;
      }
    }
    keys[i] = k;
    const utf8 = distinct[k] as Uint8Array;
    encoded[i] = utf8;
    bytes += utf8.length;
  }
  const common = {
    length: values.length,
    nullCount: nulls,
    ...(nulls > 0 ? { nullBitmap: bitmap } : {}),
  };
  if (keyed) {
    const offsets = new Int32Array(distinct.length + 1);
    let at = 0;
    distinct.forEach((utf8, k) => {
      at += utf8.length;
      offsets[k + 1] = at;
    });
    const all = new Uint8Array(at);
    distinct.forEach((utf8, k) => {
      all.set(utf8, offsets[k]);
    });
    return utf8WithDistinct(keys, { bytes: all, offsets }, common);
  }
  const data = new Uint8Array(bytes);
  const valueOffsets = new Int32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < encoded.length; i += 1) {
    const utf8 = encoded[i];
    if (utf8) {
      data.set(utf8, at);
      at += utf8.length;
    }
    valueOffsets[i + 1] = at;
  }
  return makeVector(makeData({ type: new Utf8(), data, valueOffsets, ...common }));
}

/**
 * Build an Arrow table from columns of JS values and their kinds. The buffers are written directly
 * (typed arrays, one UTF-8 encoding per distinct string), not through `vectorFromArray`'s builders,
 * which cost more than computing the metric tables at 5M shifts (docs/performance.md).
 */
export function toArrowTable(
  columns: { name: string; kind: ColumnKind; values: readonly unknown[] }[],
): Table {
  const vectors: Record<string, Vector> = {};
  for (const { name, kind, values } of columns) vectors[name] = columnVector(name, kind, values);
  return new Table(vectors);
}

/** One column of JS values as an Arrow vector of its kind (see `toArrowTable`). */
export function columnVector(name: string, kind: ColumnKind, values: readonly unknown[]): Vector {
  switch (kind) {
    case 'bool':
      return boolVector(values);
    case 'int32':
    case 'float64':
      return numberVector(values, name, kind);
    default:
      return textVector(values, kind);
  }
}

/**
 * Arrow rows as plain objects (for page building and tests): what `row.toJSON()` gives for each
 * row, built column by column. Numbers are taken from the typed arrays and text decoded straight
 * from the UTF-8 buffer, not through a row proxy and `get` per value, which took longer than
 * reading the metric tables (docs/performance.md).
 */
export function tableRows<T = Record<string, unknown>>(table: Table): T[] {
  const names = table.schema.fields.map((field) => field.name);
  const row = rowMaker(
    names,
    names.map((_, i) => table.getChildAt(i) as Vector),
  );
  const rows = new Array<T>(table.numRows);
  for (let r = 0; r < table.numRows; r += 1) rows[r] = row(r) as T;
  return rows;
}

/**
 * A function making row `r` as an object with these keys, in this order: an object literal, so
 * every row shares one shape (setting keys one by one on `{}` was half of the time). A key
 * repeated keeps its last value, as `toJSON` does. Keys are JSON string literals. A column of one
 * unsliced batch is read in place (numbers from its typed array, booleans from their bits, text
 * with known distinct values through its keys, NULL from its bitmap); any other is first turned
 * into an array of values.
 */
function rowMaker(names: readonly string[], vectors: readonly Vector[]): (r: number) => unknown {
  const last = new Map(names.map((name, c) => [name, c]));
  const parameters: string[] = [];
  const values: unknown[] = [];
  const bind = (name: string, value: unknown) => {
    parameters.push(name);
    values.push(value);
    return name;
  };
  const fields = [...last].map(([name, c]) => {
    const vector = vectors[c] as Vector;
    const [data, ...more] = vector.data;
    let read: string | undefined;
    let nulls: Uint8Array | undefined;
    if (data && more.length === 0 && data.offset === 0) {
      if (data.nullCount > 0) nulls = data.nullBitmap;
      if (data.type instanceof Float64 || data.type instanceof Int32)
        read = `${bind(`v${c}`, data.values)}[r]`;
      else if (data.type instanceof Bool)
        read = `(${bind(`b${c}`, data.values)}[r >> 3] & (1 << (r & 7))) !== 0`;
      else if (data.type instanceof Utf8 && distinctTexts.has(data)) {
        const { keys, strings } = distinctStrings(data) as { keys: Int32Array; strings: string[] };
        read = `${bind(`s${c}`, strings)}[${bind(`k${c}`, keys)}[r]]`;
      }
    }
    let value: string;
    if (read === undefined) value = `${bind(`a${c}`, columnValues(vector))}[r]`;
    else if (nulls)
      value = `(${bind(`n${c}`, nulls)}[r >> 3] & (1 << (r & 7))) !== 0 ? ${read} : null`;
    else value = read;
    return `${JSON.stringify(name)}: ${value}`;
  });
  const make = new Function(...parameters, `return (r) => ({ ${fields.join(', ')} });`);
  return make(...values) as (r: number) => unknown;
}

/** One column's values as JS values (null for NULL), as `Vector.get` gives them. */
function columnValues(vector: Vector): unknown[] {
  const out = new Array<unknown>(vector.length);
  let at = 0;
  for (const data of vector.data) {
    // A slice keeps the validity bitmap whole (`offset` into it) but slices values and offsets.
    const { length, offset, nullBitmap, nullCount } = data;
    const valid = (i: number) =>
      nullCount === 0 ||
      !nullBitmap ||
      ((nullBitmap[(offset + i) >> 3] ?? 0) & (1 << ((offset + i) & 7))) !== 0;
    if (data.type instanceof Float64 || data.type instanceof Int32) {
      const values = data.values as Float64Array | Int32Array;
      for (let i = 0; i < length; i += 1) out[at + i] = valid(i) ? values[i] : null;
    } else if (data.type instanceof Utf8 && distinctTexts.has(data)) {
      // Each distinct value decoded once; the rows holding it share the one string.
      const { keys, strings } = distinctStrings(data) as { keys: Int32Array; strings: string[] };
      for (let i = 0; i < length; i += 1)
        out[at + i] = valid(i) ? strings[keys[offset + i] as number] : null;
    } else if (data.type instanceof Utf8) {
      const bytes = Buffer.from(data.values.buffer, data.values.byteOffset, data.values.byteLength);
      const offsets = data.valueOffsets;
      for (let i = 0; i < length; i += 1)
        out[at + i] = valid(i) ? bytes.toString('utf8', offsets[i], offsets[i + 1]) : null;
    } else {
      const part = makeVector(data);
      for (let i = 0; i < length; i += 1) out[at + i] = part.get(i);
    }
    at += length;
  }
  return out;
}
