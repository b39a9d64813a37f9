/**
 * Hostile exports a seventh-session audit found mishandled (two helpers' runs of exports of
 * kinds the corpora did not hold), each checked for the rules: rows in = accepted + rejected, no
 * person id in clear anywhere it is stored, and no wrong figure accepted. Real DuckDB, a folder
 * store, the generic mapping unless a case says otherwise.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { formatIngestReport } from '../../../src/ingest/ingest-report.js';
import { curatedReader, manifestIn } from '../../helpers/curated-rows.js';
import {
  GENERIC_AVAILABILITY_HEADER,
  GENERIC_SHIFT_HEADER,
  GOOD_GENERIC_SHIFT,
  genericAvailabilityLine,
  genericShiftLine,
} from '../../helpers/generic-shift-row.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

const row = genericShiftLine;
const KEY = 'generic/U60865/shifts/';
const { curatedRows, rejectsOf } = curatedReader(
  () => stores,
  () => engine,
);

/** The header with two of its columns swapped. */
function swappedHeader(a: string, b: string): string[] {
  const names = GENERIC_SHIFT_HEADER.split(',');
  const [i, j] = [names.indexOf(a), names.indexOf(b)];
  [names[i], names[j]] = [names[j] as string, names[i] as string];
  return names;
}

