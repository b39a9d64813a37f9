/**
 * start_minute, the local start in minutes after midnight, across the October 2026 clock change
 * (Sunday 25 October, 02:00 BST -> 01:00 GMT): an 18:30 start is minute 1110 on both sides, though
 * in UTC one is 17:30 and the other 18:30. Real DuckDB, a folder store, the generic layout.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { ingestTestStores, type TestStores, useStoresAndEngine } from '../../helpers/stores.js';

const HEADER =
  'shift_id,practice_code,network_code,role,engagement,arrs_funded,person_id,date,start_time,end_time,break_minutes,session_type,delivery,status,cost_gbp,published_at,filled_at,exported_at';
const row = (id: string, date: string, start: string, end: string) =>
  `${id},F84025,U60865,gp,,,,${date},${start},${end},0,,on_site,unfilled,,,,2026-11-16 07:00`;

let stores: TestStores;
let engine: DuckDbEngine;
useStoresAndEngine((opened) => {
  ({ stores, engine } = opened);
});

describe('start_minute at ingest', () => {
  it('is the local wall-clock minute on both sides of the October clock change', async () => {
    const csv = [
      HEADER,
      row('BST', '2026-10-19', '18:30', '20:00'), // Monday before the change: 17:30 UTC
      row('SAT', '2026-10-24', '23:45', '23:59'), // Saturday night before the change: 22:45 UTC
      row('GMT', '2026-10-26', '18:30', '20:00'), // Monday after the change: 18:30 UTC
      row('MID', '2026-10-26', '00:00', '01:00'), // midnight: minute 0
    ].join('\n');
    await stores.raw.put('generic/U60865/shifts/2026-10-26.csv', csv);
    const summary = await ingestTestStores(stores, engine);
    expect(summary.rejected).toBe(0);
    const dir = await stageLocally(stores.curated, 'shifts/', path.join(stores.dir, 'stage'));
    const rows = tableRows<Record<string, unknown>>(
      await engine.query(
        `select shift_id, start_at, start_hour, start_minute, session_type from read_parquet(${sqlString(`${dir}/**/*.parquet`)}) order by shift_id`,
      ),
    );
    expect(rows).toEqual([
      {
        shift_id: 'BST',
        start_at: '2026-10-19T17:30:00.000Z',
        start_hour: 18,
        start_minute: 1110,
        session_type: 'extended_hours',
      },
      {
        shift_id: 'GMT',
        start_at: '2026-10-26T18:30:00.000Z',
        start_hour: 18,
        start_minute: 1110,
        session_type: 'extended_hours',
      },
      {
        shift_id: 'MID',
        start_at: '2026-10-26T00:00:00.000Z',
        start_hour: 0,
        start_minute: 0,
        session_type: 'in_hours',
      },
      {
        shift_id: 'SAT',
        start_at: '2026-10-24T22:45:00.000Z',
        start_hour: 23,
        start_minute: 1425,
        session_type: 'in_hours',
      },
    ]);
  });
});
