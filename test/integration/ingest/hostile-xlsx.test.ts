/**
 * Workbooks written in ways the XLSX standard allows and exceljs did not read (an audit's
 * findings), from an independent writer (test/fixtures/exports/README.md): ISO date cells
 * (`t="d"`), every date read as the year 2026 and every row rejected; rows and cells without
 * an `r` reference, the workbook refused whole; formulas saving 0, FALSE or "", read as formulas
 * with no saved result and their rows rejected. Real DuckDB, a folder store, the generic mapping.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { formatIngestReport } from '../../../src/ingest/ingest-report.js';
import { packageRoot } from '../../../src/package-root.js';
import { curatedReader, manifestIn } from '../../helpers/curated-rows.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

const KEY = 'generic/U60865/shifts/';
const { curatedRows, rejectsOf } = curatedReader(
  () => stores,
  () => engine,
);
const fixture = (name: string) =>
  readFile(path.join(packageRoot, 'test', 'fixtures', 'exports', name));

describe('workbooks exceljs does not read as written', () => {
  it('reads ISO date cells as the dates and times they are, and rejects one that is not', async () => {
    // Prepare: D-1 2026-11-10T00:00:00, 1899-12-30T08:30:00 to 12:30:00, published
    // 2026-10-20T10:00:00; D-2 2026-11-11, 09:00:00 to 12:30, 30 minutes' break, published with a
    // Z; D-3 a date cell holding "not a date".
    await stores.raw.put(`${KEY}iso.xlsx`, await fixture('xlsx-iso-date-cells.xlsx'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: 3 rows = 2 accepted + 1 rejected for its own date (before: 3 rejected as the year
    // 2026, date_out_of_range). Publication at 10:00 London (BST) is 09:00 UTC.
    const m = manifestIn(summary, KEY, 'iso.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([3, 2, { bad_date: 1 }]);
    const rows = await curatedRows(
      'shifts',
      "shift_id, cast(shift_date as varchar) as day, strftime(start_at, '%H:%M') as utc_start, hours, cost_pence, strftime(published_at, '%Y-%m-%d %H:%M') as published",
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('D-')).map((r) => Object.values(r)),
    ).toEqual([
      ['D-1', '2026-11-10', '08:30', 4, 38_000, '2026-10-20 09:00'],
      ['D-2', '2026-11-11', '09:00', 3, 15_025, '2026-10-20 09:00'],
    ]);
    expect((await rejectsOf('iso.xlsx', 'message')).map((r) => r.message)).toEqual([
      expect.stringContaining('"not a date"'),
    ]);
  });

  it('places rows and cells without a reference in order', async () => {
    // Prepare: N-1 on 10 Nov 08:30-12:30 at £380; N-2 on 11 Nov 09:00-17:00, 30 minutes' break,
    // £150.25; no row or cell names its reference, every cell is written.
    await stores.raw.put(`${KEY}norefs.xlsx`, await fixture('xlsx-no-cell-references.xlsx'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: read whole (before: refused, "Invalid row number in model").
    expect(summary.failed).toEqual([]);
    const m = manifestIn(summary, KEY, 'norefs.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejected]).toEqual([2, 2, 0]);
    const rows = await curatedRows(
      'shifts',
      "shift_id, cast(shift_date as varchar) as day, strftime(start_at, '%H:%M') as utc_start, hours, cost_pence",
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('N-')).map((r) => Object.values(r)),
    ).toEqual([
      ['N-1', '2026-11-10', '08:30', 4, 38_000],
      ['N-2', '2026-11-11', '09:00', 7.5, 15_025],
    ]);
  });

  it('reads formulas whose saved result is 0, FALSE or an empty string as those values', async () => {
    // Prepare: break_minutes a shared formula =0*H2 filled down over Z-1..Z-3, each saving 0;
    // arrs_funded =FALSE() saving 0 (t="b"); Z-3's cost =IF(N4="unfilled","",4*95) saving ""
    // (t="str", <v></v>, as Excel writes it); Z-4's cost a formula never calculated (an empty <v>
    // in a number cell, as openpyxl writes it). Rows 6-8: a template's rows below the data, their
    // arrs_funded, break_minutes and cost formulas saving FALSE, 0 and "".
    await stores.raw.put(`${KEY}falsy.xlsx`, await fixture('xlsx-falsy-formula-results.xlsx'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: 4 rows = 3 accepted + Z-4 rejected (before: 4 rejected, each "a formula with no
    // saved result", as exceljs drops a falsy result); the template's rows are blank.
    const m = manifestIn(summary, KEY, 'falsy.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 3, { malformed_row: 1 }]);
    const rows = await curatedRows(
      'shifts',
      'shift_id, break_minutes, hours, arrs_funded, cost_pence, status',
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('Z-')).map((r) => Object.values(r)),
    ).toEqual([
      ['Z-1', 0, 4, false, 38_000, 'filled'],
      ['Z-2', 0, 8, false, 15_025, 'filled'],
      ['Z-3', 0, 4, false, null, 'unfilled'],
    ]);
    expect((await rejectsOf('falsy.xlsx', 'message')).map((r) => r.message)).toEqual([
      expect.stringContaining('(O5) is a formula with no saved result (=4*95)'),
    ]);
  });

  it('reads an end written as a date-time on the next day as an overnight end', async () => {
    // Prepare: every shift dated 10 November, its end a date-time cell: O-1 22:00 to 11 Nov
    // 08:00; O-2 20:00 to 11 Nov 00:00 (the cell reads "2026-11-11"); O-3 09:00 to 11 Nov 17:00
    // (32 hours); O-4 22:00 to 12 Nov 08:00.
    await stores.raw.put(`${KEY}nextday.xlsx`, await fixture('xlsx-next-day-end-times.xlsx'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: O-1 10 h and O-2 4 h (before: both bad_time, "is not a time (use HH:MM)"); O-3
    // and O-4 are still no ends of their shifts, and say why. November is GMT.
    const m = manifestIn(summary, KEY, 'nextday.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 2, { bad_time: 2 }]);
    const rows = await curatedRows(
      'shifts',
      "shift_id, strftime(end_at, '%Y-%m-%d %H:%M') as utc_end, hours, cost_pence",
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('O-')).map((r) => Object.values(r)),
    ).toEqual([
      ['O-1', '2026-11-11 08:00', 10, 38_000],
      ['O-2', '2026-11-11 00:00', 4, 15_025],
    ]);
    const why =
      "is a date and time whose date is neither the row's date (2026-11-10) nor the next day before the start's time (an overnight shift's end)";
    expect((await rejectsOf('nextday.xlsx', 'message')).map((r) => r.message)).toEqual([
      expect.stringContaining(`end_time "2026-11-11 17:00:00" ${why}`),
      expect.stringContaining(`end_time "2026-11-12 08:00:00" ${why}`),
    ]);
  });

  it('reads hidden columns, and names those holding values in a warning', async () => {
    // Prepare: two shifts; cost_gbp hidden (<col hidden="1">), published_at zero wide, and
    // session_type hidden but empty.
    await stores.raw.put(`${KEY}hidden-cols.xlsx`, await fixture('xlsx-hidden-columns.xlsx'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: both read with their costs, and the report names the two hidden columns that
    // hold values (before: no word).
    const m = manifestIn(summary, KEY, 'hidden-cols.xlsx');
    expect([m?.accepted, m?.hiddenColumns]).toEqual([2, ['cost_gbp', 'published_at']]);
    const rows = await curatedRows('shifts', 'shift_id, cost_pence');
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('H-')).map((r) => Object.values(r)),
    ).toEqual([
      ['H-1', 38_000],
      ['H-2', 15_025],
    ]);
    expect(
      formatIngestReport(m as IngestManifest)
        .split('\n')
        .slice(1),
    ).toEqual([
      `  warning: ${KEY}hidden-cols.xlsx: columns "cost_gbp", "published_at" are hidden in the sheet and were read (hidden columns count like every other column); if they should not count, delete them from the export`,
    ]);
  });

  it('reads time cells saved with few decimals to the nearest second', async () => {
    // Prepare: time cells (numFmt 20) saved to 5 decimals, as some report writers save them:
    // R-1 0.35417 to 0.52083 (08:30:00.288 to 12:29:59.712); R-2 0.375 to 0.70833 (09:00 to
    // 16:59:59.712), 30 minutes' break.
    await stores.raw.put(`${KEY}imprecise.xlsx`, await fixture('xlsx-imprecise-times.xlsx'));
    // Act
    await ingestTestStores(stores, engine);
    // Assess: 4 h and 7.5 h (before: 12:29:59 and 16:59:59, 3.99972 h and 7.49972 h).
    const rows = await curatedRows(
      'shifts',
      "shift_id, strftime(start_at, '%H:%M:%S') as utc_start, strftime(end_at, '%H:%M:%S') as utc_end, hours",
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('R-')).map((r) => Object.values(r)),
    ).toEqual([
      ['R-1', '08:30:00', '12:30:00', 4],
      ['R-2', '09:00:00', '17:00:00', 7.5],
    ]);
  });

  it('reads a time cell holding 1, as Excel stores a typed 24:00, as the midnight ending the day', async () => {
    // Prepare: on 10 November, M-1 20:00 to a time cell (h:mm) holding 1; M-2 18:30 to a
    // date-time cell holding 1, 30 minutes' break; the same in a 1904 workbook (its day 1 is
    // 1904-01-02).
    await stores.raw.put(`${KEY}midnight.xlsx`, await fixture('xlsx-typed-midnight.xlsx'));
    await stores.raw.put(
      `${KEY}midnight-1904.xlsx`,
      await fixture('xlsx-typed-midnight-1904.xlsx'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: 4 h and 5 h, ending at midnight (before: bad_time, "1899-12-31" or "1904-01-02").
    for (const file of ['midnight.xlsx', 'midnight-1904.xlsx']) {
      const m = manifestIn(summary, KEY, file);
      expect([file, m?.rowsIn, m?.accepted]).toEqual([file, 2, 2]);
    }
    const rows = await curatedRows(
      'shifts',
      "shift_id, strftime(end_at, '%Y-%m-%d %H:%M') as utc_end, hours",
    );
    expect(
      rows.filter((r) => String(r.shift_id).startsWith('M-')).map((r) => Object.values(r)),
    ).toEqual([
      ['M-1', '2026-11-11 00:00', 4],
      ['M-1-1904', '2026-11-11 00:00', 4],
      ['M-2', '2026-11-11 00:00', 5],
      ['M-2-1904', '2026-11-11 00:00', 5],
    ]);
  });
});
