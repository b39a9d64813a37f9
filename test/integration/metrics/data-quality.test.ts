/**
 * data_quality and rejects_by_reason on the hand-made U60865 exports, through real ingest:
 * - u60865-shifts.csv, exported Mon 16 Nov 07:00: 14 rows, 9 accepted, 5 rejected (bad_date,
 *   unknown_practice, duplicate_shift_id, missing_person, network_mismatch: one each);
 * - u60865-shifts-amended.csv, exported Tue 17 Nov 12:00: 1 row (S2), accepted;
 * - u60865-availability.csv: 3 rows, 1 accepted, 2 rejected (bad_number, not_week_start), which
 *   count in rejects_by_reason (kind availability) but not in data_quality (shift rows only).
 * Both shift exports were taken in the week of Monday 16 November.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import {
  computeMetrics,
  type MetricTables,
  metricTable,
} from '../../../src/metrics/compute-metrics.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'exports');

let stores: TestStores;
let engine: DuckDbEngine;
let tables: MetricTables;

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  for (const [key, file] of [
    ['generic/U60865/shifts/2026-11-09.csv', 'u60865-shifts.csv'],
    ['generic/U60865/shifts/2026-11-09_amended.csv', 'u60865-shifts-amended.csv'],
    ['generic/U60865/availability/2026-11-09.csv', 'u60865-availability.csv'],
  ] as const) {
    await stores.raw.put(key, await readFile(path.join(FIXTURES, file)));
  }
  await ingestTestStores(stores, engine);
  tables = await computeMetrics({ engine, curated: stores.curated });
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

describe('data quality', () => {
  it('counts rows received, accepted and rejected per network and export week', () => {
    expect(tableRows(metricTable(tables, 'data_quality'))).toEqual([
      {
        network_code: 'U60865',
        week_start: '2026-11-16',
        files: 2,
        // 14 + 1 received; 9 + 1 accepted; 5 rejected; 5 / 15 = 1/3.
        rows_received: 15,
        rows_accepted: 10,
        rows_rejected: 5,
        reject_share: 5 / 15,
        latest_exported_at: '2026-11-17T12:00:00.000Z',
        // S7 starts Sunday 15 November 23:30, the last shift date among accepted rows.
        latest_shift_date: '2026-11-15',
      },
    ]);
  });

  it('breaks rejects down by kind and reason', () => {
    const rows = tableRows<{ kind: string; reason_code: string; rows_rejected: number }>(
      metricTable(tables, 'rejects_by_reason'),
    );
    expect(rows.map((r) => [r.kind, r.reason_code, r.rows_rejected])).toEqual([
      ['availability', 'bad_number', 1],
      ['availability', 'not_week_start', 1],
      ['shifts', 'bad_date', 1],
      ['shifts', 'duplicate_shift_id', 1],
      ['shifts', 'missing_person', 1],
      ['shifts', 'network_mismatch', 1],
      ['shifts', 'unknown_practice', 1],
    ]);
  });
});
