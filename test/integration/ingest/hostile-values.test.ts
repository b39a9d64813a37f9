/**
 * Hostile exports whose values read as the wrong figure without a word (an audit's list): clock
 * times, amounts and date-times that a file writes in a form the rules read otherwise. Each case
 * checks rows in = accepted + rejected, and that no wrong figure is accepted. Real DuckDB, a folder
 * store, the generic mapping unless a case says otherwise.
 */
import { rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import { formatIngestReport } from '../../../src/ingest/ingest-report.js';
import { manifestIn, useIngestedStores } from '../../helpers/curated-rows.js';
import {
  GENERIC_SHIFT_HEADER,
  GOOD_GENERIC_SHIFT,
  genericShiftLine,
} from '../../helpers/generic-shift-row.js';
import { EUROCSV, mappingsWithVariants } from '../../helpers/mapping-variants.js';
import { ingestTestStores } from '../../helpers/stores.js';

const { stores, engine, curatedRows, rejectsOf } = useIngestedStores();
const row = genericShiftLine;
const KEY = 'generic/U60865/shifts/';

/** A generic shifts export of these rows, each the good row with some fields changed. */
const shiftsCsv = (...changes: Record<string, string>[]) =>
  [GENERIC_SHIFT_HEADER, ...changes.map(row)].join('\n');

/** Upload each export (by its key under the raw area, or its name under KEY), then ingest the lot. */
async function ingest(files: Record<string, string>, mappingsDir?: string) {
  for (const [name, body] of Object.entries(files)) {
    await stores().raw.put(name.includes('/') ? name : `${KEY}${name}`, body);
  }
  return ingestTestStores(stores(), engine(), mappingsDir ? { mappingsDir } : {});
}

/** Per file (a name under KEY, or a key): [file, rows in, accepted, rejects by reason]. */
function counts(summary: Awaited<ReturnType<typeof ingest>>, files: string[]) {
  return files.map((f) => {
    const m = f.includes('/')
      ? summary.ingested.find((i) => i.sourceFile === f)
      : manifestIn(summary, KEY, f);
    return [f, m?.rowsIn, m?.accepted, m?.rejectsByReason];
  });
}

/** Accepted shifts whose id starts with `prefix`: [id, hours, start hour], sorted. */
async function shiftsOf(prefix: string) {
  return (await curatedRows('shifts', 'shift_id, hours, start_hour'))
    .filter((r) => String(r.shift_id).startsWith(prefix))
    .map((r) => [r.shift_id, r.hours, r.start_hour])
    .sort();
}

describe('hostile values', () => {
  it('does not read a 12-hour clock without am/pm as a 24-hour one', async () => {
    // Prepare: (1) a file on a 12-hour clock with no am/pm: a 9 to 5 day shift (20 hours
    // overnight on a 24-hour clock), an afternoon session 1:30 to 6:00, a noon session that reads
    // the same either way; (2) a file with am/pm but one row without; (3) a 24-hour file (a night
    // 20:00-08:00), whose 8:30 is a morning; (4) a file of mornings only, read as before.
    const summary = await ingest({
      'twelve.csv': shiftsCsv(
        { shift_id: 'H12-1', start_time: '9:00', end_time: '5:00' },
        { shift_id: 'H12-2', start_time: '1:30', end_time: '6:00' },
        { shift_id: 'H12-3', start_time: '12:00', end_time: '12:45' },
      ),
      'nine-five.csv': shiftsCsv({ shift_id: 'NF-1', start_time: '9:00', end_time: '5:00' }),
      'ampm.csv': shiftsCsv(
        { shift_id: 'AP-1', start_time: '9:00 am', end_time: '5:00 pm' },
        { shift_id: 'AP-2', start_time: '9:00', end_time: '5:00 pm' },
      ),
      'day.csv': shiftsCsv(
        { shift_id: 'H24-1', start_time: '20:00', end_time: '08:00' },
        { shift_id: 'H24-2', start_time: '8:30', end_time: '12:30' },
      ),
      'mornings.csv': shiftsCsv(
        { shift_id: 'AM-1', start_time: '8:30', end_time: '12:30' },
        { shift_id: 'AM-2', start_time: '9:00', end_time: '11:00' },
      ),
    });
    // Assess: the 12-hour rows that read two ways rejected, saying why (before: H12-1 and NF-1
    // accepted as 20 hours from 09:00, H12-2 as 4.5 hours from 01:30, AP-2 guessed as 09:00); the
    // rest read as before.
    expect(
      counts(summary, ['twelve.csv', 'nine-five.csv', 'ampm.csv', 'day.csv', 'mornings.csv']),
    ).toEqual([
      ['twelve.csv', 3, 1, { ambiguous_time: 2 }],
      ['nine-five.csv', 1, 0, { ambiguous_time: 1 }],
      ['ampm.csv', 2, 1, { ambiguous_time: 1 }],
      ['day.csv', 2, 2, {}],
      ['mornings.csv', 2, 2, {}],
    ]);
    expect([
      ...(await shiftsOf('H12-')),
      ...(await shiftsOf('AP-')),
      ...(await shiftsOf('H24-')),
      ...(await shiftsOf('AM-')),
    ]).toEqual([
      ['H12-3', 0.75, 12],
      ['AP-1', 8, 9],
      ['H24-1', 12, 20],
      ['H24-2', 4, 8],
      ['AM-1', 4, 8],
      ['AM-2', 2, 9],
    ]);
    const messages = [
      ...(await rejectsOf('twelve.csv', 'message')),
      ...(await rejectsOf('ampm.csv', 'message')),
      ...(await rejectsOf('nine-five.csv', 'message')),
    ].map((r) => r.message);
    expect(messages).toEqual([
      'Row 1: start_time "9:00" could be am or pm: this file has a shift starting at "1:30" and writes no 24-hour time (none from 13:00, none like 08:00), so its times look like a 12-hour clock without am or pm; write times as 24-hour HH:MM (17:00), or with am or pm (5:00 pm).',
      'Row 2: start_time "1:30" could be am or pm: this file has a shift starting at "1:30" and writes no 24-hour time (none from 13:00, none like 08:00), so its times look like a 12-hour clock without am or pm; write times as 24-hour HH:MM (17:00), or with am or pm (5:00 pm).',
      'Row 2: start_time "9:00" could be am or pm: this file writes "9:00 am" and writes no 24-hour time (none from 13:00, none like 08:00), so its times look like a 12-hour clock without am or pm; write times as 24-hour HH:MM (17:00), or with am or pm (5:00 pm).',
      'Row 1: start_time "9:00" could be am or pm: this file has a shift from "9:00" to "5:00" and writes no 24-hour time (none from 13:00, none like 08:00), so its times look like a 12-hour clock without am or pm; write times as 24-hour HH:MM (17:00), or with am or pm (5:00 pm).',
    ]);
  });

  it('does not read a comma as thousands in a file that writes it as a decimal comma', async () => {
    // Prepare: (1) a file whose costs use a decimal comma (12,50, itself ambiguous_number) and
    // also 1,500 (fifteen hundred, or 1.5); (2) 1,500 beside 12.50 (a decimal point): £1,500;
    // (3) the same two ways with the mapping's decimal comma: 1.500 beside 12.50 is ambiguous,
    // beside 12,50 it is £1,500.
    const mappingsDir = await mappingsWithVariants({ eurocsv: EUROCSV });
    const euro = 'eurocsv/U60865/shifts/';
    const costs = (prefix: string, ...values: string[]) =>
      shiftsCsv(...values.map((v, i) => ({ shift_id: `${prefix}-${i + 1}`, cost_gbp: `"${v}"` })));
    try {
      const summary = await ingest(
        {
          'decimal-comma.csv': costs('DC', '12,50', '1,500', '£2,000', '380'),
          'decimal-point.csv': costs('DP', '12.50', '1,500'),
          [`${euro}point.csv`]: costs('EP', '12.50', '1.500'),
          [`${euro}comma.csv`]: costs('EC', '12,50', '1.500'),
        },
        mappingsDir,
      );
      // Assess: 1,500 (and £2,000) not read as thousands against the file's decimal comma
      // (before: £1,500 and £2,000 accepted); read so where the file's decimals are points.
      expect(
        counts(summary, [
          'decimal-comma.csv',
          'decimal-point.csv',
          `${euro}point.csv`,
          `${euro}comma.csv`,
        ]),
      ).toEqual([
        ['decimal-comma.csv', 4, 1, { ambiguous_number: 3 }],
        ['decimal-point.csv', 2, 2, {}],
        [`${euro}point.csv`, 2, 0, { ambiguous_number: 2 }],
        [`${euro}comma.csv`, 2, 2, {}],
      ]);
      const pence = (await curatedRows('shifts', 'shift_id, cost_pence'))
        .filter((r) => /^(DC|DP|EP|EC)-/.test(String(r.shift_id)))
        .map((r) => [r.shift_id, Number(r.cost_pence)]);
      expect(pence).toEqual([
        ['DC-4', 38_000],
        ['DP-1', 1250],
        ['DP-2', 150_000],
        ['EC-1', 1250],
        ['EC-2', 150_000],
      ]);
      const messages = (await rejectsOf('decimal-comma.csv', 'message')).map((r) => r.message);
      expect(messages.slice(1)).toEqual([
        'Row 2: cost_gbp "1,500" could have a thousands separator or a decimal mark, and this file also writes "12,50", with that mark as its decimal one; write the amount without a thousands separator (1500, or 1.5).',
        'Row 3: cost_gbp "£2,000" could have a thousands separator or a decimal mark, and this file also writes "12,50", with that mark as its decimal one; write the amount without a thousands separator (1500, or 1.5).',
      ]);
    } finally {
      await rm(mappingsDir, { recursive: true, force: true });
    }
  });

  it('reads the clock part of a date-time cell in a time column of a workbook', async () => {
    // Prepare: date-time cells as start and end times: on the row's date (10 November), on
    // Excel's day 1 (1899-12-31: a start of 20:00 plus 12 hours), and on another date (3
    // November), which is no time of this row.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    const header = GENERIC_SHIFT_HEADER.split(',');
    sheet.addRow(header);
    const at = (y: number, m: number, d: number, h: number, min = 0) =>
      new Date(Date.UTC(y, m - 1, d, h, min));
    const cells: [string, Date, Date][] = [
      ['XT-1', at(2026, 11, 10, 8, 30), at(2026, 11, 10, 12, 30)],
      ['XT-2', at(1899, 12, 30, 20), at(1899, 12, 31, 8)],
      ['XT-3', at(2026, 11, 3, 8, 30), at(2026, 11, 3, 12, 30)],
    ];
    for (const [id, start, end] of cells) {
      const values = { ...GOOD_GENERIC_SHIFT, shift_id: id } as Record<string, unknown>;
      Object.assign(values, { start_time: start, end_time: end });
      const added = sheet.addRow(header.map((c) => values[c]));
      for (const c of ['start_time', 'end_time']) {
        added.getCell(header.indexOf(c) + 1).numFmt = 'yyyy-mm-dd hh:mm';
      }
    }
    await stores().raw.put(`${KEY}date-times.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: the first two read as their clock times (before: bad_time); the third still not.
    expect(counts(summary, ['date-times.xlsx'])).toEqual([
      ['date-times.xlsx', 3, 2, { bad_time: 1 }],
    ]);
    expect(await shiftsOf('XT-')).toEqual([
      ['XT-1', 4, 8],
      ['XT-2', 12, 20],
    ]);
  });

  it('reads hidden rows of a workbook, and says how many there were', async () => {
    // Prepare: three shifts, the second and third hidden (a filter left on).
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    const header = GENERIC_SHIFT_HEADER.split(',');
    sheet.addRow(header);
    for (const id of ['HR-1', 'HR-2', 'HR-3']) {
      const values: Record<string, string> = { ...GOOD_GENERIC_SHIFT, shift_id: id };
      sheet.addRow(header.map((c) => values[c]));
    }
    sheet.getRow(3).hidden = true;
    sheet.getRow(4).hidden = true;
    await stores().raw.put(`${KEY}hidden.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: all three read, and the report warns of the two hidden ones (before: no word).
    const m = manifestIn(summary, KEY, 'hidden.xlsx');
    expect([m?.accepted, m?.hiddenRows]).toEqual([3, 2]);
    expect(formatIngestReport(m as IngestManifest).split('\n')[1]).toBe(
      `  warning: ${KEY}hidden.xlsx: 2 hidden rows were read (rows hidden in the sheet, by a filter or by hand, count like every other row); if they should not count, delete them from the export`,
    );
  });

  it('reads date-times with GMT, UTC or an offset after a space', async () => {
    // Prepare: publication and fill times as RFC 2822 with GMT (with and without the weekday)
    // and as ISO with an offset or UTC after a space; 20 October is BST, 1 November GMT.
    const summary = await ingest({
      'zones.csv': shiftsCsv(
        {
          shift_id: 'TZ-1',
          published_at: '"Tue, 20 Oct 2026 10:00:00 GMT"',
          filled_at: '2026-11-01 16:00:00 +0100',
        },
        {
          shift_id: 'TZ-2',
          published_at: '20 Oct 2026 10:00 GMT',
          filled_at: '2026-11-01 16:00 UTC',
        },
        { shift_id: 'TZ-3', published_at: '2026-10-20 10:00:00 -01:00', filled_at: '' },
      ),
    });
    // Assess: read, each offset honoured (before: all bad_timestamp).
    expect(counts(summary, ['zones.csv'])).toEqual([['zones.csv', 3, 3, {}]]);
    const times = (await curatedRows('shifts', 'shift_id, published_at, filled_at'))
      .filter((r) => String(r.shift_id).startsWith('TZ-'))
      .map((r) => [
        r.shift_id,
        new Date(String(r.published_at)).toISOString(),
        r.filled_at === null ? null : new Date(String(r.filled_at)).toISOString(),
      ]);
    expect(times).toEqual([
      ['TZ-1', '2026-10-20T10:00:00.000Z', '2026-11-01T15:00:00.000Z'],
      ['TZ-2', '2026-10-20T10:00:00.000Z', '2026-11-01T16:00:00.000Z'],
      ['TZ-3', '2026-10-20T11:00:00.000Z', null],
    ]);
  });

  it('keeps instants to the millisecond, as Athena reads them', async () => {
    // Prepare: date-times with a fraction of a second finer than a millisecond (an API's
    // isoformat()), and an export time 0.9995 s past the second.
    const summary = await ingest({
      'fractions.csv': shiftsCsv(
        {
          shift_id: 'MS-1',
          published_at: '2026-10-20T10:00:00.123456Z',
          filled_at: '2026-11-01 16:00:00.999999',
          exported_at: '2026-11-16T07:00:00.9995Z',
        },
        { shift_id: 'MS-2', published_at: '2026-10-20T10:00:00.5+01:00' },
      ),
    });
    expect(counts(summary, ['fractions.csv'])).toEqual([['fractions.csv', 2, 2, {}]]);
    // Assess: every instant cut to the millisecond (towards the past), none finer.
    const rows = await curatedRows(
      'shifts',
      `shift_id, strftime(start_at, '%H:%M:%S.%f') as s, strftime(end_at, '%H:%M:%S.%f') as e,
       strftime(published_at, '%H:%M:%S.%f') as p, strftime(filled_at, '%H:%M:%S.%f') as f,
       strftime(exported_at, '%H:%M:%S.%f') as x, hours`,
    );
    expect(rows.filter((r) => String(r.shift_id).startsWith('MS-')).map(Object.values)).toEqual([
      [
        'MS-1',
        '08:30:00.000000',
        '12:30:00.000000',
        '10:00:00.123000',
        '16:00:00.999000',
        '07:00:00.999000',
        4,
      ],
      [
        'MS-2',
        '08:30:00.000000',
        '12:30:00.000000',
        '09:00:00.500000',
        '16:00:00.000000',
        '07:00:00.000000',
        4,
      ],
    ]);
  });
});
