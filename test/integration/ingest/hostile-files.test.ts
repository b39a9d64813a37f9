/**
 * Whole files an eighth-session audit found mishandled or explained badly (UTF-16 padding, an
 * export in the other kind's folder, JSON that is not one document), each checked for the rules:
 * rows in = accepted + rejected, and a refused file gets one message that says what it is. Real
 * DuckDB, a folder store, the generic mapping unless a case says otherwise.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { curatedReader, manifestIn } from '../../helpers/curated-rows.js';
import {
  GENERIC_AVAILABILITY_HEADER,
  GENERIC_SHIFT_HEADER,
  GOOD_GENERIC_SHIFT,
  genericAvailabilityLine,
  genericShiftLine,
  rotaCloudShift,
} from '../../helpers/generic-shift-row.js';
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

describe('hostile files', () => {
  it('reads UTF-16 exports padded after the last line, with or without a byte-order mark', async () => {
    // Prepare: two shifts in UTF-16 (as Excel's "Unicode text" saves), padded after the last
    // line with NULs or a DOS Ctrl-Z, as a fixed-size block writer leaves them.
    const text = [
      GENERIC_SHIFT_HEADER,
      genericShiftLine({ shift_id: 'U-1' }),
      genericShiftLine({ shift_id: 'U-2' }),
    ]
      .map((line) => `${line}\r\n`)
      .join('');
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(text, 'utf16le').swap16();
    const files: Record<string, Buffer> = {
      'le-bom-nul.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.alloc(4)]),
      'le-bom-ctrlz.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), le, Buffer.from([0x1a, 0])]),
      'be-bom-ctrlz.csv': Buffer.concat([Buffer.from([0xfe, 0xff]), be, Buffer.from([0, 0x1a])]),
      'le-nobom-nul.csv': Buffer.concat([le, Buffer.alloc(4)]),
    };
    for (const [file, body] of Object.entries(files)) {
      await stores.raw.put(`${KEY}${file}`, new Uint8Array(body));
    }
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each file 2 rows in, 2 accepted (before: a phantom malformed third row with a
    // mark; the file refused as binary data without one).
    expect(summary.failed.map((f) => f.reason)).toEqual([]);
    for (const file of Object.keys(files)) {
      const m = manifestIn(summary, KEY, file);
      expect([file, m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([file, 2, 2, {}]);
    }
    const ids = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => id.startsWith('U-'))).toEqual(
      [...'1111', ...'2222'].map((n) => `U-${n}`),
    );
  });

  it("says a file in the other kind's folder is that kind of export, and where it goes", async () => {
    // Prepare: a shifts export (CSV and XLSX) in availability/, an availability export in shifts/.
    const AVAIL = 'generic/U60865/availability/';
    await stores.raw.put(
      `${AVAIL}rota.csv`,
      [GENERIC_SHIFT_HEADER, genericShiftLine({})].join('\n'),
    );
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    sheet.addRow(GENERIC_SHIFT_HEADER.split(','));
    sheet.addRow(Object.values(GOOD_GENERIC_SHIFT));
    await stores.raw.put(`${AVAIL}rota.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    await stores.raw.put(
      `${KEY}contracted.csv`,
      [GENERIC_AVAILABILITY_HEADER, genericAvailabilityLine('GMC-1', '', 37.5)].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each refused, saying what it looks like and where it goes (before: the CSV's
    // message said its header line might be missing; the workbook's named no other kind).
    const reason = (file: string) => summary.failed.find((f) => f.key.endsWith(file))?.reason;
    const shiftsNote =
      'this looks like a shifts export (its header names shift_id, practice_code, date, start_time, ...); shifts exports go in generic/U60865/shifts/';
    expect(reason('rota.csv')).toBe(
      `Cannot read export ${AVAIL}rota.csv: missing required columns week_start, available_hours; ${shiftsNote}`,
    );
    expect(reason('rota.xlsx')).toContain('has no header row naming ');
    expect(reason('rota.xlsx')?.endsWith(`; ${shiftsNote}`)).toBe(true);
    expect(reason('contracted.csv')).toBe(
      `Cannot read export ${KEY}contracted.csv: missing required columns shift_id, practice_code, date, start_time, end_time, status; this looks like an availability export (its header names week_start, available_hours); availability exports go in generic/U60865/availability/`,
    );
  });

  it("keeps a rejected row's other values as exported when its person id is a placeholder", async () => {
    // Prepare: a RotaCloud shift whose user is JSON true (published and claimed are true too), a
    // generic shift whose person id is 0 (its break 0 too): both stand for nobody.
    const shift = rotaCloudShift({ user: true });
    const json = 'rotacloud/U60865/shifts/bool-user-2026-11-16T0700.json';
    await stores.raw.put(json, JSON.stringify([shift]));
    await stores.raw.put(
      `${KEY}zero-person.csv`,
      [GENERIC_SHIFT_HEADER, genericShiftLine({ shift_id: 'Z-1', person_id: '0' })].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each rejected as missing_person, and only the person column pseudonymised (before:
    // "published" and "break_minutes" held the pseudonym too, as if the id were typed there).
    const rejects = await curatedRows('rejects', 'source_file, reason_code, raw_values');
    const raw = (file: string) => {
      const r = rejects.find((x) => String(x.source_file).endsWith(file));
      expect(r?.reason_code).toBe('missing_person');
      return JSON.parse(String(r?.raw_values)) as Record<string, string>;
    };
    const fromJson = raw('bool-user-2026-11-16T0700.json');
    expect([fromJson.published, fromJson.deleted, fromJson.user?.slice(0, 10)]).toEqual([
      'true',
      'false',
      'pseudonym:',
    ]);
    const fromCsv = raw('zero-person.csv');
    expect([fromCsv.break_minutes, fromCsv.person_id?.slice(0, 10)]).toEqual(['0', 'pseudonym:']);
    expect(manifestIn(summary, KEY, 'zero-person.csv')?.rejectsByReason).toEqual({
      missing_person: 1,
    });
  });
});
