/**
 * Athena's text results become the same Arrow columns and values as DuckDB's (arrow-types.ts):
 * each Athena type, NULL cells, big integers and timestamps with and without a zone.
 */
import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import {
  athenaColumnKind,
  athenaResultToArrow,
  athenaTimestampToIso,
} from '../../../src/engine/athena-results.js';

const column = (Name: string, Type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo => ({
  Name,
  Type,
  ...extra,
});
/** A row of cells; `null` is a NULL (no VarCharValue), as Athena sends it. */
const row = (...cells: (string | null)[]): Row => ({
  Data: cells.map((cell) => (cell === null ? {} : { VarCharValue: cell })),
});
const arrowTypes = (columns: ColumnInfo[]) =>
  athenaResultToArrow(columns, []).schema.fields.map((f) => [f.name, String(f.type)]);

describe('Athena column types', () => {
  it('map to the same kinds as DuckDB types', () => {
    expect(
      Object.fromEntries(
        [
          'boolean',
          'tinyint',
          'smallint',
          'integer',
          'int',
          'bigint',
          'real',
          'double',
          'decimal',
          'date',
          'timestamp',
          'timestamp with time zone',
          'varchar',
          'char',
          'row',
          'array',
          'map',
          'json',
          'time',
        ].map((type) => [type, athenaColumnKind(type)]),
      ),
    ).toEqual({
      boolean: 'bool',
      tinyint: 'int32',
      smallint: 'int32',
      integer: 'int32',
      int: 'int32',
      bigint: 'float64',
      real: 'float64',
      double: 'float64',
      decimal: 'float64',
      date: 'date',
      timestamp: 'timestamp',
      'timestamp with time zone': 'timestamp',
      varchar: 'text',
      char: 'text',
      row: 'text',
      array: 'text',
      map: 'text',
      json: 'text',
      time: 'text',
    });
  });

  it('give Arrow columns of those kinds, named and ordered as Athena reports them', () => {
    expect(
      arrowTypes([
        column('z_text', 'varchar'),
        column('flag', 'boolean'),
        column('n', 'integer'),
        column('big', 'bigint'),
        column('x', 'double'),
        column('money', 'decimal', { Precision: 18, Scale: 2 }),
        column('d', 'date'),
        column('ts', 'timestamp'),
        column('tz', 'timestamp with time zone'),
        column('r', 'row'),
      ]),
    ).toEqual([
      ['z_text', 'Utf8'],
      ['flag', 'Bool'],
      ['n', 'Int32'],
      ['big', 'Float64'],
      ['x', 'Float64'],
      ['money', 'Float64'],
      ['d', 'Utf8'],
      ['ts', 'Utf8'],
      ['tz', 'Utf8'],
      ['r', 'Utf8'],
    ]);
  });
});

describe('Athena cells', () => {
  const columns = [
    column('network_code', 'varchar'),
    column('arrs_funded', 'boolean'),
    column('shifts', 'integer'),
    column('spend_pence', 'bigint'),
    column('fill_rate', 'double'),
    column('rate', 'decimal', { Precision: 10, Scale: 2 }),
    column('week_start', 'date'),
    column('exported_at', 'timestamp'),
    column('filled_at', 'timestamp with time zone'),
    column('detail', 'row'),
  ];

  it('are read back into values, a missing VarCharValue being NULL', () => {
    const table = athenaResultToArrow(columns, [
      row(
        'U60865',
        'true',
        '12',
        '9007199254740991',
        '0.8333333333333334',
        '95.50',
        '2026-11-09',
        '2026-11-16 09:00:00.000',
        '2026-11-16 09:00:00.000 UTC',
        '{a=1, b=x}',
      ),
      row('', 'false', '-3', '-42', '1.0E10', '0.00', '2026-02-28', null, null, '[1, 2]'),
      row(null, null, null, null, null, null, null, null, null, null),
    ]);
    expect(tableRows(table)).toEqual([
      {
        network_code: 'U60865',
        arrs_funded: true,
        shifts: 12,
        spend_pence: 9007199254740991,
        fill_rate: 0.8333333333333334,
        rate: 95.5,
        week_start: '2026-11-09',
        exported_at: '2026-11-16T09:00:00.000Z',
        filled_at: '2026-11-16T09:00:00.000Z',
        detail: '{a=1, b=x}',
      },
      {
        network_code: '',
        arrs_funded: false,
        shifts: -3,
        spend_pence: -42,
        fill_rate: 1e10,
        rate: 0,
        week_start: '2026-02-28',
        exported_at: null,
        filled_at: null,
        detail: '[1, 2]',
      },
      {
        network_code: null,
        arrs_funded: null,
        shifts: null,
        spend_pence: null,
        fill_rate: null,
        rate: null,
        week_start: null,
        exported_at: null,
        filled_at: null,
        detail: null,
      },
    ]);
  });

  it('treat a row shorter than the columns as NULL at the end', () => {
    const table = athenaResultToArrow([column('a', 'varchar'), column('b', 'bigint')], [row('x')]);
    expect(tableRows(table)).toEqual([{ a: 'x', b: null }]);
  });

  it('refuse an integer too large for a JS number rather than rounding it', () => {
    expect(() => athenaResultToArrow([column('big', 'bigint')], [row('9007199254740993')])).toThrow(
      'Column big: integer 9007199254740993 is too large for a JS number',
    );
    expect(() => athenaResultToArrow([column('n', 'integer')], [row('2147483648')])).toThrow(
      'Column n: integer 2147483648 is too large',
    );
  });

  it('refuse text that is not of the column type', () => {
    const cases: [string, string, string][] = [
      ['boolean', 'yes', 'Column c: not a boolean: yes'],
      ['integer', '1.5', 'Column c: not an integer: 1.5'],
      ['double', 'abc', 'Column c: not a number: abc'],
      ['double', '', 'Column c: not a number: '],
      ['double', 'NaN', 'Column c: not a number: NaN'],
      ['date', '2026-02-30', 'Column c: not a date: 2026-02-30'],
      ['date', '09/11/2026', 'Column c: not a date: 09/11/2026'],
      ['timestamp', '2026-11-16', 'Column c: not a timestamp: 2026-11-16'],
      ['timestamp', '2026-11-16 25:00:00.000', 'Column c: not a timestamp'],
      ['timestamp with time zone', '2026-11-16 09:00:00.000 Mars/Base', 'unknown time zone'],
    ];
    for (const [type, text, message] of cases) {
      expect(() => athenaResultToArrow([column('c', type)], [row(text)]), type).toThrow(message);
    }
  });

  it('refuse two columns of the same name (the second would hide the first)', () => {
    expect(() => athenaResultToArrow([column('a', 'varchar'), column('a', 'bigint')], [])).toThrow(
      'two columns named a',
    );
  });

  it('give a zero-row table with the right columns for an empty result', () => {
    const table = athenaResultToArrow(columns.slice(0, 3), []);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'network_code',
      'arrs_funded',
      'shifts',
    ]);
  });
});

