/**
 * Messy exports an audit of ingest found mishandled (a helper's hostile-export run, fifth
 * session), each checked for the rules: rows in = accepted + rejected, and no person id or private
 * value in the rejects but as a pseudonym. Real DuckDB, a folder store, the generic mapping.
 * - Line ends: lines ending in a lone CR (old Mac) read as one header line and no rows, with
 *   nothing rejected; CRLF mixed with LF failed the whole file with DuckDB's internal error.
 * - Person ids the JavaScript and SQL normalisations read differently (a trailing tab, ß) were
 *   accepted with no clinician key.
 * - A repeated person_id column (read as person_id_2) and a person column spelled another way
 *   (`Person ID`) kept their raw ids in the rejects.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
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

const manifestOf = (summary: Awaited<ReturnType<typeof ingestTestStores>>, file: string) =>
  manifestIn(summary, KEY, file);

describe('messy exports', () => {
  it('reads every line ending: lone CR, CRLF mixed with LF, a stray CRLF at the end', async () => {
    // Prepare: two rows each (ids unique across the files, so each row is accepted).
    const two = (a: string) => [row({ shift_id: `${a}-1` }), row({ shift_id: `${a}-2` })];
    const files = {
      'lone-cr.csv': `${[GENERIC_SHIFT_HEADER, ...two('CR')].join('\r')}\r`,
      'mixed.csv': `${GENERIC_SHIFT_HEADER}\n${two('MX')[0]}\r\n${two('MX')[1]}\n`,
      'stray-crlf.csv': `${[GENERIC_SHIFT_HEADER, ...two('ST')].join('\n')}\n\r\n`,
      'crlf.csv': `${[GENERIC_SHIFT_HEADER, ...two('WIN')].join('\r\n')}\r\n`,
    };
    for (const [name, body] of Object.entries(files)) await stores.raw.put(`${KEY}${name}`, body);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: every file read, two rows in and two accepted each.
    expect(summary.failed).toEqual([]);
    for (const name of Object.keys(files)) {
      const m = manifestOf(summary, name);
      expect([name, m?.rowsIn, m?.accepted, m?.rejected]).toEqual([name, 2, 2, 0]);
    }
    const ids = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => /^(CR|MX|ST|WIN)-/.test(id))).toEqual([
      'CR-1',
      'CR-2',
      'MX-1',
      'MX-2',
      'ST-1',
      'ST-2',
      'WIN-1',
      'WIN-2',
    ]);
  });

  it('gives every person id its clinician key, however JavaScript and SQL normalise it', async () => {
    // Prepare: the same clinician with and without a trailing tab, and an id with ß.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'P-1', person_id: 'TAB-P2' }),
      row({ shift_id: 'P-2', person_id: '"TAB-P2\t"' }),
      row({ shift_id: 'P-3', person_id: 'straße-1' }),
    ].join('\n');
    await stores.raw.put(`${KEY}ids.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: all accepted as filled, each with a key; the tab changes nothing.
    expect([summary.accepted, summary.rejected]).toEqual([3, 0]);
    const rows = (await curatedRows('shifts', 'shift_id, clinician_key')).filter((r) =>
      String(r.shift_id).startsWith('P-'),
    );
    expect(rows.map((r) => typeof r.clinician_key)).toEqual(['string', 'string', 'string']);
    expect(rows[1]?.clinician_key).toBe(rows[0]?.clinician_key);
    expect(rows[2]?.clinician_key).not.toBe(rows[0]?.clinician_key);
  });

  it('gives an id that only looks different the same clinician key: dashes, full width, invisible characters', async () => {
    // Prepare: one clinician's id as seven tools typed or pasted it, and a different clinician.
    const looks = [
      'LK-N1-001',
      'LK\u2011N1\u2011001', // no-break hyphens
      'LK\u2013N1-001', // an en dash
      '\uff2c\uff2b-N1-001', // full-width letters
      'LK-N1-001\u200b', // a zero-width space
      'LK-N1-001\u3000', // an ideographic space after it
      'lk-n1-001\u00ad', // lower case and a soft hyphen
    ];
    const csv = [
      GENERIC_SHIFT_HEADER,
      ...looks.map((id, i) => row({ shift_id: `LK-${i}`, person_id: id })),
      row({ shift_id: 'LK-other', person_id: 'LK-N1-002' }),
    ].join('\n');
    await stores.raw.put(`${KEY}look-alike.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: one key for the seven spellings, another for the other clinician.
    expect([summary.accepted, summary.rejected]).toEqual([looks.length + 1, 0]);
    const keys = new Map(
      (await curatedRows('shifts', 'shift_id, clinician_key'))
        .filter((r) => String(r.shift_id).startsWith('LK-'))
        .map((r) => [String(r.shift_id), String(r.clinician_key)]),
    );
    const same = new Set(looks.map((_, i) => keys.get(`LK-${i}`)));
    expect(same.size).toBe(1);
    expect(keys.get('LK-other')).not.toBe(keys.get('LK-0'));
  });

  it('warns when an optional column is missing and a near name was not read', async () => {
    // Prepare: break_minutes written break_mins, cost_gbp written cost.
    const header = GENERIC_SHIFT_HEADER.replace('break_minutes', 'break_mins').replace(
      'cost_gbp',
      'cost',
    );
    await stores.raw.put(`${KEY}misspelt.csv`, [header, row({ shift_id: 'MS-1' })].join('\n'));
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: read (the columns are optional), and both names said (before: no break and no
    // cost, unsaid).
    const m = manifestOf(summary, 'misspelt.csv');
    expect(m?.similarColumns).toEqual([
      { mapped: 'break_minutes', found: 'break_mins' },
      { mapped: 'cost_gbp', found: 'cost' },
    ]);
    expect(formatIngestReport(m as NonNullable<typeof m>)).toContain(
      'misspelt.csv: the mapping reads a column "break_minutes", which the file does not have; its column "break_mins" was not read: if it is the same, rename it in the file or the mapping',
    );
  });

  it("takes a file's own time when its only export time is a rejected typo", async () => {
    // Prepare: one row, exported "2062-11-16 07:00", so rejected (date_out_of_range).
    const key = `${KEY}export-2062.csv`;
    await stores.raw.put(
      key,
      [GENERIC_SHIFT_HEADER, row({ shift_id: 'OT-1', exported_at: '2062-11-16 07:00' })].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the file's modified time (before: 2062, so the network's latest export was in 2062
    // and it could never be flagged out of date).
    const m = manifestOf(summary, 'export-2062.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([0, { date_out_of_range: 1 }]);
    expect(m?.exportedAt).toBe((await stores.raw.modifiedAt(key)).toISOString());
  });

  it('takes the export time from the accepted rows, not a rejected typo or a totals line', async () => {
    // Prepare: a good row exported 16 Nov 2026, a rejected row whose export time is a typo for
    // 2062, and a totals line with no export time (it would take the file's modified time).
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'T-1' }),
      row({ shift_id: 'T-2', status: 'maybe', exported_at: '2062-11-16 07:00' }),
      `Total,,,,,,,,,,,,,,"1,234.00",,,`,
    ].join('\n');
    await stores.raw.put(`${KEY}typo.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the file's export time is its accepted row's, from the column, in the report and
    // on both rejects (so they count in the week of the export they came in).
    const m = manifestOf(summary, 'typo.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejected]).toEqual([3, 1, 2]);
    expect([m?.exportedAt, m?.exportedAtSource]).toEqual(['2026-11-16T07:00:00.000Z', 'column']);
    const rejects = await rejectsOf('typo.csv', 'exported_at');
    expect(rejects.map((r) => new Date(r.exported_at as string).toISOString())).toEqual([
      '2026-11-16T07:00:00.000Z',
      '2026-11-16T07:00:00.000Z',
    ]);
  });

  it('rejects a header line inside the file, and the rows after one with its columns in another order', async () => {
    // Prepare: two exports pasted together, the second's header the same; then a third pasted
    // with person_id and shift_id swapped, then the same header again.
    const swapped = GENERIC_SHIFT_HEADER.split(',');
    const [a, b] = [swapped.indexOf('shift_id'), swapped.indexOf('person_id')];
    [swapped[a], swapped[b]] = [swapped[b] as string, swapped[a] as string];
    const swappedRow = (id: string, person: string) =>
      Object.entries(GOOD_GENERIC_SHIFT)
        .map(([k, v]) => (k === 'shift_id' ? person : k === 'person_id' ? id : v))
        .join(',');
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'H-1' }),
      GENERIC_SHIFT_HEADER.toUpperCase(),
      row({ shift_id: 'H-2' }),
      swapped.join(','),
      swappedRow('H-3', 'GMC-SECRET-3'),
      swappedRow('H-4', 'GMC-SECRET-4'),
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'H-5' }),
    ].join('\n');
    await stores.raw.put(`${KEY}pasted.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the rows under the file's own header order accepted; the header lines and the
    // swapped rows rejected as malformed, saying why, with no raw values kept.
    const m = manifestOf(summary, 'pasted.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejected]).toEqual([8, 3, 5]);
    expect(m?.rejectsByReason).toEqual({ malformed_row: 5 });
    const ids = (await curatedRows('shifts', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => id.startsWith('H-') || id.includes('SECRET'))).toEqual([
      'H-1',
      'H-2',
      'H-5',
    ]);
    const rejects = (await rejectsOf('pasted.csv', 'source_row, message, raw_values')).map((r) => [
      r.source_row,
      r.message,
      r.raw_values,
    ]);
    expect(rejects).toEqual([
      [
        2,
        'Row 2: it repeats the header line (two exports pasted into one file?); only its own line is left out.',
        '{}',
      ],
      [
        4,
        'Row 4: it is a header line with other columns or in another order (two exports pasted into one file?): the rows after it, up to the next header line, are left out.',
        '{}',
      ],
      [
        5,
        "Row 5: it follows a header line (row 4) with other columns or in another order, so its values are not under this file's columns; split the file at that row.",
        '{}',
      ],
      [
        6,
        "Row 6: it follows a header line (row 4) with other columns or in another order, so its values are not under this file's columns; split the file at that row.",
        '{}',
      ],
      [
        7,
        'Row 7: it repeats the header line (two exports pasted into one file?); only its own line is left out.',
        '{}',
      ],
    ]);
  });

  it('keeps a good copy of a shift id after a copy that could not be read', async () => {
    // Prepare: Q-1 first with a time that cannot be read, then twice as it should be.
    const csv = [
      GENERIC_SHIFT_HEADER,
      row({ shift_id: 'Q-1', start_time: '8.30' }),
      row({ shift_id: 'Q-1' }),
      row({ shift_id: 'Q-1', cost_gbp: '390.00' }),
    ].join('\n');
    await stores.raw.put(`${KEY}copies.csv`, csv);
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the unreadable copy rejected for its time, the first good copy kept, and the last
    // rejected as a duplicate of it. Before, the good copies were both duplicates of row 1.
    const m = manifestOf(summary, 'copies.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejected]).toEqual([3, 1, 2]);
    const rejects = (await rejectsOf('copies.csv', 'message')).map((r) => String(r.message));
    expect(rejects).toEqual([
      expect.stringMatching(/^Row 1: .*8\.30/),
      'Row 3: shift_id "Q-1" already appears on row 2 of this file.',
    ]);
  });

  it('reads a number cell with three decimals as that number, where such text is ambiguous', async () => {
    // Prepare: an XLSX whose cost cells are numbers (a rate times hours): 380.005 and 12.345;
    // the same written as text in a CSV stays ambiguous (1.234 could be a thousands separator).
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Rota');
    sheet.addRow(GENERIC_SHIFT_HEADER.split(','));
    for (const [id, cost] of [
      ['N-1', 380.005],
      ['N-2', 12.345],
    ] as const) {
      sheet.addRow(Object.values({ ...GOOD_GENERIC_SHIFT, shift_id: id, cost_gbp: cost }));
    }
    await stores.raw.put(`${KEY}numbers.xlsx`, new Uint8Array(await book.xlsx.writeBuffer()));
    await stores.raw.put(
      `${KEY}numbers.csv`,
      [GENERIC_SHIFT_HEADER, row({ shift_id: 'N-3', cost_gbp: '12.345' })].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: both cells read (to the penny), the CSV text rejected as ambiguous.
    expect([
      manifestOf(summary, 'numbers.xlsx')?.accepted,
      manifestOf(summary, 'numbers.csv')?.rejectsByReason,
    ]).toEqual([2, { ambiguous_number: 1 }]);
    const costs = (await curatedRows('shifts', 'shift_id, cost_pence'))
      .filter((r) => String(r.shift_id).startsWith('N-'))
      .map((r) => [r.shift_id, Number(r.cost_pence)]);
    expect(costs).toEqual([
      ['N-1', 38001],
      ['N-2', 1235],
    ]);
  });

  it('rejects a clinician’s availability for one week and session given twice in a file', async () => {
    // Prepare: 30 h then 20 h for one clinician's in-hours week (the second silently replaced
    // the first in staging), an extended-hours row for the same week, and another clinician.
    const header = GENERIC_AVAILABILITY_HEADER;
    const line = genericAvailabilityLine;
    await stores.raw.put(
      'generic/U60865/availability/twice.csv',
      [
        header,
        line('AV-1', 'in_hours', 30),
        line('av-1 ', 'in_hours', 20),
        line('AV-1', 'extended_hours', 4),
        line('AV-2', 'in_hours', 30),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: the repeat rejected, naming the row it repeats; the rest accepted.
    const m = summary.ingested.find((f) => f.sourceFile.endsWith('twice.csv'));
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([
      4,
      3,
      { duplicate_availability: 1 },
    ]);
    const rejects = (await rejectsOf('twice.csv', 'message')).map((r) => r.message);
    expect(rejects).toEqual([
      'Row 2: the same clinician, network, week_start "2026-11-09" and session already appear on row 1 of this file.',
    ]);
  });

  it('fails a copy of a file it cannot read, as it fails the file, never as already ingested', async () => {
    // Prepare: an empty export and two copies of it; binary bytes named .csv and one copy.
    const files = ['a-empty.csv', 'b-copy.csv', 'c-copy.csv', 'd-zip.csv', 'e-copy.csv'];
    for (const name of files.slice(0, 3)) await stores.raw.put(`${KEY}${name}`, '');
    for (const name of files.slice(3)) await stores.raw.put(`${KEY}${name}`, 'PK\u0003\u0004');
    // Act, twice: the second run finds the same.
    for (const run of [1, 2]) {
      const summary = await ingestTestStores(stores, engine);
      // Assess: all five failed, each copy naming the file it copies and that file's reason.
      const mine = (keys: string[]) => keys.filter((k) => files.some((f) => k === `${KEY}${f}`));
      expect(mine(summary.failed.map((f) => f.key)).sort(), `run ${run}`).toEqual(
        files.map((f) => `${KEY}${f}`).sort(),
      );
      expect(mine(summary.skipped)).toEqual([]);
      expect(summary.sameContent.filter((s) => mine([s.key]).length > 0)).toEqual([]);
      expect(summary.failed.find((f) => f.key === `${KEY}b-copy.csv`)?.reason).toBe(
        `${KEY}b-copy.csv: not read, as it has the same content as ${KEY}a-empty.csv, which failed: Cannot read export ${KEY}a-empty.csv: the file is empty`,
      );
    }
    for (const name of files) await stores.raw.delete(`${KEY}${name}`);
  });

  it('takes no placeholder for a clinician: #N/A, N/A, TBC, NULL, a dash, 0', async () => {
    // Prepare: filled shifts whose person is a placeholder (a VLOOKUP's #N/A, a null word), an
    // unfilled one with N/A (nobody, as it should be), and availability for "TBC".
    const placeholders = ['#N/A', 'N/A', 'n/a', 'NULL', 'None', '-', 'TBC', 'VACANT', '0', '#REF!'];
    await stores.raw.put(
      `${KEY}placeholders.csv`,
      [
        GENERIC_SHIFT_HEADER,
        ...placeholders.map((p, i) => row({ shift_id: `PH-${i}`, person_id: p })),
        row({
          shift_id: 'PH-open',
          person_id: 'N/A',
          status: 'unfilled',
          engagement: '',
          cost_gbp: '',
        }),
        row({ shift_id: 'PH-real', person_id: 'NAT-001' }),
      ].join('\n'),
    );
    await stores.raw.put(
      'generic/U60865/availability/placeholders.csv',
      [
        'person_id,network_code,home_practice_code,role,engagement,week_start,session_type,available_hours,exported_at',
        'TBC,U60865,F84025,gp,salaried,2026-11-09,in_hours,30,2026-11-16 07:00',
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: every placeholder of a filled shift rejected as no person, saying so; the open
    // shift and the real clinician accepted; the availability rejected.
    const shifts = manifestOf(summary, 'placeholders.csv');
    expect([shifts?.accepted, shifts?.rejectsByReason]).toEqual([2, { missing_person: 10 }]);
    const availability = summary.ingested.find(
      (m) => m.kind === 'availability' && m.sourceFile.endsWith('placeholders.csv'),
    );
    expect([availability?.accepted, availability?.rejectsByReason]).toEqual([
      0,
      { missing_person: 1 },
    ]);
    const messages = (await rejectsOf('placeholders.csv', 'source_row, message')).map((r) =>
      String(r.message),
    );
    expect(messages).toContain(
      'Row 1: the shift is filled but person_id holds a placeholder (such as N/A, #N/A or TBC), not a person.',
    );
    expect(messages).toContain(
      'Row 1: person_id holds a placeholder (such as N/A, #N/A or TBC), not a person.',
    );
  });

  it('rejects a publication or fill time outside the plausible dates or after the export', async () => {
    // Prepare: a shift on 10 Nov 2026, exported 16 Nov 2026: published in 1970 (more than two
    // years before it), filled in 2062, filled a month after the export; and a fill after the
    // shift started, which is a late fill, not an error.
    await stores.raw.put(
      `${KEY}times.csv`,
      [
        GENERIC_SHIFT_HEADER,
        row({ shift_id: 'TM-1', published_at: '1970-01-01 00:00' }),
        row({ shift_id: 'TM-2', filled_at: '2062-11-01 16:00' }),
        row({ shift_id: 'TM-3', filled_at: '2026-12-16 09:00' }),
        row({ shift_id: 'TM-4', filled_at: '2026-11-10 09:00' }),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess
    const m = manifestOf(summary, 'times.csv');
    expect([m?.accepted, m?.rejectsByReason]).toEqual([1, { date_out_of_range: 3 }]);
    const messages = (await rejectsOf('times.csv', 'source_row, message')).map((r) =>
      String(r.message),
    );
    expect(messages).toEqual([
      'Row 1: published_at "1970-01-01 00:00" is outside the plausible dates 2024-11-10 to 2026-11-23 (check the year).',
      'Row 2: filled_at "2062-11-01 16:00" is outside the plausible dates 2024-11-10 to 2026-11-23 (check the year).',
      'Row 3: filled_at "2026-12-16 09:00" is outside the plausible dates 2024-11-10 to 2026-11-23 (check the year).',
    ]);
  });

  it('reads a session type written in words, and quotes hours as written', async () => {
    // Prepare: "In Hours" availability and an "Extended Hours" shift; hours -5 and 168.0001.
    const header =
      'person_id,network_code,home_practice_code,role,engagement,week_start,session_type,available_hours,exported_at';
    const line = (person: string, session: string, hours: string) =>
      `${person},U60865,F84025,gp,salaried,2026-11-09,${session},${hours},2026-11-16 07:00`;
    await stores.raw.put(
      'generic/U60865/availability/words.csv',
      [
        header,
        line('WD-1', 'In Hours', '30'),
        line('WD-2', 'in_hours', '-5'),
        line('WD-3', '', '168.0001'),
      ].join('\n'),
    );
    await stores.raw.put(
      `${KEY}words.csv`,
      [
        GENERIC_SHIFT_HEADER,
        row({
          shift_id: 'WD-S',
          session_type: 'Extended Hours',
          start_time: '18:30',
          end_time: '20:00',
        }),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess
    const words = summary.ingested.filter((m) => m.sourceFile.endsWith('/words.csv'));
    expect(words.map((m) => [m.kind, m.accepted, m.rejected])).toEqual([
      ['availability', 1, 2],
      ['shifts', 1, 0],
    ]);
    const [shift] = (await curatedRows('shifts', 'shift_id, session_type')).filter(
      (r) => r.shift_id === 'WD-S',
    );
    expect(shift?.session_type).toBe('extended_hours');
    const messages = (await rejectsOf('availability/words.csv', 'source_row, message')).map((r) =>
      String(r.message),
    );
    expect(messages).toEqual([
      'Row 2: available_hours "-5" is negative.',
      'Row 3: available_hours "168.0001" is more than the 168 hours in a week.',
    ]);
  });

  it('keeps no person id typed into another column of its row in the rejects', async () => {
    // Prepare: the row's person id in its role column too (columns shifted by hand), and in the
    // practice column of another row.
    await stores.raw.put(
      `${KEY}shifted.csv`,
      [
        GENERIC_SHIFT_HEADER,
        row({ shift_id: 'SH-1', person_id: 'GMC-SHIFTED-1', role: 'GMC-SHIFTED-1' }),
        row({ shift_id: 'SH-2', person_id: 'gmc-shifted-2', practice_code: 'GMC-SHIFTED-2' }),
      ].join('\n'),
    );
    // Act
    await ingestTestStores(stores, engine);
    // Assess: rejected for the role and the practice, each quoting the pseudonym.
    const rejects = (await rejectsOf('shifted.csv', 'source_row, message, raw_values')).map((r) => [
      String(r.message),
      String(r.raw_values),
    ]);
    expect(rejects).toHaveLength(2);
    expect(JSON.stringify(rejects)).not.toMatch(/SHIFTED/i);
    expect(rejects[0]?.[0]).toMatch(
      /^Row 1: role "pseudonym:[0-9a-f]{32}" is not a Rotascope role/,
    );
    const raw = JSON.parse(rejects[1]?.[1] ?? '{}') as Record<string, string>;
    expect(raw.practice_code).toBe(raw.person_id);
    expect(raw.practice_code).toMatch(/^pseudonym:[0-9a-f]{32}$/);
  });

  it('keeps no raw person id in the rejects from a repeated or differently spelled person column', async () => {
    // Prepare: a rejected row (status "maybe") in each file, with ids planted in the columns.
    const bad = { status: 'maybe', person_id: 'SECRET-FIRST' };
    await stores.raw.put(
      `${KEY}repeated.csv`,
      `${GENERIC_SHIFT_HEADER},person_id\n${row({ ...bad, shift_id: 'R-1' })},SECRET-SECOND\n`,
    );
    await stores.raw.put(
      `${KEY}spelled.csv`,
      `${GENERIC_SHIFT_HEADER.replace('person_id', 'Person ID')}\n${row({ ...bad, shift_id: 'S-1', person_id: 'SECRET-SPELLED' })}\n`,
    );
    // Act
    const summary = await ingestTestStores(stores, engine);
    // Assess: each row rejected, and the raw values hold pseudonyms only.
    expect([summary.rowsIn, summary.accepted, summary.rejected]).toEqual([2, 0, 2]);
    const rejects = (await curatedRows('rejects', 'source_file, raw_values')).filter((r) =>
      /(repeated|spelled)\.csv$/.test(String(r.source_file)),
    );
    expect(rejects).toHaveLength(2);
    for (const r of rejects) {
      const raw = JSON.parse(String(r.raw_values)) as Record<string, string>;
      expect(JSON.stringify(raw)).not.toContain('SECRET');
      for (const [column, value] of Object.entries(raw)) {
        if (/person/i.test(column)) expect(value, column).toMatch(/^pseudonym:[0-9a-f]{32}$/);
      }
    }
  });
});
