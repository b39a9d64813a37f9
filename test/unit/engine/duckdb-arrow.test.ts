/**
 * `DuckDbEngine.query` reads numbers, booleans, dates and text from DuckDB's result vectors
 * (src/engine/duckdb-arrow.ts). It must give the Arrow table the per-value path gave:
 * `getColumnsJS` then `toArrowTable`, run here on the same query as the reference.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnKindForSqlType, tableRows, toArrowTable } from '../../../src/engine/arrow-types.js';
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
    case when i % 9 = 0 then '' when i % 2 = 0 then 'exactly12chr' else 'exactly13char' end as edge
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

  it('refuses a BIGINT a JS number cannot hold, as toArrowTable does', async () => {
    await expect(engine.query('select 9007199254740993::bigint as n')).rejects.toThrow(
      /too large for a JS number/,
    );
  });
});
