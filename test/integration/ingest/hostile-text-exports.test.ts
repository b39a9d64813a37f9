/**
 * CSV and JSON exports a ninth-session audit found read wrong without a word: rows lost inside a
 * quote that closed too late, people merged by rounding, values Excel wraps to keep as text. Each
 * case checks rows in = accepted + rejected and what was accepted. Real DuckDB, a folder store,
 * the shipped mappings.
 */
import { describe, expect, it } from 'vitest';
import { manifestIn, useIngestedStores } from '../../helpers/curated-rows.js';
import {
  GENERIC_AVAILABILITY_HEADER,
  GENERIC_SHIFT_HEADER,
  genericAvailabilityLine,
  genericShiftLine,
  rotaCloudShift,
} from '../../helpers/generic-shift-row.js';
import { ingestTestStores } from '../../helpers/stores.js';

const { stores, engine, curatedRows } = useIngestedStores();

/** Accepted shifts (source_file and `columns`) of the raw files whose key holds `part`. */
const shiftsFrom = async (part: string, columns: string) =>
  (await curatedRows('shifts', `source_file, ${columns}`)).filter((r) =>
    String(r.source_file).includes(part),
  );

describe('hostile CSV and JSON exports', () => {
  it('keeps whole numbers beyond 2^53 exact in JSON however they are written, so two people stay two', async () => {
    // Prepare: RotaCloud shifts whose users (and ids) are 20-digit numbers one apart, written
    // with a fraction of zeros or an exponent, as exporters that go through a decimal type do.
    const KEY = 'rotacloud/U60865/shifts/';
    const json = [
      '[',
      [
        rotaCloudShift({ id: 'J1', user: 'U1' }),
        rotaCloudShift({ id: 'J2', user: 'U2' }),
        rotaCloudShift({ id: 'J3', user: 'U3' }),
        rotaCloudShift({ id: 'J4', user: 'U4' }),
      ]
        .map((s) => JSON.stringify(s))
        .join(',\n'),
      ']',
    ]
      .join('\n')
      .replace('"J1"', '1.2345678901234567890e19')
      .replace('"J2"', '1.2345678901234567891e19')
      .replace('"J3"', '5103')
      .replace('"J4"', '5104.0')
      .replace('"U1"', '12345678901234567890.0')
      .replace('"U2"', '12345678901234567891.0')
      .replace('"U3"', '1234567890123456789e1')
      .replace('"U4"', '12345678901234567891');
    await stores().raw.put(`${KEY}big-2026-11-16T0700.json`, json);
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: 4 rows, 4 accepted; the ids as their exact digits; users U1 and U3 one person
    // (12345678901234567890), U2 and U4 another: 2 people (before: the two ids were one,
    // 12345678901234567000, its second row a duplicate_shift_id; all four users one person).
    const m = manifestIn(summary, KEY, 'big-2026-11-16T0700.json');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 4, {}]);
    const shifts = await shiftsFrom('/big-', 'shift_id, clinician_key');
    expect(shifts.map((s) => s.shift_id)).toEqual([
      '12345678901234567890',
      '12345678901234567891',
      '5103',
      '5104',
    ]);
    const keyOf = (id: string) => shifts.find((s) => s.shift_id === id)?.clinician_key;
    expect(new Set(shifts.map((s) => s.clinician_key)).size).toBe(2);
    expect(keyOf('12345678901234567890')).toBe(keyOf('5103'));
    expect(keyOf('12345678901234567891')).toBe(keyOf('5104'));
  });

  it('does not let a quote that closes lines later take in the rows between', async () => {
    // Prepare: a notes column; row Q-2's note opens a quote it never closes, and Q-4's note ends
    // in an inch mark (5'10"), which closes it cleanly: read as written, Q-2's note held the lines
    // of Q-3 and Q-4, and the row had the header's fields. A second file with the same header
    // (read in one batch with the first) has the same rows twice over.
    const KEY = 'generic/U60865/shifts/';
    const lines = (prefix: string) => [
      `${genericShiftLine({ shift_id: `${prefix}-1` })},ok`,
      `${genericShiftLine({ shift_id: `${prefix}-2` })},"unclosed note`,
      `${genericShiftLine({ shift_id: `${prefix}-3` })},x`,
      `${genericShiftLine({ shift_id: `${prefix}-4` })},5'10"`,
      `${genericShiftLine({ shift_id: `${prefix}-5` })},fine`,
    ];
    const header = `${GENERIC_SHIFT_HEADER},notes`;
    await stores().raw.put(`${KEY}swallow.csv`, [header, ...lines('Q')].join('\n'));
    await stores().raw.put(
      `${KEY}swallow-twice.csv`,
      [header, ...lines('R'), ...lines('T')].join('\r\n'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: 5 rows in, Q-2 a malformed_row naming both lines, the rest accepted (before: 3 rows
    // = 3 accepted, Q-3 and Q-4 gone without a word); the second file likewise, twice.
    const counts = ['swallow.csv', 'swallow-twice.csv'].map((f) => {
      const m = manifestIn(summary, KEY, f);
      return [m?.rowsIn, m?.accepted, m?.rejectsByReason];
    });
    expect(counts).toEqual([
      [5, 4, { malformed_row: 1 }],
      [10, 8, { malformed_row: 2 }],
    ]);
    const ids = (await shiftsFrom('/swallow', 'shift_id')).map((r) => String(r.shift_id));
    expect(ids.filter((id) => /^[QRT]-/.test(id))).toEqual(
      ['R', 'T', 'Q'].flatMap((p) => [1, 3, 4, 5].map((n) => `${p}-${n}`)),
    );
    // In order of file name: swallow-twice.csv, then swallow.csv.
    const rejects = await curatedRows('rejects', 'source_file, source_row, message');
    expect(
      rejects.filter((r) => String(r.source_file).includes('swallow')).map((r) => r.message),
    ).toEqual([
      'Row 2: a quote opened on line 3 of the file closes only on line 5, taking in lines that are rows of their own, so the line cannot be split into fields; the lines after it are read as rows.',
      'Row 7: a quote opened on line 8 of the file closes only on line 10, taking in lines that are rows of their own, so the line cannot be split into fields; the lines after it are read as rows.',
      'Row 2: a quote opened on line 3 of the file closes only on line 5, taking in lines that are rows of their own, so the line cannot be split into fields; the lines after it are read as rows.',
    ]);
  });

  it('reads Excel\'s text formulas (="00123") as their text', async () => {
    // Prepare: exports that wrap values as Excel text formulas so that Excel keeps them as text:
    // a shift id with leading zeros, a person id also written plain on another row, an ODS code
    // (also CSV-quoted, "=""F84054"""), a cost; and a formula that is not one string, kept as it is.
    const KEY = 'generic/U60865/shifts/';
    const formula = [
      GENERIC_SHIFT_HEADER,
      genericShiftLine({ shift_id: '="00123"', person_id: '="GMC-7100001"' }),
      genericShiftLine({ shift_id: 'X-2', practice_code: '="F84025"', cost_gbp: '="150.25"' }),
      genericShiftLine({ shift_id: 'X-3', practice_code: '"=""F84054"""' }),
      genericShiftLine({ shift_id: '="X-" & "4"' }),
    ].join('\n');
    await stores().raw.put(`${KEY}formula.csv`, formula);
    await stores().raw.put(
      `${KEY}formula-2.csv`,
      formula.replaceAll('X-', 'Y-').replace('00123', '00124'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: every row accepted, with the text inside the formula (before: 4 rows = 2 accepted
    // + 2 unknown_practice, the id kept as ="00123", and GMC-7100001 two people).
    for (const f of ['formula.csv', 'formula-2.csv']) {
      const m = manifestIn(summary, KEY, f);
      expect([f, m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([f, 4, 4, {}]);
    }
    const shifts = await shiftsFrom(
      '/formula',
      'shift_id, practice_code, cost_pence, clinician_key',
    );
    // In order of file name (formula-2.csv first), then of id.
    expect(shifts.map((s) => [s.shift_id, s.practice_code, s.cost_pence])).toEqual([
      ['00124', 'F84698', 38000],
      ['="Y-" & "4"', 'F84698', 38000],
      ['Y-2', 'F84025', 15025],
      ['Y-3', 'F84054', 38000],
      ['00123', 'F84698', 38000],
      ['="X-" & "4"', 'F84698', 38000],
      ['X-2', 'F84025', 15025],
      ['X-3', 'F84054', 38000],
    ]);
    expect(new Set(shifts.map((s) => s.clinician_key)).size).toBe(1);
  });

  it('reads a value quoted twice over ("""GMC-1""" in the file) as its text', async () => {
    // Prepare: an exporter that puts quotes around values and then quotes them again as CSV:
    // a person id written so on one row and plainly on another, an ODS code, a cost.
    const KEY = 'generic/U60865/shifts/';
    await stores().raw.put(
      `${KEY}twice-quoted.csv`,
      [
        GENERIC_SHIFT_HEADER,
        genericShiftLine({ shift_id: '"""D-1"""', person_id: '"""GMC-7100001"""' }),
        genericShiftLine({
          shift_id: 'D-2',
          practice_code: '"""F84025"""',
          cost_gbp: '"""150.25"""',
        }),
        genericShiftLine({ shift_id: 'D-3' }),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: every row accepted, without the quotes, one clinician (before: 3 rows = 2 accepted
    // + 1 bad_number, the id "D-1" kept with its quotes and its person another clinician).
    const m = manifestIn(summary, KEY, 'twice-quoted.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([3, 3, {}]);
    const shifts = await shiftsFrom(
      '/twice-quoted',
      'shift_id, practice_code, cost_pence, clinician_key',
    );
    expect(shifts.map((r) => [r.shift_id, r.practice_code, r.cost_pence])).toEqual([
      ['D-1', 'F84698', 38000],
      ['D-2', 'F84025', 15025],
      ['D-3', 'F84698', 38000],
    ]);
    expect(new Set(shifts.map((r) => r.clinician_key)).size).toBe(1);
  });

  it("reads a value behind the apostrophe that guards it against running as a formula ('-150.25)", async () => {
    // Prepare: an exporter that guards cells starting with - + = @ with an apostrophe (the usual
    // CSV-injection escape): a cancellation with a credit, a filled shift with a negative cost; and
    // an apostrophe before an id that starts with a digit, which is no such guard.
    const KEY = 'generic/U60865/shifts/';
    await stores().raw.put(
      `${KEY}guarded.csv`,
      [
        GENERIC_SHIFT_HEADER,
        genericShiftLine({ shift_id: 'G-1', status: 'cancelled', cost_gbp: "'-150.25" }),
        genericShiftLine({ shift_id: 'G-2', cost_gbp: "'-45.00" }),
        genericShiftLine({ shift_id: "'0123" }),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: the cancellation accepted (before: bad_number, so it never superseded the shift it
    // cancels), the negative cost rejected as negative_value (before: bad_number), '0123 as is.
    const m = manifestIn(summary, KEY, 'guarded.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([3, 2, { negative_value: 1 }]);
    expect(
      (await shiftsFrom('/guarded', 'shift_id, status')).map((r) => [r.shift_id, r.status]),
    ).toEqual([
      ["'0123", 'filled'],
      ['G-1', 'cancelled'],
    ]);
  });

  it('rejects a person id Excel wrote in scientific notation, as different people read the same', async () => {
    // Prepare: 12-digit person ids (123456789012 and 123456789013) that Excel, saving as CSV,
    // wrote as 1.23457E+11 both; a shift with a plain id; availability with such an id.
    const KEY = 'generic/U60865/shifts/';
    await stores().raw.put(
      `${KEY}excel-ids.csv`,
      [
        GENERIC_SHIFT_HEADER,
        genericShiftLine({ shift_id: 'E-1', person_id: '1.23457E+11' }),
        genericShiftLine({ shift_id: 'E-2', person_id: '1.23457E+11' }),
        genericShiftLine({ shift_id: 'E-3', person_id: '123456789014' }),
        genericShiftLine({ shift_id: 'E-4', person_id: '1.5E+03', status: 'cancelled' }),
      ].join('\n'),
    );
    await stores().raw.put(
      'generic/U60865/availability/excel-ids.csv',
      [GENERIC_AVAILABILITY_HEADER, genericAvailabilityLine('9.87654E+15', '', 37.5)].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: the two filled shifts and the availability rejected as missing_person, saying why
    // (before: accepted, one clinician working both shifts); the plain id and the cancelled
    // shift accepted.
    const m = manifestIn(summary, KEY, 'excel-ids.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([4, 2, { missing_person: 2 }]);
    const a = manifestIn(summary, 'generic/U60865/availability/', 'excel-ids.csv');
    expect([a?.rowsIn, a?.accepted, a?.rejectsByReason]).toEqual([1, 0, { missing_person: 1 }]);
    expect((await shiftsFrom('/excel-ids', 'shift_id')).map((r) => r.shift_id)).toEqual([
      'E-3',
      'E-4',
    ]);
    const rejects = await curatedRows('rejects', 'source_file, source_row, message');
    expect(
      rejects.filter((r) => String(r.source_file).endsWith('/excel-ids.csv')).map((r) => r.message),
    ).toEqual([
      "Row 1: person_id is a number Excel wrote in scientific notation (like 1.23457E+11), with the id's last digits lost, so different people's ids read the same; save the column as text, or export from the system again.",
      "Row 1: person_id is a number Excel wrote in scientific notation (like 1.23457E+11), with the id's last digits lost, so different people's ids read the same; save the column as text, or export from the system again.",
      "Row 2: person_id is a number Excel wrote in scientific notation (like 1.23457E+11), with the id's last digits lost, so different people's ids read the same; save the column as text, or export from the system again.",
    ]);
  });

  it("reads dates with a month name, a weekday or Excel's midnight time", async () => {
    // Prepare: the same date, 10 November 2026 (a Tuesday), as rota exports and Excel write it;
    // a weekday that is not the date's, and a date column holding a clock time other than midnight.
    const KEY = 'generic/U60865/shifts/';
    const dates = [
      '10 Nov 2026',
      '10-Nov-26',
      'Tuesday, 10 November 2026',
      'Tue 10/11/2026',
      '10/11/2026 00:00',
      '2026-11-10T00:00:00',
      '2026/11/10',
      'Mon 10/11/2026',
      '10/11/2026 08:30',
    ];
    await stores().raw.put(
      `${KEY}date-words.csv`,
      [
        GENERIC_SHIFT_HEADER,
        ...dates.map((date, i) => genericShiftLine({ shift_id: `W-${i + 1}`, date: `"${date}"` })),
      ].join('\n'),
    );
    // Act
    const summary = await ingestTestStores(stores(), engine());
    // Assess: the first seven read as 2026-11-10 (before: all nine bad_date); the wrong weekday
    // and the clock time still bad_date.
    const m = manifestIn(summary, KEY, 'date-words.csv');
    expect([m?.rowsIn, m?.accepted, m?.rejectsByReason]).toEqual([9, 7, { bad_date: 2 }]);
    const shifts = await shiftsFrom('/date-words', 'shift_id, cast(shift_date as varchar) as d');
    expect(shifts.map((r) => [r.shift_id, r.d])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((n) => [`W-${n}`, '2026-11-10']),
    );
  });
});
