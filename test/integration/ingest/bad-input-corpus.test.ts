/**
 * The bad-input corpus for the generic layout: every case is its own export, ingested with real
 * DuckDB into a temp folder; each asserts its reason and conservation (rows in = accepted +
 * rejected). File-level cases assert one clear message naming the file, and the raw file kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { GENERIC_SHIFT_HEADER, GOOD_GENERIC_SHIFT } from '../../helpers/generic-shift-row.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const HEADER = GENERIC_SHIFT_HEADER;
const GOOD: Record<string, string> = GOOD_GENERIC_SHIFT;
const line = (row: Record<string, string>) =>
  HEADER.split(',')
    .map((c) => {
      const v = row[c] ?? '';
      return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',');
/** A file of one good row and one bad row (the change). */
const withBadRow = (change: Record<string, string>) =>
  `${HEADER}\n${line(GOOD)}\n${line({ ...GOOD, shift_id: 'BAD', ...change })}\n`;

const ROW_CASES: [name: string, change: Record<string, string>, reason: string][] = [
  ['empty shift_id', { shift_id: '' }, 'missing_field'],
  // One 10 MB line (a runaway cell): the file is still read (read-export.ts retries with a
  // larger max_line_size), and the row is rejected instead of losing the whole file.
  ['one 10 MB line', { shift_id: 'x'.repeat(10 * 1024 * 1024) }, 'value_too_long'],
  ['empty date', { date: '' }, 'missing_field'],
  ['unknown status word', { status: 'maybe' }, 'unknown_status'],
  // A stray NUL byte loses only its row (to-utf8.ts keeps it visible as U+FFFD).
  ['a NUL byte in the status', { status: 'fil\u0000led' }, 'unknown_status'],
  ['31 February', { date: '31/02/2026' }, 'bad_date'],
  ['month 13', { date: '2026-13-01' }, 'bad_date'],
  ['American date', { date: '11/30/2026' }, 'bad_date'],
  ['hour 25', { start_time: '25:00' }, 'bad_time'],
  ['time with a dot', { end_time: '12.30' }, 'bad_time'],
  ['two-digit year in ISO order', { date: '26-11-10' }, 'bad_date'],
  ['break in words', { break_minutes: 'thirty' }, 'bad_number'],
  ['garbled cost', { cost_gbp: '£12.3.4' }, 'bad_number'],
  ['unknown practice', { practice_code: 'F99999' }, 'unknown_practice'],
  [
    'formula-looking practice',
    { practice_code: '=HYPERLINK("http://x","F84698")' },
    'unknown_practice',
  ],
  [
    'practice in no network, no network given',
    { practice_code: 'A84035', network_code: '' },
    'no_network',
  ],
  ['practice in another network', { practice_code: 'F84012' }, 'network_mismatch'],
  ['unknown role', { role: 'surgeon' }, 'unknown_role'],
  ['unknown engagement', { engagement: 'volunteer' }, 'unknown_engagement'],
  ['filled without engagement', { engagement: '' }, 'unknown_engagement'],
  ['filled without person', { person_id: '' }, 'missing_person'],
  ['negative cost', { cost_gbp: '-45.00' }, 'negative_value'],
  ['negative break', { break_minutes: '-10' }, 'negative_value'],
  [
    'end equal to start (zero-length)',
    { start_time: '09:00', end_time: '09:00' },
    'non_positive_hours',
  ],
  [
    'break longer than the shift',
    { start_time: '09:00', end_time: '10:00', break_minutes: '90' },
    'non_positive_hours',
  ],
  ['unknown session type', { session_type: 'evening' }, 'unknown_session_type'],
  ['unknown delivery', { delivery: 'moon' }, 'unknown_delivery'],
  ['not a boolean', { arrs_funded: 'maybe' }, 'bad_boolean'],
  ['not a timestamp', { published_at: 'yesterday' }, 'bad_timestamp'],
  ['duplicate id within the file', { shift_id: 'OK-1' }, 'duplicate_shift_id'],
];

