/**
 * A DuckDB result as an Arrow table, read from DuckDB's result vectors: numbers, booleans, dates
 * and text are copied from each chunk's buffers into the Arrow buffers (typed arrays, validity
 * bitmaps, UTF-8 bytes) without making a JS value per cell. Same Arrow kinds and values as
 * `toArrowTable` over `getColumnsJS` (src/engine/arrow-types.ts), which decoded every value on its
 * own and was most of what handing the metric tables to the site cost (docs/performance.md).
 * Types this file does not read from the buffers (DECIMAL, HUGEINT, TIMESTAMP, ...) still go
 * value by value through `getColumnsJS`'s converter and `toArrowTable`'s builders.
 *
 * Text and dates are read as indices into each column's distinct values (up to `MAX_DISTINCT`),
 * which stay with the Utf8 column (`DistinctText`, src/engine/arrow-types.ts) so that `tableRows`
 * decodes each distinct string once.
 *
 * The buffers are reached through `@duckdb/node-bindings` (the C API that `@duckdb/node-api` is
 * built on, same pinned version): node-api keeps a vector's typed array private.
 */
import {
  type DuckDBDataChunk,
  type DuckDBResult,
  DuckDBTypeId,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { Bool, Float64, Int32, makeData, makeVector, Table, Utf8, type Vector } from 'apache-arrow';
import {
  type ColumnKind,
  columnKindForSqlType,
  columnVector,
  MAX_DISTINCT,
  utf8WithDistinct,
} from './arrow-types.js';

/** A column decoded chunk by chunk into its Arrow buffers. */
interface ColumnReader {
  /** Read `count` rows of `vector` (a flat DuckDB vector) into rows `at`..`at + count - 1`. */
  read(vector: duckdb.Vector, count: number, at: number): void;
  finish(): Vector;
}

/** Bit i of a validity bitmap (Arrow's and DuckDB's alike: LSB first). */
const bit = (bitmap: Uint8Array, i: number) => (bitmap[i >> 3] ?? 0) & (1 << (i & 7));

/** How many bits of a byte are set. */
function ones(byte: number): number {
  let n = byte - ((byte >> 1) & 0x55);
  n = (n & 0x33) + ((n >> 2) & 0x33);
  return (n + (n >> 4)) & 0x0f;
}

/** The Arrow validity bitmap of a column, filled from each chunk's DuckDB validity mask. */
class Validity {
  readonly bitmap: Uint8Array;
  nulls = 0;
  constructor(length: number) {
    this.bitmap = new Uint8Array((length + 7) >> 3);
  }
  /**
   * Copy a chunk's mask to rows `at`..; returns the chunk's mask, or null when the chunk has no
   * NULL (DuckDB may hand a mask with every bit set). Whole bytes are copied as they are where
   * the rows start on a byte of the bitmap (every chunk but after an odd-sized one).
   */
  read(vector: duckdb.Vector, count: number, at: number): Uint8Array | null {
    const mask = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8) as Uint8Array | null;
    if (!mask) {
      this.setAll(at, count);
      return null;
    }
    let nulls = 0;
    let i = 0;
    if ((at & 7) === 0) {
      const { bitmap } = this;
      const base = at >> 3;
      for (; i + 8 <= count; i += 8) {
        const byte = mask[i >> 3] as number;
        bitmap[base + (i >> 3)] = byte;
        if (byte !== 0xff) nulls += 8 - ones(byte);
      }
    }
    for (; i < count; i += 1) {
      if (bit(mask, i)) {
        const j = at + i;
        this.bitmap[j >> 3] = (this.bitmap[j >> 3] ?? 0) | (1 << (j & 7));
      } else nulls += 1;
    }
    this.nulls += nulls;
    return nulls > 0 ? mask : null;
  }
  private setAll(at: number, count: number): void {
    let i = at;
    const end = at + count;
    for (; i < end && (i & 7) !== 0; i += 1)
      this.bitmap[i >> 3] = (this.bitmap[i >> 3] ?? 0) | (1 << (i & 7));
    for (; i + 8 <= end; i += 8) this.bitmap[i >> 3] = 0xff;
    for (; i < end; i += 1) this.bitmap[i >> 3] = (this.bitmap[i >> 3] ?? 0) | (1 << (i & 7));
  }
  /** What `makeData` takes: no bitmap when nothing is NULL (as `toArrowTable` makes it). */
  data(length: number) {
    return {
      length,
      nullCount: this.nulls,
      ...(this.nulls > 0 ? { nullBitmap: this.bitmap } : {}),
    };
  }
}

type NumberArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;
type NumberArrayType = {
  new (buffer: ArrayBufferLike, offset: number, length: number): NumberArray;
  BYTES_PER_ELEMENT: number;
};

/**
 * Integers of up to 32 bits into Int32 (`kind` int32) or Float64 (UINTEGER), each chunk copied
 * whole (converted by the typed arrays) and its NULL slots zeroed. Int32 and Float64 columns have
 * a function each, so that each one's element accesses stay of one array type.
 */
function intReader(length: number, kind: 'int32' | 'float64', From: NumberArrayType): ColumnReader {
  const validity = new Validity(length);
  if (kind === 'float64') return floatReader('', length, From, validity);
  const out = new Int32Array(length);
  return {
    read(vector, count, at) {
      const mask = validity.read(vector, count, at);
      const bytes = duckdb.vector_get_data(vector, count * From.BYTES_PER_ELEMENT);
      out.set(new From(bytes.buffer, bytes.byteOffset, count), at);
      if (mask) for (let i = 0; i < count; i += 1) if (!bit(mask, i)) out[at + i] = 0;
    },
    finish: () => makeVector(makeData({ type: new Int32(), data: out, ...validity.data(length) })),
  };
}

/** UINTEGER, FLOAT and DOUBLE into Float64, as `intReader`; NaN (from a float) is an error. */
function floatReader(
  name: string,
  length: number,
  From: NumberArrayType,
  validity = new Validity(length),
): ColumnReader {
  const out = new Float64Array(length);
  const floats = From === Float32Array || From === Float64Array;
  return {
    read(vector, count, at) {
      const mask = validity.read(vector, count, at);
      const bytes = duckdb.vector_get_data(vector, count * From.BYTES_PER_ELEMENT);
      out.set(new From(bytes.buffer, bytes.byteOffset, count), at);
      if (mask) for (let i = 0; i < count; i += 1) if (!bit(mask, i)) out[at + i] = 0;
      if (floats)
        for (let i = at; i < at + count; i += 1) {
          const value = out[i] as number;
          if (Number.isNaN(value)) throw new TypeError(`Column ${name}: not a number: NaN`);
        }
    },
    finish: () =>
      makeVector(makeData({ type: new Float64(), data: out, ...validity.data(length) })),
  };
}

/** 2^21: a 64-bit integer's high word (signed) must lie in [-2^21, 2^21) to be a safe JS number. */
const HIGH = 0x20_0000;
const TWO_32 = 2 ** 32;

/**
 * BIGINT and UBIGINT into Float64; beyond 2^53 is an error, as in `toArrowTable`. Each value from
 * its two 32-bit words, without making a BigInt (but for the error's message).
 */
function bigintReader(name: string, length: number, unsigned: boolean): ColumnReader {
  const validity = new Validity(length);
  const out = new Float64Array(length);
  return {
    read(vector, count, at) {
      const mask = validity.read(vector, count, at);
      const bytes = duckdb.vector_get_data(vector, count * 8);
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, count * 2);
      for (let i = 0; i < count; i += 1) {
        if (mask && !bit(mask, i)) continue;
        const low = words[2 * i] as number;
        const high = unsigned ? (words[2 * i + 1] as number) : (words[2 * i + 1] as number) | 0;
        // Safe: -(2^53 - 1) ..= 2^53 - 1, so not high -2^21 with low 0 (that is -2^53).
        if (high >= HIGH || high < -HIGH || (high === -HIGH && low === 0)) {
          const value = unsigned
            ? new BigUint64Array(bytes.buffer, bytes.byteOffset, count)[i]
            : new BigInt64Array(bytes.buffer, bytes.byteOffset, count)[i];
          throw new RangeError(`Column ${name}: integer ${value} is too large for a JS number`);
        }
        out[at + i] = high * TWO_32 + low;
      }
    },
    finish: () =>
      makeVector(makeData({ type: new Float64(), data: out, ...validity.data(length) })),
  };
}

function boolReader(length: number): ColumnReader {
  const validity = new Validity(length);
  const out = new Uint8Array((length + 7) >> 3);
  return {
    read(vector, count, at) {
      const mask = validity.read(vector, count, at);
      const items = duckdb.vector_get_data(vector, count);
      for (let i = 0; i < count; i += 1) {
        if (mask && !bit(mask, i)) continue;
        const j = at + i;
        if (items[i]) out[j >> 3] = (out[j >> 3] ?? 0) | (1 << (j & 7));
      }
    },
    finish: () => makeVector(makeData({ type: new Bool(), data: out, ...validity.data(length) })),
  };
}

