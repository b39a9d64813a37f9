import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowIpc, datasetCsv, publishedRows } from '../../../src/site/datasets.js';

describe('arrowIpc', () => {
  it('gives the same bytes for the same rows, whatever was built before', () => {
    const rows = [
      { network_code: 'U60865', role: 'gp', hours: 7.5, note: null },
      { network_code: 'U60865', role: 'practice_nurse', hours: 4, note: 'x' },
    ];
    const first = Buffer.from(arrowIpc(rows));
    // Other datasets in between (apache-arrow numbers dictionaries from one counter).
    arrowIpc([{ a: 'one', b: 'two', c: 'three' }]);
    expect(Buffer.from(arrowIpc(rows)).equals(first)).toBe(true);
    const table = tableFromIPC(first);
    expect(table.toArray().map((row) => row.toJSON())).toEqual(rows);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Dictionary<Int32, Utf8>',
      'Dictionary<Int32, Utf8>',
      'Float64',
      'Dictionary<Int32, Utf8>',
    ]);
  });
});

describe('publishedRows', () => {
  it('publishes the same bytes from sums that differ only in their last bit', () => {
    const run = (hours: number) =>
      publishedRows([{ network_code: 'U60865', week_start: '2026-11-23', hours, shifts: 12 }]);
    const [one, two] = [run(460.2), run(460.20000000000005)];
    expect(datasetCsv(two)).toBe(datasetCsv(one));
    expect(datasetCsv(one)).toBe(
      'network_code,week_start,hours,shifts\r\nU60865,2026-11-23,460.2,12\r\n',
    );
    expect(Buffer.from(arrowIpc(two)).equals(Buffer.from(arrowIpc(one)))).toBe(true);
    expect(tableFromIPC(arrowIpc(two)).get(0)?.toJSON()).toMatchObject({ hours: 460.2 });
  });

  it('keeps text, NULL and whole numbers, and does not change the rows it was given', () => {
    const rows = [
      { name: 'A', value: null, count: 3, share: 1 / 3 },
      { name: 'B', value: 2, count: 0, share: 0 },
    ];
    const published = publishedRows(rows);
    expect(published).toEqual([
      { name: 'A', value: null, count: 3, share: 0.333333333 },
      { name: 'B', value: 2, count: 0, share: 0 },
    ]);
    expect(rows[0]?.share).toBe(1 / 3);
    // A row with no fraction is passed on as it is.
    expect(published[1]).toBe(rows[1]);
  });
});
