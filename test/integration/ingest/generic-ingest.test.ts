/**
 * Ingest of the generic layout, end to end through real DuckDB and real stores (a temp folder
 * and s3rver on 127.0.0.1), on a 14-row fixture whose every outcome is worked out by hand in
 * the comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { contentHash } from '../../../src/ingest/ingest-file.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');
const SHIFTS_KEY = 'generic/U60865/shifts/2026-11-09.csv';
const AVAILABILITY_KEY = 'generic/U60865/availability/2026-11-09.csv';
const BROKEN_KEY = 'generic/U60865/shifts/broken.csv';

describe.each(['local', 's3'] as const)('ingest of generic exports (%s store)', (kind) => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let summary: IngestSummary;
  let rawBytes: Uint8Array;
  const ingest = async (force = false) => ingestTestStores(stores, engine, { force });
  const curatedRows = async (table: string, extra = '') => {
    const dir = await stageLocally(
      stores.curated,
      `${table}/`,
      path.join(stores.dir, `stage-${table}-${Date.now()}`),
    );
    return tableRows<Record<string, unknown>>(
      await engine.query(
        `select * from read_parquet(${sqlString(`${dir}/**/*.parquet`)}, hive_partitioning = true) ${extra}`,
      ),
    );
  };

  beforeAll(async () => {
    // Prepare
    stores = await openTestStores(kind);
    engine = await DuckDbEngine.open();
    rawBytes = await readFile(path.join(FIXTURES, 'u60865-shifts.csv'));
    await stores.raw.put(SHIFTS_KEY, rawBytes);
    await stores.raw.put(
      AVAILABILITY_KEY,
      await readFile(path.join(FIXTURES, 'u60865-availability.csv')),
    );
    await stores.raw.put(BROKEN_KEY, await readFile(path.join(FIXTURES, 'missing-status.csv')));
    await stores.raw.put('README.txt', 'not an export');
    // Act
    summary = await ingest();
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('conserves rows: in = accepted + rejected, per file and in total', () => {
    const shifts = summary.ingested.find((m) => m.sourceFile === SHIFTS_KEY);
    // 14 rows: S1-S8 and S14 are fine (9); rows 9-13 are wrong on purpose (5).
    expect(shifts).toMatchObject({ rowsIn: 14, accepted: 9, rejected: 5 });
    expect(shifts?.rejectsByReason).toEqual({
      bad_date: 1, // row 9: 31/02/2026
      unknown_practice: 1, // row 10: F99999
      duplicate_shift_id: 1, // row 11: S1 again
      missing_person: 1, // row 12: filled, no person
      network_mismatch: 1, // row 13: F84012 is in U54453
    });
    const availability = summary.ingested.find((m) => m.sourceFile === AVAILABILITY_KEY);
    expect(availability).toMatchObject({
      rowsIn: 3,
      accepted: 1,
      rejected: 2,
      rejectsByReason: { bad_number: 1, not_week_start: 1 },
    });
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
  });

  it('fails an unreadable file with one clear message naming it, and goes on with the rest', () => {
    const reason = `Cannot read export ${BROKEN_KEY}: missing required column status; the file has: shift_id, practice_code, role, date, start_time, end_time`;
    expect(summary.failed).toEqual([
      { key: BROKEN_KEY, reason, lines: [reason], kind: 'unreadable' },
    ]);
    expect(summary.ignored).toEqual([
      {
        key: 'README.txt',
        reason:
          'the file is at the top of the raw area; exports go in <source_system>/<network_code>/<shifts|availability>/<file>',
      },
    ]);
  });

  it('never changes or removes the raw exports', async () => {
    expect(Buffer.from(await stores.raw.get(SHIFTS_KEY)).equals(Buffer.from(rawBytes))).toBe(true);
    expect((await stores.raw.list()).map((o) => o.key)).toEqual([
      'README.txt',
      AVAILABILITY_KEY,
      SHIFTS_KEY,
      BROKEN_KEY,
    ]);
  });

  it('writes Parquet partitioned by network and week', async () => {
    const keys = (await stores.curated.list('shifts/')).map((o) =>
      o.key.replace(/[0-9a-f]{24}\.parquet$/, '<hash>.parquet'),
    );
    expect(keys).toEqual([
      'shifts/network_code=U60865/week_start=2026-10-19/<hash>.parquet',
      'shifts/network_code=U60865/week_start=2026-11-02/<hash>.parquet',
      'shifts/network_code=U60865/week_start=2026-11-09/<hash>.parquet',
    ]);
  });

  it('maps each row onto the canonical shift, in Europe/London time', async () => {
    const rows = await curatedRows('shifts', 'order by shift_id');
    const byId = Object.fromEntries(rows.map((r) => [r.shift_id, r]));
    expect(Object.keys(byId)).toEqual(['S1', 'S14', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8']);
    // S1: 08:30-12:30 GMT on Monday 9 Nov, 4 hours, £232.00.
    expect(byId.S1).toMatchObject({
      start_at: '2026-11-09T08:30:00.000Z',
      end_at: '2026-11-09T12:30:00.000Z',
      hours: 4,
      cost_pence: 23200,
      session_type: 'in_hours',
      staff_group: 'gp',
      icb_code: 'QMF',
      week_start: '2026-11-09',
      status: 'filled',
      engagement: 'salaried',
      arrs_funded: false,
    });
    expect(byId.S3).toMatchObject({ shift_date: '2026-11-10', hours: 7.5 }); // UK date 10/11/2026; 8.5 h less an hour's break
    expect(byId.S5).toMatchObject({ network_code: 'U60865', session_type: 'extended_hours' }); // network from reference; Saturday 09:00
    expect(byId.S6).toMatchObject({
      session_type: 'extended_hours',
      delivery: 'remote',
      hours: 1.5,
    }); // Thursday 18:30
    // S7: Sunday 23:30 to Monday 07:30 is 8 hours and belongs to the week it starts in.
    expect(byId.S7).toMatchObject({
      week_start: '2026-11-09',
      start_hour: 23,
      start_minute: 1410, // 23:30
      hours: 8,
      status: 'unfilled',
      engagement: null,
      cost_pence: null,
    });
    // S8: Saturday 24 Oct 22:00 BST to Sunday 07:00 GMT spans the clock change: 10 hours, not 9.
    expect(byId.S8).toMatchObject({
      start_at: '2026-10-24T21:00:00.000Z',
      end_at: '2026-10-25T07:00:00.000Z',
      start_minute: 1320, // 22:00 local (BST), not 21:00 UTC
      hours: 10,
    });
    expect(byId.S8?.published_at).toBe('2026-10-01T09:00:00.000Z'); // 10:00 BST
  });

  it('pseudonymises clinicians: the same person gets the same key, and no raw id reaches curated data', async () => {
    const rows = await curatedRows('shifts');
    const keyOf = (id: string) => rows.find((r) => r.shift_id === id)?.clinician_key;
    expect(keyOf('S1')).toMatch(/^[0-9a-f]{32}$/);
    expect(keyOf('S6')).toBe(keyOf('S1')); // "gmc-7000001 " is GMC-7000001
    expect(keyOf('S5')).not.toBe(keyOf('S1'));
    expect(keyOf('S2')).toBeNull();
    for (const { key } of await stores.curated.list()) {
      const text = Buffer.from(await stores.curated.get(key)).toString('latin1');
      expect(text, key).not.toMatch(/GMC-7|NMC-7/i);
    }
  });

  it('stores rejects with the raw values, row number, reason and a readable message', async () => {
    const rejects = await curatedRows('rejects', 'order by source_file, source_row');
    expect(rejects.map((r) => [r.source_row, r.reason_code])).toEqual([
      [2, 'bad_number'],
      [3, 'not_week_start'],
      [9, 'bad_date'],
      [10, 'unknown_practice'],
      [11, 'duplicate_shift_id'],
      [12, 'missing_person'],
      [13, 'network_mismatch'],
    ]);
    const duplicate = rejects.find((r) => r.reason_code === 'duplicate_shift_id');
    expect(duplicate?.message).toBe('Row 11: shift_id "S1" already appears on row 1 of this file.');
    // Raw values as exported, except the person id, which is replaced by its pseudonym.
    expect(JSON.parse(String(duplicate?.raw_values))).toMatchObject({
      shift_id: 'S1',
      date: '2026-11-09',
      person_id: expect.stringMatching(/^pseudonym:[0-9a-f]{32}$/),
    });
    expect(rejects.find((r) => r.reason_code === 'network_mismatch')?.message).toBe(
      'Row 13: practice "F84012" is not in network "U60865".',
    );
  });

  it('maps availability with pseudonymised clinicians', async () => {
    const rows = await curatedRows('availability');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      network_code: 'U60865',
      week_start: '2026-11-09',
      available_hours: 20,
      role: 'gp',
    });
    expect(rows[0]?.clinician_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is idempotent: a second run skips ingested files; a forced one rewrites byte-identical objects', async () => {
    // The ingest reports (ingests/*.json) record when and how long; every data object must match.
    const snapshot = async () => {
      const out = new Map<string, string>();
      for (const { key } of await stores.curated.list()) {
        if (!key.startsWith('ingests/')) out.set(key, contentHash(await stores.curated.get(key)));
      }
      return out;
    };
    const before = await snapshot();
    const again = await ingest();
    expect(again.ingested).toEqual([]);
    expect(again.skipped.sort()).toEqual([AVAILABILITY_KEY, SHIFTS_KEY]);
    // Each skipped as itself, so none is named as a copy of another.
    expect(again.sameContent).toEqual([]);
    const forced = await ingestTestStores(stores, engine, {
      force: true,
      at: '2026-12-01T10:00:00Z',
    });
    expect(forced.ingested).toHaveLength(2);
    expect([...before.keys()].some((k) => k.startsWith('rejects/'))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('takes the same export uploaded twice in one folder once, even in one run and forced, and names the copy', async () => {
    const copy = 'generic/U60865/shifts/2026-11-09 (copy).csv';
    await stores.raw.put(copy, await stores.raw.get(SHIFTS_KEY));
    try {
      // Listed first (a space sorts before a dot), the copy is the one a forced run takes.
      const [first, second] = [SHIFTS_KEY, copy].sort();
      for (const force of [false, true]) {
        const run = await ingestTestStores(stores, engine, { force });
        const shifts = run.ingested.filter((m) => m.kind === 'shifts');
        expect(shifts.map((m) => m.sourceFile)).toEqual(force ? [first] : []);
        expect(run.skipped).toContain(second);
        // The file not read is named with the upload it repeats: the original, ingested in an
        // earlier run (the plain run), or the copy, ingested earlier in this one (the forced run).
        expect(run.sameContent).toEqual([
          force ? { key: second, ingestedAs: first } : { key: copy, ingestedAs: SHIFTS_KEY },
        ]);
        expect(run.failed.map((f) => f.key)).toEqual([BROKEN_KEY]);
      }
    } finally {
      await stores.raw.deletePrefix(copy);
    }
  });
});
