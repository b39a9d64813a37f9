/**
 * The fix-the-lookup workflow of docs/mappings.md, end to end, on a folder store and on S3
 * (s3rver on 127.0.0.1): a RotaCloud export of 3 shifts whose third is at a location the lookup
 * does not know is ingested (2 accepted, 1 rejected: unmapped_value), metrics are computed; the
 * missing lookup row is added, `ingest --force` re-ingests the same raw file (same content hash,
 * same curated keys, other content), metrics are computed again and now count all 3 shifts, the
 * stale rejects file is gone, and data quality says 3 accepted, 0 rejected.
 *
 * The export (week of Monday 9 November 2026, GMT so London time = UTC), exported 16 Nov 07:00:
 *   5101  location 101 (F84025)  role 11 (gp, salaried)              Tue 10 Nov 09:00-13:00  4 h
 *   5102  location 102 (F84054)  role 13 (practice_nurse, salaried)  Tue 10 Nov 13:00-17:00  4 h
 *   5103  location 105 (not in the lookup until the fix)  role 11   Wed 11 Nov 09:00-12:00  3 h
 * Before the fix: demand 2 shifts, 4 + 4 = 8 hours. After: 3 shifts, 8 + 3 = 11 hours.
 */
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import {
  computeMetrics,
  type MetricTables,
  metricTable,
  writeMetrics,
} from '../../../src/metrics/compute-metrics.js';
import { packageRoot } from '../../../src/package-root.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const KEY = 'rotacloud/U60865/shifts/shifts-2026-11-16T0700.json';
const unix = (iso: string) => Date.parse(iso) / 1000;
const shift = (
  id: number,
  location: number,
  role: number,
  user: number,
  from: string,
  to: string,
) => ({
  id,
  deleted: false,
  published: true,
  open: false,
  start_time: unix(from),
  end_time: unix(to),
  minutes_break: 0,
  user,
  location,
  role,
});
const EXPORT = JSON.stringify([
  shift(5101, 101, 11, 601, '2026-11-10T09:00:00Z', '2026-11-10T13:00:00Z'),
  shift(5102, 102, 13, 602, '2026-11-10T13:00:00Z', '2026-11-10T17:00:00Z'),
  shift(5103, 105, 11, 603, '2026-11-11T09:00:00Z', '2026-11-11T12:00:00Z'),
]);

interface Figures {
  ingest: IngestSummary;
  tables: MetricTables;
  rejectKeys: string[];
}

describe.each(['local', 's3'] as const)(
  'fix the lookup, re-ingest, recompute (%s store)',
  (kind) => {
    let stores: TestStores;
    let engine: DuckDbEngine;
    let mappingsDir: string;
    let before: Figures;
    let after: Figures;
    let rerun: Awaited<ReturnType<typeof writeMetrics>>;
    let forcedRerun: Awaited<ReturnType<typeof writeMetrics>>;

    const run = async (force: boolean): Promise<Figures> => {
      const ingest = await ingestTestStores(stores, engine, { force, mappingsDir });
      const tables = await computeMetrics({ engine, curated: stores.curated });
      const rejectKeys = (await stores.curated.list('rejects/')).map((o) => o.key);
      return { ingest, tables, rejectKeys };
    };

    beforeAll(async () => {
      stores = await openTestStores(kind);
      engine = await DuckDbEngine.open();
      mappingsDir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-mappings-'));
      await cp(path.join(packageRoot, 'mappings'), mappingsDir, { recursive: true });
      await stores.raw.put(KEY, EXPORT);
      before = await run(false);
      // The fix docs/mappings.md describes: add the missing row to the lookup table.
      await appendFile(
        path.join(mappingsDir, 'lookups', 'rotacloud-locations.csv'),
        '105,F84062,on_site,Chrisp Street annexe\n',
      );
      after = await run(true);
      // Nothing changed since: compaction leaves every partition alone.
      rerun = await writeMetrics({ engine, curated: stores.curated });
      // A forced re-ingest with nothing to fix rewrites the same curated objects; figures stay.
      await ingestTestStores(stores, engine, { force: true, mappingsDir });
      forcedRerun = await writeMetrics({ engine, curated: stores.curated });
    }, 120_000);
    afterAll(async () => {
      await engine?.close();
      await stores?.close();
      if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
    });

    it('first ingest: 3 rows = 2 accepted + 1 rejected (location 105 not in the lookup)', () => {
      expect(before.ingest.ingested).toHaveLength(1);
      expect(before.ingest.ingested[0]).toMatchObject({
        rowsIn: 3,
        accepted: 2,
        rejected: 1,
        rejectsByReason: { unmapped_value: 1 },
      });
      expect(before.rejectKeys).toHaveLength(1);
      expect(tableRows(metricTable(before.tables, 'network_week'))).toMatchObject([
        { network_code: 'U60865', week_start: '2026-11-09', demand_shifts: 2, demand_hours: 8 },
      ]);
      expect(tableRows(metricTable(before.tables, 'data_quality'))).toMatchObject([
        { network_code: 'U60865', rows_received: 3, rows_accepted: 2, rows_rejected: 1 },
      ]);
    });

    it('after the fix and ingest --force: the same file, 3 accepted, its curated keys rewritten', () => {
      const [first] = before.ingest.ingested;
      const [second] = after.ingest.ingested;
      expect(second).toMatchObject({ rowsIn: 3, accepted: 3, rejected: 0, rejectsByReason: {} });
      expect(second?.contentSha256).toBe(first?.contentSha256);
      // Same partition (U60865, week of 9 Nov), same key: the curated file changed in place.
      expect(second?.curatedKeys).toEqual(
        first?.curatedKeys.filter((k) => k.startsWith('shifts/')),
      );
    });

    it('the stale rejects file is deleted; raw is untouched', async () => {
      expect(after.rejectKeys).toEqual([]);
      expect(Buffer.from(await stores.raw.get(KEY)).toString('utf8')).toBe(EXPORT);
    });

    it('metrics count the corrected row: 3 shifts, 8 + 3 = 11 hours', () => {
      expect(tableRows(metricTable(after.tables, 'network_week'))).toMatchObject([
        { network_code: 'U60865', week_start: '2026-11-09', demand_shifts: 3, demand_hours: 11 },
      ]);
      expect(
        tableRows(metricTable(after.tables, 'practice_week')).map((r) => r.practice_code),
      ).toEqual(['F84025', 'F84054', 'F84062']);
    });

    it('data quality says 3 accepted, 0 rejected, and no reject reasons remain', () => {
      expect(tableRows(metricTable(after.tables, 'data_quality'))).toMatchObject([
        { network_code: 'U60865', rows_received: 3, rows_accepted: 3, rows_rejected: 0 },
      ]);
      expect(tableRows(metricTable(after.tables, 'rejects_by_reason'))).toEqual([]);
    });

    it('compaction rebuilds only what changed', () => {
      expect(rerun.compaction.shifts).toMatchObject({ rebuilt: 0, extended: 0, filesRead: 0 });
      // The forced re-ingest wrote identical objects again: on S3 their ETags are the same (no
      // work); a folder store cannot tell without reading them, so it rebuilds the partition.
      expect(forcedRerun.compaction.shifts.rebuilt).toBe(kind === 's3' ? 0 : 1);
    });
  },
);
