/**
 * Night shifts across the Europe/London clock changes: the same wall-clock shift (22:00 to 07:00,
 * 9 hours on the clock) lasts 10 hours across the October change and 8 across the March change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const CSV = `shift_id,practice_code,role,date,start_time,end_time,status
OCT,F84698,gp,24/10/2026,22:00,07:00,unfilled
MAR,F84698,gp,28/03/2026,22:00,07:00,unfilled
JUN,F84698,gp,13/06/2026,22:00,07:00,unfilled
`;

let stores: TestStores;
let engine: DuckDbEngine;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  await stores.raw.put('generic/U60865/shifts/nights.csv', CSV);
  await ingestTestStores(stores, engine);
  const dir = await stageLocally(stores.curated, 'shifts/', stores.dir);
  rows = tableRows(
    await engine.query(
      `select shift_id, start_at, end_at, hours from read_parquet(${sqlString(`${dir}/**/*.parquet`)}) order by shift_id`,
    ),
  );
});
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

describe('clock changes', () => {
  it('makes the October night an hour longer and the March night an hour shorter', () => {
    expect(rows).toEqual([
      // 22:00 BST (21:00 UTC) on 13 Jun to 07:00 BST (06:00 UTC): 9 hours, no change.
      {
        shift_id: 'JUN',
        start_at: '2026-06-13T21:00:00.000Z',
        end_at: '2026-06-14T06:00:00.000Z',
        hours: 9,
      },
      // 22:00 GMT on 28 Mar to 07:00 BST (06:00 UTC) on 29 Mar: clocks go forward at 01:00 GMT.
      {
        shift_id: 'MAR',
        start_at: '2026-03-28T22:00:00.000Z',
        end_at: '2026-03-29T06:00:00.000Z',
        hours: 8,
      },
      // 22:00 BST (21:00 UTC) on 24 Oct to 07:00 GMT on 25 Oct: clocks go back at 02:00 BST.
      {
        shift_id: 'OCT',
        start_at: '2026-10-24T21:00:00.000Z',
        end_at: '2026-10-25T07:00:00.000Z',
        hours: 10,
      },
    ]);
  });
});
