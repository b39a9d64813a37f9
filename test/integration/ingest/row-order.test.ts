/**
 * A large export's curated files hold its rows in source order, and the same bytes on every
 * ingest. The accepted rows and the rejects are written by partitioned COPYs with an ORDER BY; on
 * two threads such a COPY writes each thread's sorted run as it comes, so a partition's file held
 * two runs in whichever order the threads finished (found comparing two ingests of a 400,000-row
 * export: every partition's file differed, its rows in two sorted runs). The writes run on one thread (DuckDbEngine.onOneThread). The export here is large
 * enough for many DuckDB chunks per partition, staged through views, with a rejected row in ten,
 * written a few partitions at a time (`writeRows`) and all at once.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import {
  curatedSnapshot,
  ingestTestStores,
  openTestStores,
  type TestStores,
} from '../../helpers/stores.js';

const AT = '2026-11-16T09:00:00Z';
// Large enough that DuckDB splits the writes over its two threads: at 150,000 rows two ingests
// wrote different bytes before the writes ran on one thread (60,000 rows did not show it).
const ROWS = 150_000;
const PRACTICES = ['F84025', 'F84054', 'F84062', 'F84698'];
const KEY = 'generic/U60865/shifts/large.csv';

/** A generic shifts export over three weeks; every tenth row names an unknown practice. */
function largeExport(): string {
  const header =
    'shift_id,practice_code,network_code,role,engagement,arrs_funded,person_id,date,start_time,end_time,break_minutes,session_type,delivery,status,cost_gbp,published_at,filled_at,exported_at';
  const lines = [header];
  for (let i = 0; i < ROWS; i += 1) {
    const practice = i % 10 === 9 ? 'Z99999' : PRACTICES[i % PRACTICES.length];
    const day = String(26 + (i % 21)).padStart(2, '0');
    const date =
      Number(day) <= 31 ? `2026-10-${day}` : `2026-11-${String(Number(day) - 31).padStart(2, '0')}`;
    lines.push(
      `S-${i},${practice},U60865,gp,locum,false,P-${i % 700},${date},08:30,12:30,0,,on_site,filled,380.00,2026-10-01 10:00,2026-10-02 16:00,2026-11-15 07:00`,
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('row order of a large export', () => {
  const runs: Map<string, string>[] = [];
  const opened: TestStores[] = [];
  let engine: DuckDbEngine;

  beforeAll(async () => {
    engine = await DuckDbEngine.open();
    const body = largeExport();
    // In groups of at most 10,000 rows (written two at a time), and all 135,000 accepted rows in
    // one statement, and in groups again.
    for (const writeRows of [10_000, 1_000_000, 10_000]) {
      const stores = await openTestStores('local');
      if (opened[0]) await copyFile(path.join(opened[0].dir, 'key'), path.join(stores.dir, 'key'));
      opened.push(stores);
      await stores.raw.put(KEY, body);
      const summary = await ingestTestStores(stores, engine, {
        at: AT,
        stageInTablesUpTo: -1,
        writeRows,
      });
      expect(summary.failed).toEqual([]);
      expect(summary.rejected).toBe(ROWS / 10);
      runs.push(await curatedSnapshot(stores));
    }
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    for (const stores of opened) await stores.close();
  });

  it('holds every partition’s rows, and the rejects, in source order', async () => {
    const stores = opened[0] as TestStores;
    const files = (await stores.curated.list()).filter((o) => o.key.endsWith('.parquet'));
    expect(files.filter((f) => f.key.startsWith('shifts/')).length).toBeGreaterThanOrEqual(3);
    expect(files.some((f) => f.key.startsWith('rejects/'))).toBe(true);
    for (const { key } of files) {
      const local = path.join(stores.dir, 'curated', key);
      const [order] = tableRows<{ n: number; out_of_order: number }>(
        await engine.query(
          `select count(*) as n, count(*) filter (where step <= 0) as out_of_order from (
             select source_row - lag(source_row) over (order by file_row_number) as step
             from read_parquet(${sqlString(local)}, file_row_number = true, hive_partitioning = false))`,
        ),
      );
      expect(order?.n, key).toBeGreaterThan(2048);
      expect(order?.out_of_order, key).toBe(0);
    }
  });

  it('writes the same bytes every time, in groups or all at once', () => {
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });
});
