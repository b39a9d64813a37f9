import { describe, expect, it } from 'vitest';
import { quoteLongIntegers, readJsonRows } from '../../../src/ingest/read-json.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('quoteLongIntegers', () => {
  it('quotes bare NaN, Infinity and -Infinity outside strings, so one row is rejected, not the file', () => {
    expect(
      quoteLongIntegers(
        '[{"a": NaN, "b": Infinity, "c": -Infinity, "d": "NaN Infinity", "e": -1}]',
      ),
    ).toBe('[{"a": "NaN", "b": "Infinity", "c": "-Infinity", "d": "NaN Infinity", "e": -1}]');
  });

  it('quotes integers beyond 2^53 outside strings, and nothing else', () => {
    // 2^53 = 9007199254740992: 9007199254740993 is the first integer a double cannot hold.
    expect(quoteLongIntegers('[9007199254740992, 9007199254740993, -12345678901234567891]')).toBe(
      '[9007199254740992, "9007199254740993", "-12345678901234567891"]',
    );
    // A number with a fraction is a number, not an id; digits inside strings (with escaped
    // quotes) are text already; a whole number a double holds stays as it is.
    const untouched =
      '{"a": 12345678901234567.5, "c": "x\\"12345678901234567891", "d": 5101.0000000000000, "e": 1.5e300}';
    expect(quoteLongIntegers(untouched)).toBe(untouched);
  });

  it('quotes whole numbers beyond 2^53 written with a fraction of zeros or an exponent as their digits', () => {
    expect(
      quoteLongIntegers(
        '[12345678901234567891.0, 1.2345678901234567891e19, -1234567890123456789e2, 12345678.901234567891e12]',
      ),
    ).toBe(
      '["12345678901234567891", "12345678901234567891", "-123456789012345678900", "12345678901234567891"]',
    );
  });
});

describe('readJsonRows', () => {
  it('keeps long integer ids as written', () => {
    expect(readJsonRows(utf8('[{"id": 12345678901234567891, "n": 5}]'), undefined).rows).toEqual([
      ['1', '12345678901234567891', '5'],
    ]);
  });

  it('merges keys that differ in case and renames a source_row key', () => {
    const { columns, rows } = readJsonRows(
      utf8('[{"Status": "filled", "source_row": 9}, {"status": "unfilled"}]'),
      undefined,
    );
    expect(columns).toEqual(['Status', 'source_row_2']);
    expect(rows).toEqual([
      ['1', 'filled', '9'],
      ['2', 'unfilled', null],
    ]);
  });

  it('makes an element with a key written twice, with different values, a malformed row', () => {
    // JSON.parse keeps the last "user" without a word; the same value twice loses nothing.
    const { rows, malformed } = readJsonRows(
      utf8(
        '{"data": {"shifts": [{"id": 1, "user": "E1", "user": "E2"}, {"id": 2, "user": 7, "user": 7}, {"id": 3, "a": {"b": 1, "b": 2}}]}}',
      ),
      'data.shifts',
      [],
      { readColumns: ['id', 'user', 'a.b'] },
    );
    expect(malformed).toEqual([
      { sourceRow: 1, detail: 'element 1 of the array has "user" twice, with different values' },
      { sourceRow: 3, detail: 'element 3 of the array has "a.b" twice, with different values' },
    ]);
    expect(rows[1]).toEqual(['2', '2', '7']);
  });

  it('refuses an envelope whose way to the rows is written twice, as one array would be lost', () => {
    const twice = '{"data": {"shifts": [{"id": 1}]}, "meta": 1, "data": {"shifts": [{"id": 2}]}}';
    expect(() => readJsonRows(utf8(twice), 'data.shifts')).toThrow(
      'the JSON has "data" twice at the top level, with different values: a JSON reader keeps only the last, so the rows under the first would be lost',
    );
    // A key written twice where nothing is read (metadata) is no matter.
    const meta = '{"meta": {"n": 1, "n": 2}, "data": {"shifts": [{"id": "a\\"b"}]}}';
    expect(readJsonRows(utf8(meta), 'data.shifts').rows).toEqual([['1', 'a"b']]);
  });

  it('reads a key with spaces around it as its column', () => {
    // "user " read as a column user_2 the mapping never read: a filled shift became an open one.
    const { columns, rows } = readJsonRows(
      utf8('[{"id": 1, "user": 7}, {"id": 2, "user ": 8}, {"id": 3, " User": 9}]'),
      undefined,
    );
    expect(columns).toEqual(['id', 'user']);
    expect(rows).toEqual([
      ['1', '1', '7'],
      ['2', '2', '8'],
      ['3', '3', '9'],
    ]);
  });

  it('makes an element with two keys differing only in case, holding different values, a malformed row', () => {
    // "user" and "USER" are one column: the second value was dropped without a word.
    const { rows, malformed } = readJsonRows(
      utf8(
        JSON.stringify([
          { id: 1, user: 'P-1', USER: 'P-2' },
          { id: 2, user: 'P-3', User: 'P-3' },
          { id: 3, user: null, USER: 'P-4' },
          { id: 4, user: 'P-5', NOTE: 'a', note: 'b' },
        ]),
      ),
      undefined,
      ['id'],
      { readColumns: ['id', 'user'] },
    );
    // The same value twice, or one of them null, is no clash; nor is a column nobody reads.
    expect(rows).toEqual([
      ['1', null, null, null],
      ['2', '2', 'P-3', null],
      ['3', '3', 'P-4', null],
      ['4', '4', 'P-5', 'a'],
    ]);
    expect(malformed).toEqual([
      {
        sourceRow: 1,
        detail:
          'element 1 of the array has both "user" and "USER" (keys that differ only in case or spaces are one column) with different values',
      },
    ]);
  });

  it('makes an element with an object or a list where the mapping reads one value a malformed row', () => {
    // A person column as an object: read as empty, the shift would have counted as open; as a
    // list, "[7]" was a clinician of its own.
    const { rows, malformed } = readJsonRows(
      utf8(
        '[{"id": 1, "user": 501}, {"id": 2, "user": {"id": "P-9", "name": "Dr X"}}, {"id": 3, "user": ["P-8"]}, {"id": 4, "user": [[[]]]}]',
      ),
      undefined,
      ['id'],
      { readColumns: ['id', 'user'] },
    );
    expect(rows).toEqual([
      ['1', '1', '501'],
      ['2', null, null],
      ['3', null, null],
      ['4', null, null],
    ]);
    expect(malformed).toEqual([
      {
        sourceRow: 2,
        detail:
          'element 2 of the array has an object (with "id", "name") at "user", where the mapping reads one value',
      },
      {
        sourceRow: 3,
        detail:
          'element 3 of the array has a list of 1 value at "user", where the mapping reads one value',
      },
      {
        sourceRow: 4,
        detail:
          'element 4 of the array has a list of 1 value at "user", where the mapping reads one value',
      },
    ]);
    // Its values are in no cell and no message.
    expect(JSON.stringify({ rows, malformed })).not.toMatch(/P-9|P-8/);
  });

  it('gives an empty array the required columns and no rows', () => {
    expect(readJsonRows(utf8('[]'), undefined, ['id', 'status'])).toEqual({
      columns: ['id', 'status'],
      rows: [],
    });
  });
});