const ACCEPTED_CASES: [name: string, body: string | Uint8Array, rows: number][] = [
  ['header only', `${HEADER}\n`, 0],
  ['UK date with a two-digit year', `${HEADER}\n${line({ ...GOOD, date: '10/11/26' })}\n`, 1],
  [
    '12-hour clock',
    `${HEADER}\n${line({ ...GOOD, start_time: '8:30 am', end_time: '12:30PM' })}\n`,
    1,
  ],
  [
    'semicolon-delimited',
    `${HEADER.replaceAll(',', ';')}\n${line(GOOD).replaceAll(',', ';')}\n`,
    1,
  ],
  [
    'CRLF line ends and a quoted newline',
    `${HEADER}\r\n${line(GOOD).replace('OK-1', '"OK\r\n1"')}\r\n`,
    1,
  ],
  ['UTF-8 byte-order mark', `\uFEFF${HEADER}\n${line({ ...GOOD, cost_gbp: '£1,380.00' })}\n`, 1],
  [
    'Windows-1252 with a £ sign',
    Uint8Array.from(
      Buffer.from(`${HEADER}\n${line({ ...GOOD, cost_gbp: '£380.00' })}\n`, 'latin1'),
    ),
    1,
  ],
  [
    // An export edited in two tools: a UTF-8 mark and a £ as the single Windows-1252 byte.
    'UTF-8 byte-order mark with a Windows-1252 £',
    Uint8Array.from([
      0xef,
      0xbb,
      0xbf,
      ...Buffer.from(`${HEADER}\n${line({ ...GOOD, cost_gbp: '£380.00' })}\n`, 'latin1'),
    ]),
    1,
  ],
  // A record over DuckDB's 2 MB line limit is still a readable CSV row (read-export.ts).
];

const FILE_CASES: [name: string, body: string | Uint8Array, message: string][] = [
  ['empty file', '', 'the file is empty'],
  ['blank lines only', '  \n\t\n\r\n', 'it holds only blank lines: no header row and no rows'],
  [
    'binary junk named .csv',
    Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 0x21, 0]),
    'it is not a text (CSV) file',
  ],
  [
    'missing required column',
    'shift_id,practice_code,role,date,start_time,end_time\nX,F84698,gp,2026-11-10,08:30,12:30\n',
    'missing required column status',
  ],
];

const keyFor = (name: string) => `generic/U60865/shifts/${name.replace(/[^a-z0-9]+/gi, '-')}.csv`;
let stores: TestStores;
let engine: DuckDbEngine;
let summary: IngestSummary;

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  for (const [name, change] of ROW_CASES) await stores.raw.put(keyFor(name), withBadRow(change));
  for (const [name, body] of [...ACCEPTED_CASES, ...FILE_CASES])
    await stores.raw.put(keyFor(name), body);
  summary = await ingestTestStores(stores, engine);
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

describe('bad-input corpus (generic layout)', () => {
  it('has at least 25 cases', () => {
    expect(ROW_CASES.length + FILE_CASES.length + ACCEPTED_CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(ROW_CASES)('%s -> %s, the good row kept', (name, _change, reason) => {
    const manifest = summary.ingested.find((m) => m.sourceFile === keyFor(name));
    expect(manifest).toMatchObject({
      rowsIn: 2,
      accepted: 1,
      rejected: 1,
      rejectsByReason: { [reason]: 1 },
    });
  });

  it.each(ACCEPTED_CASES)('%s is read', (name, _body, rows) => {
    const manifest = summary.ingested.find((m) => m.sourceFile === keyFor(name));
    expect(manifest).toMatchObject({ rowsIn: rows, accepted: rows, rejected: 0 });
  });

  it.each(FILE_CASES)(
    '%s fails the file with one clear message, and the file stays',
    async (name, _body, message) => {
      const failure = summary.failed.find((f) => f.key === keyFor(name));
      expect(failure?.reason).toContain(`Cannot read export ${keyFor(name)}: `);
      expect(failure?.reason).toContain(message);
      expect(failure?.reason).not.toContain('\n');
      expect(await stores.raw.exists(keyFor(name))).toBe(true);
    },
  );

  it('conserves rows over the whole corpus', () => {
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
    expect(summary.ingested.length + summary.failed.length).toBe(
      ROW_CASES.length + ACCEPTED_CASES.length + FILE_CASES.length,
    );
  });
});
