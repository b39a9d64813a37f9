/**
 * Header cells with characters that print as nothing (an audit's finding): a zero-width space
 * before `cost_gbp` left the column unread, so every cost was lost with no warning, and a required
 * column spelt `status` + U+200B refused the file with a message naming `status` as missing. The
 * same export as CSV and XLSX (the generic mapping) and a RotaCloud JSON export; real DuckDB, a
 * folder store.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { curatedReader, manifestIn } from '../../helpers/curated-rows.js';
import { GENERIC_SHIFT_HEADER, GOOD_GENERIC_SHIFT } from '../../helpers/generic-shift-row.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

const KEY = 'generic/U60865/shifts/';
const { curatedRows } = curatedReader(
  () => stores,
  () => engine,
);

/**
 * The generic header with invisible characters: a zero-width space before cost_gbp, a word joiner
 * inside published_at, a soft hyphen inside break_minutes and a zero-width space after status (a
 * required column).
 */
const HEADER = GENERIC_SHIFT_HEADER.split(',').map((name) =>
  name === 'cost_gbp'
    ? '\u200bcost_gbp'
    : name === 'published_at'
      ? 'published\u2060_at'
      : name === 'break_minutes'
        ? 'break_\u00adminutes'
        : name === 'status'
          ? 'status\u200b'
          : name,
);

/** Two shifts: £380.00 and £150.25, 30 minutes' break on the second. */
const ROWS = [
  { ...GOOD_GENERIC_SHIFT, shift_id: 'ZW-1' },
  { ...GOOD_GENERIC_SHIFT, shift_id: 'ZW-2', cost_gbp: '150.25', break_minutes: '30' },
];

describe('header cells with invisible characters', () => {
  it('reads the columns they name, in CSV, XLSX and JSON', async () => {
    // Prepare
    const csv = [HEADER.join(','), ...ROWS.map((r) => Object.values(r).join(','))].join('\n');
    await stores.raw.put(`${KEY}zw.csv`, csv);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    sheet.addRow(HEADER);
    for (const r of ROWS) sheet.addRow(Object.values(r));
    await stores.raw.put(`${KEY}zw.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // RotaCloud's JSON (mappings/rotacloud.json), its break key behind a zero-width space: an
    // 8-hour shift (1794301200 to 1794330000 seconds) with a 30-minute break.
    const shift = {
      id: 5102,
      deleted: false,
      published: true,
      open: false,
      start_time: 1794301200,
      end_time: 1794330000,
      '\u200bminutes_break': 30,
      user: 502,
      location: 102,
      role: 13,
      created_at: 1792490400,
      claimed_at: null,
    };
    await stores.raw.put('rotacloud/U60865/shifts/zw.json', JSON.stringify([shift]));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: every file read whole, with no warning of a near-miss column; each shift's cost,
    // break and publication time read (before: cost NULL, break 0 and no published_at, unsaid;
    // a status column so spelt refused the file).
    expect(summary.failed).toEqual([]);
    for (const [prefix, file] of [
      [KEY, 'zw.csv'],
      [KEY, 'zw.xlsx'],
      ['rotacloud/U60865/shifts/', 'zw.json'],
    ] as const) {
      const m = manifestIn(summary, prefix, file);
      expect([file, m?.rowsIn, m?.accepted, m?.rejected, m?.similarColumns]).toEqual([
        file,
        file === 'zw.json' ? 1 : 2,
        file === 'zw.json' ? 1 : 2,
        0,
        undefined,
      ]);
    }
    const rows = await curatedRows(
      'shifts',
      "source_file, shift_id, cost_pence, break_minutes, hours, strftime(published_at, '%Y-%m-%d %H:%M') as published",
    );
    expect(
      rows.map((r) => [
        String(r.source_file).split('.').at(-1),
        r.shift_id,
        r.cost_pence,
        r.break_minutes,
        r.hours,
        r.published,
      ]),
    ).toEqual([
      ...['csv', 'xlsx'].flatMap((ext) => [
        [ext, 'ZW-1', 38_000, 0, 4, '2026-10-20 09:00'],
        [ext, 'ZW-2', 15_025, 30, 3.5, '2026-10-20 09:00'],
      ]),
      ['json', '5102', null, 30, 7.5, '2026-10-20 10:00'],
    ]);
  });
});
