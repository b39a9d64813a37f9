import { Table, tableFromIPC, tableFromJSON, tableToIPC, type Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  columnKindForSqlType,
  distinctValues,
  MAX_DISTINCT,
  tableRows,
  toArrowTable,
} from '../../../src/engine/arrow-types.js';

describe('engine-neutral Arrow types', () => {
  it('maps SQL types to a few plain kinds', () => {
    expect(columnKindForSqlType('BIGINT')).toBe('float64');
    expect(columnKindForSqlType('DECIMAL(18,2)')).toBe('float64');
    expect(columnKindForSqlType('INTEGER')).toBe('int32');
    expect(columnKindForSqlType('DATE')).toBe('date');
    expect(columnKindForSqlType('TIMESTAMP WITH TIME ZONE')).toBe('timestamp');
    expect(columnKindForSqlType('VARCHAR')).toBe('text');
    expect(columnKindForSqlType('BOOLEAN')).toBe('bool');
  });

  it('turns BigInt and Date values into numbers and ISO strings, keeping nulls', () => {
    const table = toArrowTable([
      { name: 'n', kind: 'float64', values: [3n, null] },
      { name: 'd', kind: 'date', values: [new Date('2026-11-16T00:00:00Z'), null] },
      { name: 't', kind: 'timestamp', values: [new Date('2026-11-16T09:30:00Z'), null] },
      { name: 'b', kind: 'bool', values: [true, null] },
    ]);
    expect(tableRows(table)).toEqual([
      { n: 3, d: '2026-11-16', t: '2026-11-16T09:30:00.000Z', b: true },
      { n: null, d: null, t: null, b: null },
    ]);
  });

  it('builds the buffers directly: nulls anywhere, repeated and non-ASCII text, false, zero', () => {
    // 20 rows, so the validity bitmaps span three bytes; a null at each byte's edge.
    const n = 20;
    const text = Array.from({ length: n }, (_, i) =>
      i % 8 === 7 ? null : ['U60865', 'Ysgol Gŵyr — £', ''][i % 3],
    );
    const ints = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : i - 5));
    const floats = Array.from({ length: n }, (_, i) => (i === n - 1 ? null : i / 4));
    const bools = Array.from({ length: n }, (_, i) => (i % 5 === 4 ? null : i % 2 === 0));
    const table = toArrowTable([
      { name: 's', kind: 'text', values: text },
      { name: 'i', kind: 'int32', values: ints },
      { name: 'f', kind: 'float64', values: floats },
      { name: 'b', kind: 'bool', values: bools },
    ]);
    expect(table.numRows).toBe(n);
    expect(table.getChild('s')?.nullCount).toBe(2);
    expect(tableRows(table)).toEqual(
      Array.from({ length: n }, (_, i) => ({ s: text[i], i: ints[i], f: floats[i], b: bools[i] })),
    );
  });

  it('refuses an integer too large for a JS number rather than rounding it', () => {
    expect(() => toArrowTable([{ name: 'big', kind: 'float64', values: [2n ** 60n] }])).toThrow(
      'Column big: integer',
    );
  });

  it('tableRows gives what each row proxy’s toJSON gives: several batches, slices, other types', () => {
    const n = 30;
    const rows = Array.from({ length: n }, (_, i) => ({
      s: i % 7 === 3 ? null : ['U60865', 'Ysgol Gŵyr — £', ''][i % 3],
      i: i % 9 === 0 ? null : i - 5,
      f: i % 11 === 4 ? null : i / 4,
      b: i % 5 === 4 ? null : i % 2 === 0,
    }));
    const built = toArrowTable([
      { name: 's', kind: 'text', values: rows.map((r) => r.s) },
      { name: 'i', kind: 'int32', values: rows.map((r) => r.i) },
      { name: 'f', kind: 'float64', values: rows.map((r) => r.f) },
      { name: 'b', kind: 'bool', values: rows.map((r) => r.b) },
    ]);
    // tableFromJSON: dictionary-encoded text, and a table of two record batches, sliced.
    const fromJson = tableFromJSON(rows);
    const batches = new Table([...built.slice(0, 13).batches, ...built.slice(13).batches]);
    const sliced = built.slice(5, 27);
    for (const table of [built, fromJson, batches, sliced]) {
      expect(tableRows(table)).toEqual(table.toArray().map((row) => row.toJSON()));
    }
    expect(batches.batches.length).toBe(2);
    expect(tableRows(sliced)).toEqual(rows.slice(5, 27));
  });

  it('builds a text column’s Utf8 buffers when they are read: IPC, get and slices see every value', () => {
    const values = Array.from({ length: 40 }, (_, i) =>
      i % 6 === 5
        ? null
        : ['U60865', 'Ysgol Gŵyr — £', '', 'a longer value than twelve bytes'][i % 4],
    );
    const table = () => toArrowTable([{ name: 's', kind: 'text', values }]);
    const column = (t: Table) => [...(t.getChild('s') as Vector)];
    // The rows from the dictionary first, then the buffers; and the buffers without the rows.
    const first = table();
    expect(tableRows(first).map((row) => row.s)).toEqual(values);
    expect(column(first)).toEqual(values);
    expect(column(tableFromIPC(tableToIPC(table())))).toEqual(values);
    expect(column(table().slice(7, 31))).toEqual(values.slice(7, 31));
    const data = table().getChild('s')?.data[0];
    expect(data?.valueOffsets.length).toBe(41);
    expect(data?.valueOffsets[40]).toBe(data?.values.length);
  });

  it('keeps a text column’s distinct values, NULLs left out, up to MAX_DISTINCT of them', () => {
    const n = 2 * MAX_DISTINCT;
    const few = Array.from({ length: n }, (_, i) => ['U60865', null, 'Ysgol Gŵyr — £', ''][i % 4]);
    // Past the limit mid-column: the first MAX_DISTINCT values indexed, the rest plain.
    const many = Array.from({ length: n }, (_, i) => (i % 5 === 2 ? null : `v${i % (n - 10)}`));
    const table = toArrowTable([
      { name: 'few', kind: 'text', values: few },
      { name: 'none', kind: 'text', values: few.map(() => null) },
      { name: 'many', kind: 'text', values: many },
    ]);
    expect(String(table.getChild('few')?.type)).toBe('Utf8');
    expect([...(distinctValues(table.getChild('few') as Vector) ?? [])].sort()).toEqual([
      '',
      'U60865',
      'Ysgol Gŵyr — £',
    ]);
    expect(distinctValues(table.getChild('none') as Vector)).toEqual([]);
    expect(distinctValues(table.getChild('many') as Vector)).toBeUndefined();
    expect(tableRows(table)).toEqual(table.toArray().map((row) => row.toJSON()));
    expect(tableRows(table).map((r) => r.many)).toEqual(many);
  });
});
