/**
 * `DuckDbEngine.query` reads numbers, booleans, dates and text from DuckDB's result vectors
 * (src/engine/duckdb-arrow.ts). It must give the Arrow table the per-value path gave:
 * `getColumnsJS` then `toArrowTable`, run here on the same query as the reference.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  columnKindForSqlType,
  distinctValues,
  MAX_DISTINCT,
  tableRows,
  toArrowTable,
} from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';

let engine: DuckDbEngine;
let instance: DuckDBInstance;

beforeAll(async () => {
  engine = await DuckDbEngine.open();
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(async () => {
  await engine?.close();
  instance?.closeSync();
});

/** The reference: every value through node-api's JS converter, then `toArrowTable`. */
async function byValue(sql: string) {
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = 'UTC'`);
    const reader = await connection.runAndReadAll(sql);
    const types = reader.columnTypes();
    const values = reader.getColumnsJS();
    return toArrowTable(
      reader.columnNames().map((name, i) => ({
        name,
        kind: columnKindForSqlType(String(types[i])),
        values: values[i] ?? [],
      })),
    );
  } finally {
    connection.closeSync();
  }
}

/** A Utf8 column's buffers for these values: each value's UTF-8 bytes, none for NULL. */
function utf8Buffers(values: readonly (string | null)[]) {
  const encoded = values.map((value) => new TextEncoder().encode(value ?? ''));
  const valueOffsets = new Int32Array(values.length + 1);
  encoded.forEach((bytes, i) => {
    valueOffsets[i + 1] = (valueOffsets[i] as number) + bytes.length;
  });
  return { values: encoded.flatMap((bytes) => [...bytes]), valueOffsets };
}

/** Every type the vectors are read for, and some that are not, NULL every few rows. */
const ALL_TYPES = `
  select
    i,
    case when i % 7 = 3 then null else i % 2 = 0 end as flag,
    case when i % 5 = 1 then null else cast(i % 120 - 60 as tinyint) end as tiny,
    cast(i % 250 as utinyint) as utiny,
    case when i % 11 = 0 then null else cast(i % 30000 - 15000 as smallint) end as small,
    cast(i % 60000 as usmallint) as usmall,
    case when i % 13 = 2 then null else cast(i * 7 - 10000 as integer) end as int,
    cast(i * 3 as uinteger) as uint,
    case when i % 3 = 0 then null else cast(i * 1000003 - 9007199254740000 as bigint) end as big,
    cast(i as ubigint) as ubig,
    case when i % 17 = 5 then null else i / 7.0 end as dbl,
    cast(i / 3.0 as float) as flt,
    cast(i / 4.0 as decimal(12, 3)) as dec,
    case when i % 19 = 4 then null else date '1969-12-25' + cast(i % 400 as integer) end as day,
    case when i % 23 = 9 then null else timestamptz '2026-03-29 00:30:00+00' + to_minutes(cast(i as integer)) end as instant,
    case when i % 4 = 1 then null
         when i % 4 = 2 then 'U' || lpad(cast(i % 1250 as varchar), 5, '0')
         when i % 4 = 3 then 'social_prescribing_link_worker ' || cast(i % 9 as varchar)
         else 'Ysgol Gymraeg – ' || chr(12354 + (i % 5)::integer) || '!' end as txt,
    case when i % 9 = 0 then '' when i % 2 = 0 then 'exactly12chr' else 'exactly13char' end as edge,
    -- Two pairs of strings with the same 32-bit FNV-1a hash (the dictionary's), inline and long.
    ['role 539599', 'role 722382', 'long role number 479599', 'long role number 662382'][i % 4 + 1]
      as twins
  from range(5000) t(i)`;

describe('DuckDbEngine.query from result vectors', () => {
  it('gives the table the per-value path gave: types, values, NULLs, over several chunks', async () => {
    const fast = await engine.query(ALL_TYPES);
    const reference = await byValue(ALL_TYPES);
    expect(fast.numRows).toBe(5000);
    expect(fast.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      reference.schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    for (const field of reference.schema.fields) {
      expect(fast.getChild(field.name)?.nullCount, field.name).toBe(
        reference.getChild(field.name)?.nullCount,
      );
    }
    expect(tableRows(fast)).toEqual(tableRows(reference));
    // The same Arrow buffers too: values (0 under NULL), bitmaps, and for text the UTF-8 bytes and
    // offsets (none for NULL), worked out here from the values.
    const rows = tableRows(reference);
    for (const field of reference.schema.fields) {
      const [mine] = fast.getChild(field.name)?.data ?? [];
      const [theirs] = reference.getChild(field.name)?.data ?? [];
      const text = String(field.type) === 'Utf8';
      const expected = text
        ? utf8Buffers(rows.map((row) => row[field.name] as string | null))
        : { values: theirs?.values, valueOffsets: theirs?.valueOffsets };
      expect([...(mine?.values ?? [])], `${field.name} values`).toEqual([
        ...(expected.values ?? []),
      ]);
      expect([...(mine?.valueOffsets ?? [])], `${field.name} offsets`).toEqual([
        ...(expected.valueOffsets ?? []),
      ]);
      expect([...(mine?.nullBitmap ?? [])], `${field.name} bitmap`).toEqual([
        ...(theirs?.nullBitmap ?? []),
      ]);
    }
  });

  it('reads an empty result and a result with no NULLs', async () => {
    const empty = 'select 1::integer as a, $$x$$ as b, date $$2026-01-05$$ as c where false';
    expect(tableRows(await engine.query(empty))).toEqual([]);
    expect((await engine.query(empty)).schema.fields.map(String)).toEqual(
      (await byValue(empty)).schema.fields.map(String),
    );
    const full = 'select i::bigint as n, i::varchar as s from range(3000) t(i)';
    expect(tableRows(await engine.query(full))).toEqual(tableRows(await byValue(full)));
  });

  it('keeps each text column’s distinct values beside its Utf8 buffers, NULLs left out', async () => {
    const fast = await engine.query(ALL_TYPES);
    const reference = await byValue(ALL_TYPES);
    for (const name of ['txt', 'edge', 'twins', 'day', 'instant']) {
      const column = fast.getChild(name);
      const values = tableRows<Record<string, string | null>>(reference).map((r) => r[name]);
      const distinct = [...new Set(values.filter((v) => v !== null))].sort();
      expect(String(column?.type), name).toBe('Utf8');
      expect([...(distinctValues(column as Vector) ?? ['not known'])].sort(), name).toEqual(
        distinct,
      );
    }
  });

  /**
   * More distinct strings than a dictionary takes: the first MAX_DISTINCT values are indexed,
   * then the column turns to plain bytes mid-chunk (`many` about row 73,000, `late` about row
   * 113,000; NULLs before and after), over 64 chunks; strings either side of the 12-byte inline
   * limit, long ones back to back and apart.
   */
  const MANY = `
    select
      case when i % 10 = 7 then null
           when i % 3 = 0 then 'v' || cast(i as varchar)
           else 'a value longer than twelve bytes ' || cast(i as varchar) end as many,
      case when i % 6 = 5 then null
           when i % 6 = 0 then 'twelve bytes'
           when i % 6 = 1 then 'thirteen bytes'
           when i % 6 = 2 then ''
           else 'social_prescribing_link_worker' end as few,
      case when i % 10 = 3 then null
           when i < 40000 then ['early', 'early but long enough', 'x'][i % 3 + 1]
           else 'late ' || cast(i as varchar) || ', after the limit' end as late
    from range(${2 * MAX_DISTINCT}) t(i)`;

  it('turns to plain bytes past MAX_DISTINCT distinct strings, the rows unchanged', async () => {
    const fast = await engine.query(MANY);
    const reference = await byValue(MANY);
    expect(fast.numRows).toBe(2 * MAX_DISTINCT);
    expect(fast.schema.fields.map(String)).toEqual(reference.schema.fields.map(String));
    for (const name of ['many', 'few', 'late'])
      expect(fast.getChild(name)?.nullCount, name).toBe(reference.getChild(name)?.nullCount);
    expect(distinctValues(fast.getChild('many') as Vector)).toBeUndefined();
    expect(distinctValues(fast.getChild('late') as Vector)).toBeUndefined();
    expect([...(distinctValues(fast.getChild('few') as Vector) ?? [])].sort()).toEqual([
      '',
      'social_prescribing_link_worker',
      'thirteen bytes',
      'twelve bytes',
    ]);
    expect(tableRows(fast)).toEqual(tableRows(reference));
  });

  it('refuses a BIGINT a JS number cannot hold, as toArrowTable does', async () => {
    await expect(engine.query('select 9007199254740993::bigint as n')).rejects.toThrow(
      /too large for a JS number/,
    );
  });

  it('reads BIGINT and UBIGINT up to ±(2^53 - 1) from their two 32-bit words', async () => {
    const edges = `select * from (values
        (9007199254740991::bigint, -9007199254740991::bigint, 9007199254740991::ubigint),
        (4294967296::bigint, -4294967296::bigint, 4294967295::ubigint),
        (-1::bigint, -4294967297::bigint, 0::ubigint),
        (null, -9007199254740990::bigint, null)
      ) t(a, b, c)`;
    const rows = tableRows(await engine.query(edges));
    expect(rows).toEqual(tableRows(await byValue(edges)));
    expect(rows[0]).toEqual({ a: 2 ** 53 - 1, b: -(2 ** 53 - 1), c: 2 ** 53 - 1 });
    for (const [sql, value] of [
      ['select -9007199254740992::bigint as n', '-9007199254740992'],
      ['select 9007199254740992::bigint as n', '9007199254740992'],
      ['select (-9223372036854775807 - 1)::bigint as n', '-9223372036854775808'],
      ['select 9007199254740992::ubigint as n', '9007199254740992'],
      ['select 18446744073709551615::ubigint as n', '18446744073709551615'],
    ])
      await expect(engine.query(sql as string), sql).rejects.toThrow(
        `Column n: integer ${value} is too large for a JS number`,
      );
  });

  it('refuses NaN in a FLOAT or DOUBLE, not in a NULL slot', async () => {
    await expect(engine.query(`select 'nan'::double as x`)).rejects.toThrow(
      'Column x: not a number: NaN',
    );
    await expect(engine.query(`select 'nan'::float as x`)).rejects.toThrow(/not a number/);
    const nulls = `select case when i % 2 = 0 then null else i / 3 end::double as x from range(9) t(i)`;
    expect(tableRows(await engine.query(nulls))).toEqual(tableRows(await byValue(nulls)));
  });
});