describe('Athena timestamps', () => {
  it('become the ISO 8601 UTC text DuckDB timestamps become', () => {
    // DuckDB's TIMESTAMP arrives as a JS Date; arrow-types.ts writes it with toISOString().
    const duckDb = new Date(Date.UTC(2026, 10, 16, 9, 0, 0)).toISOString();
    expect(athenaTimestampToIso('2026-11-16 09:00:00.000', 'c')).toBe(duckDb);
    expect(duckDb).toBe('2026-11-16T09:00:00.000Z');
  });

  it('keep milliseconds, drop finer digits, and read a missing fraction as zero', () => {
    expect(athenaTimestampToIso('2026-11-16 09:00:00', 'c')).toBe('2026-11-16T09:00:00.000Z');
    expect(athenaTimestampToIso('2026-11-16 09:00:00.5', 'c')).toBe('2026-11-16T09:00:00.500Z');
    expect(athenaTimestampToIso('2026-11-16 09:00:00.123987', 'c')).toBe(
      '2026-11-16T09:00:00.123Z',
    );
  });

  it('with a zone are converted to UTC', () => {
    const cases: [string, string][] = [
      ['2026-11-16 09:00:00.000 UTC', '2026-11-16T09:00:00.000Z'],
      ['2026-11-16 09:00:00.000 Z', '2026-11-16T09:00:00.000Z'],
      ['2026-11-16 09:00:00.000 +01:00', '2026-11-16T08:00:00.000Z'],
      ['2026-11-16 09:00:00.000 -05:30', '2026-11-16T14:30:00.000Z'],
      // London in winter is UTC; in summer BST, an hour ahead.
      ['2026-11-16 09:00:00.000 Europe/London', '2026-11-16T09:00:00.000Z'],
      ['2026-07-01 09:00:00.000 Europe/London', '2026-07-01T08:00:00.000Z'],
      // Either side of the March 2026 clock change (01:00 GMT on 29 March).
      ['2026-03-29 00:30:00.000 Europe/London', '2026-03-29T00:30:00.000Z'],
      ['2026-03-29 02:30:00.000 Europe/London', '2026-03-29T01:30:00.000Z'],
      ['2026-01-01 00:30:00.000 Asia/Kolkata', '2025-12-31T19:00:00.000Z'],
    ];
    for (const [athena, iso] of cases) expect(athenaTimestampToIso(athena, 'c'), athena).toBe(iso);
  });
});
