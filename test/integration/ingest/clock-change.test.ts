/**
 * Night shifts across the Europe/London clock changes: the same wall-clock shift (22:00 to 07:00,
 * 9 hours on the clock) lasts 10 hours across the October change and 8 across the March change.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import { ingestAll } from '../../../src/ingest/ingest-all.js';
import { KeyFileSecrets } from '../../../src/ingest/pseudonymise.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { bundledReference } from '../../helpers/reference.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

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
  await ingestAll({
    engine,
    raw: stores.raw,
    curated: stores.curated,
    secrets: new KeyFileSecrets(path.join(stores.dir, 'key')),
    reference: await bundledReference(),
    clock: fixedClock('2026-11-16T09:00:00Z'),
  });
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
