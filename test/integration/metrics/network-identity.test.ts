/**
 * Supersede is scoped by network: two networks on the same rostering system (generic) reuse the
 * same shift ids, and both keep all their shifts in the metric tables; a re-export within one
 * network still supersedes, including a shift moved to another practice of that network.
 *
 * Exports (all shifts 4 h, Tue 10 Nov 2026, week of Monday 9 Nov; each line one shift):
 *   generic/U60865/shifts/a.csv (exported Mon 16 Nov 07:00), practice F84698 (U60865):
 *     1001 filled, 1002 filled, 1003 filled
 *   generic/U54453/shifts/b.csv (exported Tue 17 Nov 07:00, later), practice F84012 (U54453):
 *     1001 filled, 1002 unfilled, 1003 filled
 *   generic/U60865/shifts/a2.csv (exported Wed 18 Nov 07:00), U60865's re-export:
 *     1002 cancelled (F84698), 1003 filled but moved to practice F84025 (same network)
 * Current versions: U60865 = 1001 filled @F84698, 1002 cancelled @F84698, 1003 filled @F84025
 *   -> demand 2 shifts (8 h), filled 2, cancelled 1; F84698 demand 1, F84025 demand 1.
 * U54453 = 1001 filled, 1002 unfilled, 1003 filled -> demand 3 (12 h), filled 2, unfilled 1.
 * Without the network in the identity, b.csv (later) would replace U60865's 1001-1003 and a2.csv
 * U54453's 1002-1003.
 * data_quality counts every version received (superseded ones are not lost): U60865 3 + 2 = 5
 * accepted, U54453 3 accepted, none rejected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import {
  computeMetrics,
  type MetricTables,
  metricTable,
} from '../../../src/metrics/compute-metrics.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const HEADER =
  'shift_id,practice_code,network_code,role,engagement,person_id,date,start_time,end_time,status,exported_at';
const row = (id: string, practice: string, network: string, status: string, at: string) =>
  [
    id,
    practice,
    network,
    'gp',
    status === 'filled' ? 'locum' : '',
    status === 'filled' ? `GMC-${network}-${id}` : '',
    '2026-11-10',
    '09:00',
    '13:00',
    status,
    at,
  ].join(',');
const file = (rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;

const EXPORTS: Record<string, string> = {
  'generic/U60865/shifts/a.csv': file(
    ['1001', '1002', '1003'].map((id) => row(id, 'F84698', 'U60865', 'filled', '2026-11-16 07:00')),
  ),
  'generic/U54453/shifts/b.csv': file([
    row('1001', 'F84012', 'U54453', 'filled', '2026-11-17 07:00'),
    row('1002', 'F84012', 'U54453', 'unfilled', '2026-11-17 07:00'),
    row('1003', 'F84012', 'U54453', 'filled', '2026-11-17 07:00'),
  ]),
  'generic/U60865/shifts/a2.csv': file([
    row('1002', 'F84698', 'U60865', 'cancelled', '2026-11-18 07:00'),
    row('1003', 'F84025', 'U60865', 'filled', '2026-11-18 07:00'),
  ]),
};

describe.each(['local', 's3'] as const)('shift identity scoped by network (%s store)', (kind) => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let tables: MetricTables;

  beforeAll(async () => {
    stores = await openTestStores(kind);
    engine = await DuckDbEngine.open();
    for (const [key, body] of Object.entries(EXPORTS)) await stores.raw.put(key, body);
    const summary = await ingestTestStores(stores, engine);
    expect(summary).toMatchObject({ rowsIn: 8, accepted: 8, rejected: 0, failed: [] });
    tables = await computeMetrics({ engine, curated: stores.curated });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('both networks keep all their shifts; the re-export supersedes within U60865', () => {
    expect(tableRows(metricTable(tables, 'network_week'))).toMatchObject([
      {
        network_code: 'U54453',
        week_start: '2026-11-09',
        demand_shifts: 3,
        demand_hours: 12,
        filled_shifts: 2,
        unfilled_shifts: 1,
        cancelled_shifts: 0,
      },
      {
        network_code: 'U60865',
        week_start: '2026-11-09',
        demand_shifts: 2,
        demand_hours: 8,
        filled_shifts: 2,
        unfilled_shifts: 0,
        cancelled_shifts: 1,
      },
    ]);
  });

  it('a shift moved between practices of one network counts once, at its new practice', () => {
    const practices = tableRows<{ practice_code: string; demand_shifts: number }>(
      metricTable(tables, 'practice_week'),
    ).map((r) => [r.practice_code, r.demand_shifts]);
    expect(practices).toEqual([
      ['F84012', 3],
      ['F84025', 1],
      ['F84698', 1],
    ]);
  });

  it('data quality: every accepted version counted, none lost, none rejected', () => {
    expect(
      tableRows(metricTable(tables, 'data_quality')).map((r) => [
        r.network_code,
        r.rows_received,
        r.rows_accepted,
        r.rows_rejected,
      ]),
    ).toEqual([
      ['U54453', 3, 3, 0],
      ['U60865', 5, 5, 0],
    ]);
  });
});

/**
 * The same bytes in two networks' folders are two files. A federation's export covering both
 * networks (U60865 at F84698, U54453 at F84012, ids 2001 and 2002), uploaded into each network's
 * folder as docs/generic-csv.md says: each copy keeps its network's row and rejects the other
 * (network_folder_mismatch). A forced re-ingest of either copy never deletes the other's data.
 */
describe('one export uploaded into two network folders', () => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  const body = file([
    row('2001', 'F84698', 'U60865', 'filled', '2026-11-16 07:00'),
    row('2002', 'F84012', 'U54453', 'filled', '2026-11-16 07:00'),
  ]);
  const keys = ['generic/U60865/shifts/federation.csv', 'generic/U54453/shifts/federation.csv'];

  beforeAll(async () => {
    stores = await openTestStores('local');
    engine = await DuckDbEngine.open();
    for (const key of keys) await stores.raw.put(key, body);
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
  });

  it('each copy is ingested for its own network; forced re-ingests keep both', async () => {
    const summary = await ingestTestStores(stores, engine);
    expect(summary.skipped).toEqual([]);
    expect(summary.ingested.map((m) => [m.sourceFile, m.accepted, m.rejected, m.networks])).toEqual(
      [
        [keys[1], 1, 1, ['U54453']],
        [keys[0], 1, 1, ['U60865']],
      ],
    );
    await ingestTestStores(stores, engine, { force: true, prefix: 'generic/U54453/' });
    const tables = await computeMetrics({ engine, curated: stores.curated });
    expect(
      tableRows(metricTable(tables, 'network_week')).map((r) => [r.network_code, r.filled_shifts]),
    ).toEqual([
      ['U54453', 1],
      ['U60865', 1],
    ]);
    expect(
      tableRows(metricTable(tables, 'data_quality')).map((r) => [
        r.network_code,
        r.rows_accepted,
        r.rows_rejected,
      ]),
    ).toEqual([
      ['U54453', 1, 1],
      ['U60865', 1, 1],
    ]);
  });
});