/** UTF-8 bytes appended to a buffer that grows as needed. */
class Utf8Bytes {
  bytes = new Uint8Array(1 << 16);
  at = 0;
  append(source: Uint8Array, from: number, count: number): void {
    if (this.at + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + count));
      grown.set(this.bytes.subarray(0, this.at));
      this.bytes = grown;
    }
    // Most metric text is a few bytes: a loop beats making a subarray per value.
    if (count <= 32) {
      const { bytes } = this;
      let at = this.at;
      for (let b = from; b < from + count; b += 1) bytes[at++] = source[b] as number;
    } else this.bytes.set(source.subarray(from, from + count), this.at);
    this.at += count;
  }
}

/**
 * A column's distinct strings, found by their bytes: an open-addressed hash table (FNV-1a of the
 * bytes) over the distinct values' UTF-8, up to `MAX_DISTINCT` of them.
 */
class DistinctBytes {
  readonly bytes = new Utf8Bytes();
  offsets = new Int32Array(256);
  private hashes = new Int32Array(256);
  private slots = new Int32Array(512);
  count = 0;

  /** The index of these bytes among the distinct values, added if new; -1 when full. */
  index(source: Uint8Array, from: number, size: number): number {
    let hash = 0x811c9dc5 ^ size;
    for (let b = from; b < from + size; b += 1)
      hash = Math.imul(hash ^ (source[b] as number), 16_777_619);
    const { slots, hashes, offsets } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let entry = slots[slot] as number; entry !== 0; entry = slots[slot] as number) {
      const k = entry - 1;
      if (hashes[k] === hash && this.equal(k, source, from, size)) return k;
      slot = (slot + 1) & mask;
    }
    if (this.count >= MAX_DISTINCT) return -1;
    const k = this.count;
    if (k + 1 >= offsets.length) {
      this.offsets = grow(offsets, offsets.length * 2);
      this.hashes = grow(hashes, hashes.length * 2);
    }
    this.bytes.append(source, from, size);
    (this.offsets as Int32Array)[k + 1] = this.bytes.at;
    (this.hashes as Int32Array)[k] = hash;
    slots[slot] = k + 1;
    this.count += 1;
    if (this.count * 2 > slots.length) this.rehash();
    return k;
  }

  private equal(k: number, source: Uint8Array, from: number, size: number): boolean {
    const start = this.offsets[k] as number;
    if ((this.offsets[k + 1] as number) - start !== size) return false;
    const { bytes } = this.bytes;
    for (let b = 0; b < size; b += 1) if (bytes[start + b] !== source[from + b]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k += 1) {
      let slot = (this.hashes[k] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
  }

  /** The distinct values, as `utf8WithDistinct` takes them. */
  dictionary() {
    return {
      bytes: this.bytes.bytes.subarray(0, this.bytes.at),
      offsets: this.offsets.subarray(0, this.count + 1),
    };
  }
}

const grow = (from: Int32Array, length: number) => {
  const to = new Int32Array(length);
  to.set(from);
  return to;
};

/**
 * A text column's rows: while it has at most `MAX_DISTINCT` distinct values, each row's index
 * among them (the Utf8 buffers are built from those at the end, and the dictionary kept for
 * `tableRows`); past that, from that row on, every row's bytes appended as they come.
 */
class TextColumn {
  readonly validity: Validity;
  private keys: Int32Array | null;
  private readonly distinct = new DistinctBytes();
  private offsets: Int32Array | null = null;
  private out: Utf8Bytes | null = null;
  /** The index the last row `add`ed got (-1 once the column is plain bytes). */
  private last = -1;
  constructor(private readonly length: number) {
    this.validity = new Validity(length);
    this.keys = new Int32Array(length);
  }

  /** Row `row` holds these bytes (rows come in order; NULL rows go through `skip`). */
  add(row: number, source: Uint8Array, from: number, size: number): void {
    if (this.keys) {
      const k = this.distinct.index(source, from, size);
      if (k >= 0) {
        this.keys[row] = k;
        this.last = k;
        return;
      }
      this.unkey(row);
      this.last = -1;
    }
    (this.out as Utf8Bytes).append(source, from, size);
    (this.offsets as Int32Array)[row + 1] = (this.out as Utf8Bytes).at;
  }

  /**
   * Row `row` holds what the last row `add`ed held (a caller that saw the same bytes): true if
   * taken so, false when the caller must `add` the bytes (the column is plain bytes).
   */
  repeat(row: number): boolean {
    if (!this.keys || this.last < 0) return false;
    this.keys[row] = this.last;
    return true;
  }

  /** Row `row` is NULL. */
  skip(row: number): void {
    if (this.offsets) this.offsets[row + 1] = (this.out as Utf8Bytes).at;
  }

  /** Too many distinct values: rows before `row` written out as bytes, the rest appended. */
  private unkey(row: number): void {
    const keys = this.keys as Int32Array;
    const { bytes, offsets: starts } = this.distinct.dictionary();
    const out = new Utf8Bytes();
    const offsets = new Int32Array(this.length + 1);
    const { bitmap } = this.validity;
    for (let r = 0; r < row; r += 1) {
      if (bit(bitmap, r)) {
        const k = keys[r] as number;
        out.append(bytes, starts[k] as number, (starts[k + 1] as number) - (starts[k] as number));
      }
      offsets[r + 1] = out.at;
    }
    this.keys = null;
    this.out = out;
    this.offsets = offsets;
  }

  finish(): Vector {
    const nulls = this.validity.data(this.length);
    if (this.keys) return utf8WithDistinct(this.keys, this.distinct.dictionary(), nulls);
    return makeVector(
      makeData({
        type: new Utf8(),
        data: (this.out as Utf8Bytes).bytes.subarray(0, (this.out as Utf8Bytes).at),
        valueOffsets: this.offsets as Int32Array,
        ...nulls,
      }),
    );
  }
}

/**
 * Where a chunk's strings longer than DuckDB's 12 inline bytes are: their bytes fetched with one
 * native call per run of strings DuckDB stored back to back (each string's bytes start where the
 * previous one's end; the run is then exactly their bytes), not one call per string.
 */
class LongStrings {
  source: (Uint8Array | undefined)[] = [];
  start = new Int32Array(0);
  private pointers = new Float64Array(0);

  read(data: Uint8Array, view: DataView, count: number, mask: Uint8Array | null): void {
    if (this.start.length < count) {
      this.start = new Int32Array(count);
      this.pointers = new Float64Array(count);
      this.source = new Array(count);
    }
    const { pointers, start, source } = this;
    let first = -1;
    let runStart = 0;
    let runEnd = 0;
    const flush = (end: number) => {
      if (first < 0) return;
      const bytes = duckdb.get_data_from_pointer(
        data.buffer as ArrayBuffer,
        data.byteOffset + first * 16 + 8,
        runEnd - runStart,
      );
      for (let j = first; j < end; j += 1) {
        if ((mask && !bit(mask, j)) || view.getUint32(j * 16, true) <= 12) continue;
        source[j] = bytes;
        start[j] = (pointers[j] as number) - runStart;
      }
    };
    for (let i = 0; i < count; i += 1) {
      if (mask && !bit(mask, i)) continue;
      const size = view.getUint32(i * 16, true);
      if (size <= 12) continue;
      const pointer = view.getUint32(i * 16 + 8, true) + view.getUint32(i * 16 + 12, true) * TWO_32;
      pointers[i] = pointer;
      if (first >= 0 && pointer === runEnd) runEnd += size;
      else {
        flush(i);
        first = i;
        runStart = pointer;
        runEnd = pointer + size;
      }
    }
    flush(count);
  }
}

/**
 * VARCHAR: each `string_t`'s bytes (inline up to 12 bytes, else behind its pointer). An inline
 * string whose 16 bytes (length and text) are the previous inline row's is that row's value
 * again, without hashing it (metric tables come sorted, so codes and weeks repeat in runs).
 */
function textReader(length: number): ColumnReader {
  const column = new TextColumn(length);
  const long = new LongStrings();
  return {
    read(vector, count, at) {
      const mask = column.validity.read(vector, count, at);
      const data = duckdb.vector_get_data(vector, count * 16);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      long.read(data, view, count, mask);
      let size0 = -1;
      let word1 = 0;
      let word2 = 0;
      let word3 = 0;
      for (let i = 0; i < count; i += 1) {
        if (mask && !bit(mask, i)) {
          column.skip(at + i);
          continue;
        }
        const size = view.getUint32(i * 16, true);
        if (size > 12) {
          column.add(at + i, long.source[i] as Uint8Array, long.start[i] as number, size);
          size0 = -1;
          continue;
        }
        const w1 = view.getInt32(i * 16 + 4, true);
        const w2 = view.getInt32(i * 16 + 8, true);
        const w3 = view.getInt32(i * 16 + 12, true);
        if (size === size0 && w1 === word1 && w2 === word2 && w3 === word3 && column.repeat(at + i))
          continue;
        column.add(at + i, data, i * 16 + 4, size);
        size0 = size;
        word1 = w1;
        word2 = w2;
        word3 = w3;
      }
    },
    finish: () => column.finish(),
  };
}

const DAY_MS = 86_400_000;

/** DATE (days since 1970-01-01) as `YYYY-MM-DD` text, each distinct day formatted once. */
function dateReader(length: number): ColumnReader {
  const column = new TextColumn(length);
  const encoder = new TextEncoder();
  const days = new Map<number, Uint8Array>();
  return {
    read(vector, count, at) {
      const mask = column.validity.read(vector, count, at);
      const bytes = duckdb.vector_get_data(vector, count * 4);
      const items = new Int32Array(bytes.buffer, bytes.byteOffset, count);
      let previous = Number.NaN;
      for (let i = 0; i < count; i += 1) {
        if (mask && !bit(mask, i)) {
          column.skip(at + i);
          continue;
        }
        const day = items[i] as number;
        if (day === previous && column.repeat(at + i)) continue;
        previous = day;
        let utf8 = days.get(day);
        if (!utf8) {
          // As `toArrowTable` wrote a JS Date: its ISO text cut to the date.
          utf8 = encoder.encode(new Date(day * DAY_MS).toISOString().slice(0, 10));
          days.set(day, utf8);
        }
        column.add(at + i, utf8, 0, utf8.length);
      }
    },
    finish: () => column.finish(),
  };
}

/** Any other type: each value through node-api's JS converter, then `toArrowTable`'s builders. */
function valueReader(
  chunks: readonly DuckDBDataChunk[],
  column: number,
  name: string,
  kind: ColumnKind,
): ColumnReader {
  return {
    read() {},
    finish: () =>
      columnVector(
        name,
        kind,
        chunks.flatMap((chunk) => chunk.convertColumnValues(column, JSDuckDBValueConverter)),
      ),
  };
}

function readerFor(
  typeId: DuckDBTypeId,
  name: string,
  kind: ColumnKind,
  length: number,
  chunks: readonly DuckDBDataChunk[],
  column: number,
): ColumnReader {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return boolReader(length);
    case DuckDBTypeId.TINYINT:
      return intReader(length, 'int32', Int8Array);
    case DuckDBTypeId.UTINYINT:
      return intReader(length, 'int32', Uint8Array);
    case DuckDBTypeId.SMALLINT:
      return intReader(length, 'int32', Int16Array);
    case DuckDBTypeId.USMALLINT:
      return intReader(length, 'int32', Uint16Array);
    case DuckDBTypeId.INTEGER:
      return intReader(length, 'int32', Int32Array);
    case DuckDBTypeId.UINTEGER:
      return intReader(length, 'float64', Uint32Array);
    case DuckDBTypeId.FLOAT:
      return floatReader(name, length, Float32Array);
    case DuckDBTypeId.DOUBLE:
      return floatReader(name, length, Float64Array);
    case DuckDBTypeId.BIGINT:
      return bigintReader(name, length, false);
    case DuckDBTypeId.UBIGINT:
      return bigintReader(name, length, true);
    case DuckDBTypeId.VARCHAR:
      return textReader(length);
    case DuckDBTypeId.DATE:
      return dateReader(length);
    default:
      return valueReader(chunks, column, name, kind);
  }
}

/** Every row of a result as an Arrow table (kinds: src/engine/arrow-types.ts). */
export async function resultToArrow(result: DuckDBResult): Promise<Table> {
  const chunks = await result.fetchAllChunks();
  const length = chunks.reduce((sum, chunk) => sum + chunk.rowCount, 0);
  const names = result.columnNames();
  const readers = names.map((name, column) => {
    const type = result.columnType(column);
    return readerFor(
      result.columnTypeId(column),
      name,
      columnKindForSqlType(String(type)),
      length,
      chunks,
      column,
    );
  });
  let at = 0;
  for (const chunk of chunks) {
    const count = chunk.rowCount;
    readers.forEach((reader, column) => {
      reader.read(duckdb.data_chunk_get_vector(chunk.chunk, column), count, at);
    });
    at += count;
  }
  const vectors: Record<string, Vector> = {};
  names.forEach((name, column) => {
    vectors[name] = (readers[column] as ColumnReader).finish();
  });
  return new Table(vectors);
}