describe('hostile exports', () => {
  it('tells a pasted header line behind a byte-order mark, or with a column fewer', async () => {
    // Prepare: (1) two Excel-saved CSVs joined byte for byte: the second starts with a BOM, its
    // person_id and shift_id swapped. (2) An XLSX with a second export pasted below the first,
    // its header without the session_type column, so every later value sits a column to the left.
    const swapped = swappedHeader('shift_id', 'person_id');
    const swappedRow = (id: string, person: string) =>
      swapped
        .map((c) => (c === 'shift_id' ? person : c === 'person_id' ? id : GOOD_GENERIC_SHIFT[c]))
        .join(',');
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'B-1' }),
      `\uFEFF${swapped.join(',')}`,
      swappedRow('B-2', 'GMC-SECRET-2'),
    ].join('\r\n');
    await stores.raw.put(`${KEY}joined.csv`, csv);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    const header = GENERIC_SHIFT_HEADER.split(',');
    sheet.addRow(header);
    sheet.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'X-1' }));
    const fewer = header.filter((c) => c !== 'session_type');
    sheet.addRow(fewer);
    sheet.addRow(fewer.map((c) => (c === 'shift_id' ? 'X-2' : GOOD_GENERIC_SHIFT[c])));
    await stores.raw.put(`${KEY}pasted.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the first export's row accepted; the pasted header and its row malformed, with
    // nothing of them kept (before: accepted with the person id as the shift id, in clear).
    for (const file of ['joined.csv', 'pasted.xlsx']) {
      const m = manifestIn(summary, KEY, file);
      expect([file, m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([
        file,
        3,
        1,
        { malformed_row: 2 },
      ]);
    }
    const ids = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => /^[BX]-|SECRET/.test(id))).toEqual(['B-1', 'X-1']);
    const rejects = await rejectsOf('pasted.xlsx', 'source_row, message, raw_values');
    expect(rejects.map((r) => [r.source_row, r.message, r.raw_values])).toEqual([
      [
        2,
        'Row 2: it is a header line with other columns or in another order (two exports pasted into one file?): the rows after it, up to the next header line, are left out.',
        '{}',
      ],
      [
        3,
        "Row 3: it follows a header line (row 2) with other columns or in another order, so its values are not under this file's columns; split the file at that row.",
        '{}',
      ],
    ]);
  });

  it('refuses a file with no header line without echoing its first row of data', async () => {
    // Prepare: the header line left out, so DuckDB's sniffer names the columns by the first
    // row's values: a shift id, a practice, a person id.
    await stores.raw.put(`${KEY}headerless.csv`, [row({}), row({ shift_id: 'OK-2' })].join('\n'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: refused, saying the header may be missing, with no value of the row in the message.
    const failure = summary.failed.find((f) => f.key.endsWith('headerless.csv'));
    expect(failure?.reason).toMatch(/the header line is missing\)$/);
    for (const value of ['GMC-7100001', 'OK-1', 'F84698']) {
      expect(failure?.reason).not.toContain(value);
    }
  });

  it('reads a shift id with invisible characters, and a numeric person id as a decimal, as the same', async () => {
    // Prepare: one shift four times, its id with a trailing tab, a zero-width space before it,
    // a trailing space; a clinician as 1001 and as 1001.0 (pandas writes a number so).
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'SH-1001', person_id: '1001' }),
      row({ shift_id: 'SH-1001\t' }),
      row({ shift_id: '\u200BSH-1001' }),
      row({ shift_id: 'SH-1001 ' }),
      row({ shift_id: 'SH-1002', person_id: '1001.0' }),
    ].join('\n');
    await stores.raw.put(`${KEY}invisible.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: one shift SH-1001, the other copies duplicates; both shifts one clinician.
    const m = manifestIn(summary, KEY, 'invisible.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([5, 2, { duplicate_shift_id: 3 }]);
    const shifts = (await curatedRows('shifts', 'shift_id, clinician_key')).filter((s) =>
      String(s.shift_id).startsWith('SH-'),
    );
    expect(shifts.map((s) => s.shift_id)).toEqual(['SH-1001', 'SH-1002']);
    expect(new Set(shifts.map((s) => s.clinician_key)).size).toBe(1);
  });

  it('reads "On Site", "on-site", "onsite" and "Canceled" as the words they are', async () => {
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'W-1', delivery: 'On Site' }),
      row({ shift_id: 'W-2', delivery: 'on-site' }),
      row({ shift_id: 'W-3', delivery: 'onsite' }),
      row({ shift_id: 'W-4', delivery: 'Remote' }),
      row({ shift_id: 'W-5', status: 'Canceled' }),
      row({ shift_id: 'W-6', delivery: 'virtual' }),
    ].join('\n');
    await stores.raw.put(`${KEY}words.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: before, "On Site" and the rest were unknown_delivery and Canceled unknown_status.
    const m = manifestIn(summary, KEY, 'words.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([5, { unknown_delivery: 1 }]);
    const rows = (await curatedRows('shifts', 'shift_id, delivery, status'))
      .filter((r) => String(r.shift_id).startsWith('W-'))
      .map((r) => `${r.shift_id} ${r.delivery} ${r.status}`)
      .sort();
    expect(rows).toEqual([
      'W-1 on_site filled',
      'W-2 on_site filled',
      'W-3 on_site filled',
      'W-4 remote filled',
      'W-5 on_site cancelled',
    ]);
  });

  it('reads a column given twice only where its copies agree', async () => {
    // Prepare: cost_gbp again as Cost_GBP at the end. DC-1's copies agree; DC-2's first copy is
    // empty and its second 380.00; DC-3's are 100.00 and 380.00.
    const csv = [
      `${GENERIC_SHIFT_HEADER},Cost_GBP`,
      `${row({ shift_id: 'DC-1' })},380.00`,
      `${row({ shift_id: 'DC-2', cost_gbp: '' })},380.00`,
      `${row({ shift_id: 'DC-3', cost_gbp: '100.00' })},380.00`,
    ].join('\n');
    await stores.raw.put(`${KEY}twice.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: DC-1 read; the others rejected, saying why (before: DC-2 had no cost and DC-3
    // cost £100, the first copy taken unsaid).
    const m = manifestIn(summary, KEY, 'twice.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([1, { malformed_row: 2 }]);
    expect((await rejectsOf('twice.csv', 'message')).map((r) => r.message)).toEqual([
      'Row 2: the file has the column cost_gbp twice (also as Cost_GBP), with different values in this row; remove one.',
      'Row 3: the file has the column cost_gbp twice (also as Cost_GBP), with different values in this row; remove one.',
    ]);
  });

  it('takes month-first evidence from any date or date-time column of the file', async () => {
    // Prepare: a US-order file. Only published_at shows it (10/20/2026: no 20th month); its
    // dates 11/02 and 11/03 read day first as 11 February and 11 March; 11/11 reads both ways
    // the same. Exported 11/12/2026 (12 November, or 11 December day first).
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({
        shift_id: 'US-1',
        date: '11/02/2026',
        published_at: '10/20/2026 10:00',
        exported_at: '2026-11-16 07:00',
      }),
      row({ shift_id: 'US-2', date: '11/03/2026', published_at: '2026-10-20 10:00' }),
      row({
        shift_id: 'US-3',
        date: '11/11/2026',
        published_at: '',
        filled_at: '',
        exported_at: '11/12/2026 07:00',
      }),
    ].join('\n');
    await stores.raw.put(`${KEY}us-order.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: nothing read a month out (before: US-2 accepted in March, US-1 rejected only for
    // its publication time, US-3 exported 11 December); each ambiguous value named, with the
    // month-first value that shows the order.
    const m = manifestIn(summary, KEY, 'us-order.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([0, { ambiguous_date: 3 }]);
    const fields = (await rejectsOf('us-order.csv', 'source_row, reason_code, message')).map(
      (r) => `${r.source_row} ${r.reason_code} ${String(r.message).split(' could')[0]}`,
    );
    expect(fields).toEqual([
      '1 ambiguous_date Row 1: date "11/02/2026"',
      '2 ambiguous_date Row 2: date "11/03/2026"',
      '3 ambiguous_date Row 3: exported_at "11/12/2026 07:00"',
    ]);
  });

  it('reads seconds on a 12-hour clock, fractions of a second and two-digit years in date-times', async () => {
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({
        shift_id: 'DT-1',
        start_time: '8:30:00 AM',
        end_time: '12:30:00 PM',
        published_at: '2026-10-20 10:00:00.000',
        filled_at: '01/11/26 16:00',
      }),
    ].join('\n');
    await stores.raw.put(`${KEY}date-times.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: read as written (before: bad_time, bad_timestamp, and 1 November 0026 as
    // date_out_of_range). 20 October is BST: 09:00Z; 1 November is GMT.
    expect(manifestIn(summary, KEY, 'date-times.csv')?.accepted).toBe(1);
    const [shift] = (
      await curatedRows('shifts', 'shift_id, hours, published_at, filled_at')
    ).filter((r) => r.shift_id === 'DT-1');
    expect([
      shift?.hours,
      new Date(String(shift?.published_at)).toISOString(),
      new Date(String(shift?.filled_at)).toISOString(),
    ]).toEqual([4, '2026-10-20T09:00:00.000Z', '2026-11-01T16:00:00.000Z']);
  });

  it('reads an end time of 24:00 as the midnight the shift ends at', async () => {
    // Prepare: an evening 20:00-24:00 and 22:00-24:00:00; 24:30 is no time.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'MN-1', start_time: '20:00', end_time: '24:00' }),
      row({ shift_id: 'MN-2', start_time: '22:00', end_time: '24:00:00' }),
      row({ shift_id: 'MN-3', start_time: '22:00', end_time: '24:30' }),
    ].join('\n');
    await stores.raw.put(`${KEY}midnight.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: 4 h and 2 h, on 10 November, ending at midnight GMT (before: bad_time).
    const m = manifestIn(summary, KEY, 'midnight.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([2, { bad_time: 1 }]);
    const shifts = (await curatedRows('shifts', 'shift_id, hours, end_at, shift_date'))
      .filter((r) => String(r.shift_id).startsWith('MN-'))
      .map((r) => [
        r.shift_id,
        r.hours,
        new Date(String(r.end_at)).toISOString(),
        String(r.shift_date).slice(0, 10),
      ]);
    expect(shifts.sort()).toEqual([
      ['MN-1', 4, '2026-11-11T00:00:00.000Z', '2026-11-10'],
      ['MN-2', 2, '2026-11-11T00:00:00.000Z', '2026-11-10'],
    ]);
  });

  it('reads control characters pasted into a person id as the whitespace they stand in', async () => {
    // Prepare: one clinician as GMC 7100001 with a space, a tab, a vertical tab and a NUL-like
    // control character (U+0001) between the two parts. RE2's \s has no vertical tab, so it
    // was a second clinician.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'CC-1', person_id: 'GMC 7100001' }),
      row({ shift_id: 'CC-2', person_id: 'GMC\t7100001' }),
      row({ shift_id: 'CC-3', person_id: 'GMC\u000B7100001' }),
      row({ shift_id: 'CC-4', person_id: 'GMC\u00017100001' }),
    ].join('\n');
    await stores.raw.put(`${KEY}control.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: four shifts, one clinician.
    expect(manifestIn(summary, KEY, 'control.csv')?.accepted).toBe(4);
    const keys = (await curatedRows('shifts', 'shift_id, clinician_key'))
      .filter((s) => String(s.shift_id).startsWith('CC-'))
      .map((s) => s.clinician_key);
    expect([keys.length, new Set(keys).size]).toEqual([4, 1]);
  });

  it('rejects a row whose read cell is merged into the row above, not a copy of its value', async () => {
    // Prepare: cost merged over M-1 and M-2 (exceljs hands M-2 the £380 the file holds empty);
    // a notes column the mapping does not read merged over M-3 and M-4, which is no matter.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    const header = [...GENERIC_SHIFT_HEADER.split(','), 'notes'];
    sheet.addRow(header);
    for (const id of ['M-1', 'M-2', 'M-3', 'M-4']) {
      sheet.addRow([...Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: id }), 'week 46']);
    }
    const letter = (name: string) => String.fromCharCode(65 + header.indexOf(name));
    sheet.mergeCells(`${letter('cost_gbp')}2:${letter('cost_gbp')}3`);
    sheet.mergeCells(`${letter('notes')}4:${letter('notes')}5`);
    await stores.raw.put(`${KEY}merged.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: M-2 malformed, saying which cells to unmerge; the others accepted.
    const m = manifestIn(summary, KEY, 'merged.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 3, { malformed_row: 1 }]);
    const rejects = await rejectsOf('merged.xlsx', 'message, raw_values');
    expect(rejects.map((r) => [r.message, r.raw_values])).toEqual([
      [
        `Row 2: its "cost_gbp" cell (${letter('cost_gbp')}3) is part of the merged cells ${letter('cost_gbp')}2:${letter('cost_gbp')}3, so it shows ${letter('cost_gbp')}2's value rather than its own; unmerge them so each row has its own value.`,
        '{}',
      ],
    ]);
  });

  it('says which sheets were not read, and refuses a second roster sheet with its header low down', async () => {
    // Prepare: (1) the roster on "Week 46", and shifts typed on "Week 47" under no header;
    // (2) the same, with "Week 47" holding 31 note lines and then a header and a shift.
    const roster = (book: ExcelJS.Workbook) => {
      const sheet = book.addWorksheet('Week 46');
      sheet.addRow(GENERIC_SHIFT_HEADER.split(','));
      sheet.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'W-1' }));
      return book.addWorksheet('Week 47');
    };
    const typed = new ExcelJS.Workbook();
    const week47 = roster(typed);
    week47.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'W-2' }));
    week47.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'W-3' }));
    await stores.raw.put(`${KEY}typed.xlsx`, new Uint8Array(await typed.xlsx.writeBuffer()));
    const low = new ExcelJS.Workbook();
    const notes = roster(low);
    for (let i = 1; i <= 31; i += 1) notes.addRow([`note ${i}`]);
    notes.addRow(GENERIC_SHIFT_HEADER.split(','));
    notes.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'W-4' }));
    await stores.raw.put(`${KEY}low.xlsx`, new Uint8Array(await low.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: (1) read, with the unread sheet in the manifest and the report's warning;
    // (2) refused, naming both sheets (before, each was 1 row = 1 accepted, the rest unsaid).
    const typedManifest = manifestIn(summary, KEY, 'typed.xlsx');
    expect([typedManifest?.accepted, typedManifest?.unreadSheets]).toEqual([
      1,
      [{ name: 'Week 47', rows: 2 }],
    ]);
    expect(formatIngestReport(typedManifest as IngestManifest).split('\n')[1]).toBe(
      `  warning: ${KEY}typed.xlsx: sheet "Week 47" was not read (2 non-blank rows; only the sheet with the header row is); if it holds shifts, export it as a file of its own`,
    );
    expect(summary.failed.find((f) => f.key.endsWith('low.xlsx'))?.reason).toContain(
      'the workbook has 2 sheets with a header naming',
    );
  });

  it('names a column read by two required fields once when it is empty; Deputy cost 0 is unknown', async () => {
    // Prepare: Deputy reads the practice and the role from OperationalUnit.
    const key = 'deputy/U60865/shifts/roster-2026-11-16-0700.csv';
    await stores.raw.put(
      key,
      [
        'Id,Date,StartTime,EndTime,Mealbreak,TotalTime,Cost,OperationalUnit,Employee,Published,Open',
        '901,09/11/2026,08:00,12:00,0:00,4,320.00,,E1001,Yes,No',
        '902,09/11/2026,08:00,12:00,0:00,4,0.00,Gough Walk - Locum GP,E1002,Yes,No',
      ].join('\n'),
    );
    // Act
    await ingestTestStores(stores, engine);
    // Assess: before, "OperationalUnit, OperationalUnit are empty".
    const rejects = await rejectsOf(key, 'message');
    expect(rejects.map((r) => r.message)).toEqual(['Row 1: OperationalUnit is empty.']);
    // Deputy's Cost 0 is a shift without a pay rate: unknown, not £0 (as in deputy_api and
    // deputy_timesheets; before, this layout counted it as £0 of locum spend).
    const shifts = await curatedRows('shifts', 'shift_id, cost_pence');
    expect(shifts.filter((r) => r.shift_id === '902')).toEqual([
      { shift_id: '902', cost_pence: null },
    ]);
  });

  it('keeps no person id written inside a longer value of a rejected row', async () => {
    // Prepare: the person id inside the role, inside the shift id, and in lower case.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'P-1', role: 'hca GMC-7100009', person_id: 'GMC-7100009' }),
      row({ shift_id: 'GMC-7100009/2026-11-10', status: 'bad', person_id: 'GMC-7100009' }),
      row({ shift_id: 'P-3', role: 'hca gmc-7100009', person_id: 'GMC-7100009' }),
    ].join('\n');
    await stores.raw.put(`${KEY}inside.csv`, csv);
    // Act
    await ingestTestStores(stores, engine);
    // Assess: every row rejected, and nowhere the id in any case.
    const rejects = await rejectsOf('inside.csv', 'message, raw_values');
    expect(rejects).toHaveLength(3);
    for (const r of rejects) expect(JSON.stringify(r).toUpperCase()).not.toContain('7100009');
    expect(rejects.map((r) => JSON.parse(String(r.raw_values)).role)).toEqual([
      expect.stringMatching(/^hca pseudonym:[0-9a-f]{32}$/),
      'gp',
      '[removed]',
    ]);
  });

  it('says a quote opened on the last line is never closed', async () => {
    // Prepare: the last line's role opens a quote that the file never closes.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'Q-9' }),
      row({ shift_id: 'Q-10', role: '"gp' }),
    ].join('\n');
    await stores.raw.put(`${KEY}open-quote.csv`, csv);
    // Act
    await ingestTestStores(stores, engine);
    // Assess: before, "line 3 of the file has a quoted value with text after its closing quote".
    const rejects = await rejectsOf('open-quote.csv', 'message');
    expect(rejects.map((r) => r.message)).toEqual([
      'Row 2: a quote opened on line 3 of the file is never closed, so the line cannot be split into fields.',
    ]);
  });

  it('does not guess the order of a date in a file that also writes dates month first', async () => {
    // Prepare: a US export (11/13/2026 can only be month first, so 11/02/2026 is 2 November,
    // not 11 February), and a UK export with 13/11/2026 beside 02/11/2026.
    const us = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'US-1', date: '11/02/2026' }),
      row({ shift_id: 'US-2', date: '11/13/2026' }),
      row({ shift_id: 'US-3', date: '11/11/2026' }),
    ].join('\n');
    const uk = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'UK-1', date: '02/11/2026' }),
      row({ shift_id: 'UK-2', date: '13/11/2026' }),
    ].join('\n');
    await stores.raw.put(`${KEY}us.csv`, us);
    await stores.raw.put(`${KEY}uk.csv`, uk);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the US file's 11/02 rejected, naming the month-first value; 11/11 reads the same
    // either way; the UK file read day first (before, 11/02/2026 was accepted as 11 February).
    expect(manifestIn(summary, KEY, 'us.csv')?.rejectsByReason).toEqual({
      ambiguous_date: 1,
      bad_date: 1,
    });
    expect(manifestIn(summary, KEY, 'uk.csv')?.accepted).toBe(2);
    const rejects = await rejectsOf('us.csv', 'message');
    expect(rejects.map((r) => r.message)).toContain(
      'Row 1: date "11/02/2026" could be day first or month first, and this file also writes "11/13/2026", which is month first (US order); write dates as YYYY-MM-DD, or export them day first.',
    );
  });

  it('rejects a row whose read cell is a formula with no saved result, not an empty value', async () => {
    // Prepare: a workbook written by a tool that does not calculate: cost is a formula, never
    // computed (read as empty, it was an unknown cost without a word).
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    const header = GENERIC_SHIFT_HEADER.split(',');
    sheet.addRow(header);
    sheet.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'F-1' }));
    const second = sheet.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: 'F-2' }));
    const cost = header.indexOf('cost_gbp') + 1;
    second.getCell(cost).value = { formula: 'D3*95' } as ExcelJS.CellFormulaValue;
    // A template's row below the data, holding nothing but such a formula: blank, not a row.
    sheet.getRow(4).getCell(cost).value = { formula: 'D4*95' } as ExcelJS.CellFormulaValue;
    await stores.raw.put(`${KEY}formula.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess
    const m = manifestIn(summary, KEY, 'formula.xlsx');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([2, 1, { malformed_row: 1 }]);
    const letter = String.fromCharCode(64 + cost);
    expect((await rejectsOf('formula.xlsx', 'message')).map((r) => r.message)).toEqual([
      `Row 2: its "cost_gbp" cell (${letter}3) is a formula with no saved result (=D3*95), so its value is not known; open the file in Excel and save it, so the results are saved.`,
    ]);
  });

  it('rejects a whole-week availability row beside the same week given per session', async () => {
    // Prepare: AW-1 in hours 30 h and extended 4 h, then a total line of 34 h for the whole
    // week (all of which the "all" scope would add: 68 h); AW-2 only for the whole week.
    const header = GENERIC_AVAILABILITY_HEADER;
    const line = genericAvailabilityLine;
    const key = 'generic/U60865/availability/whole-week.csv';
    await stores.raw.put(
      key,
      [
        header,
        line('AW-1', 'in_hours', 30),
        line('AW-1', 'extended_hours', 4),
        line('AW-1', '', 34),
        line('AW-2', '', 37.5),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the total line rejected, naming the first session row; the rest accepted.
    const m = summary.ingested.find((f) => f.sourceFile === key);
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([
      4,
      3,
      { duplicate_availability: 1 },
    ]);
    expect((await rejectsOf('whole-week.csv', 'message')).map((r) => r.message)).toEqual([
      "Row 3: the clinician's availability for the whole week is given per session too, from row 1 of this file, so its hours would count twice; give one or the other.",
    ]);
  });

  it('keeps the first copy of a repeated id that passes every check, not one rejected for its own reason', async () => {
    // Prepare: R-1 first for a practice of another network (F84030: its folder is not this
    // one's), then good; R-2 first with a misspelt status, then good; R-3 twice good. Availability:
    // AR-1 first with an unknown role, then good; AR-2's sessions both with an unknown role, and
    // its whole week good.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'R-1', practice_code: 'F84030', network_code: '' }),
      row({ shift_id: 'R-1' }),
      row({ shift_id: 'R-2', status: 'Filed' }),
      row({ shift_id: 'R-2' }),
      row({ shift_id: 'R-3' }),
      row({ shift_id: 'R-3' }),
    ].join('\n');
    await stores.raw.put(`${KEY}repeats.csv`, csv);
    const line = genericAvailabilityLine;
    const unknownRole = (l: string) => l.replace(',gp,', ',wizard,');
    await stores.raw.put(
      'generic/U60865/availability/repeats.csv',
      [
        GENERIC_AVAILABILITY_HEADER,
        unknownRole(line('AR-1', 'in_hours', 30)),
        line('AR-1', 'in_hours', 30),
        unknownRole(line('AR-2', 'in_hours', 30)),
        unknownRole(line('AR-2', 'extended_hours', 4)),
        line('AR-2', '', 34),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each rejected copy for its own reason, the good copy after it kept (before: kept
    // nothing, the good copy a duplicate of the rejected one); only R-3's second copy a duplicate,
    // of row 5. AR-2's whole week kept: no session of it was accepted.
    const m = manifestIn(summary, KEY, 'repeats.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([
      6,
      3,
      { network_folder_mismatch: 1, unknown_status: 1, duplicate_shift_id: 1 },
    ]);
    const kept = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(kept.filter((id) => id.startsWith('R-')).sort()).toEqual(['R-1', 'R-2', 'R-3']);
    expect(
      (await rejectsOf('shifts/repeats.csv', 'source_row, reason_code, message')).at(-1),
    ).toMatchObject({
      source_row: 6,
      reason_code: 'duplicate_shift_id',
      message: 'Row 6: shift_id "R-3" already appears on row 5 of this file.',
    });
    const a = summary.ingested.find((f) => f.sourceFile.endsWith('availability/repeats.csv'));
    expect([a?.rowsIn, a?.accepted, a?.rejectsByReason]).toEqual([5, 2, { unknown_role: 3 }]);
  });

  it('reads a cancellation carrying a credit as the cancellation, not a negative cost', async () => {
    // Prepare: C-1 cancelled with its £800 credited back (-800.00); a filled shift at -5.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'C-1', status: 'cancelled', cost_gbp: '-800.00' }),
      row({ shift_id: 'C-2', cost_gbp: '-5.00' }),
    ].join('\n');
    await stores.raw.put(`${KEY}credit.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the cancellation accepted, with no cost (before: negative_value, so the earlier
    // filled copy of the shift stayed current, with its spend); the filled one still rejected.
    const m = manifestIn(summary, KEY, 'credit.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([1, { negative_value: 1 }]);
    const shifts = (await curatedRows('shifts', 'shift_id, status, cost_pence')).filter(
      (r) => r.shift_id === 'C-1',
    );
    expect(shifts).toEqual([{ shift_id: 'C-1', status: 'cancelled', cost_pence: null }]);
  });
});
