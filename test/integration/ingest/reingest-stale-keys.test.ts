/**
 * A re-ingest deletes the curated keys the file's previous ingest wrote that it does not write
 * again, and nothing else: here a lookup row is removed, so the shift that used it is now a reject
 * and the week it was in is no longer touched by this file. On a folder store and on S3.
 *
 * RotaCloud export, exported 16 Nov 07:00, two shifts (GMT, London = UTC):
 *   6001  location 101 (F84025)  Tue 10 Nov 09:00-13:00  week 2026-11-09
 *   6002  location 102 (F84054)  Tue 17 Nov 09:00-13:00  week 2026-11-16
 * A second export (another file) also has a shift in week 2026-11-16, so that week's folder stays.
 * After row 102 is removed from the lookup and `ingest --force`: 6002 is unmapped_value; the
 * first file's week-2026-11-16 key is deleted, a rejects file appears, the other file is untouched.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestManifest } from '../../../src/curated/ingest-manifest.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { packageRoot } from '../../../src/package-root.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const unix = (iso: string) => Date.parse(iso) / 1000;
const shift = (id: number, location: number, from: string, to: string) => ({
  id,
  deleted: false,
  published: true,
  open: false,
  start_time: unix(from),
  end_time: unix(to),
  minutes_break: 0,
  user: id,
  location,
  role: 11,
});
const KEY = 'rotacloud/U60865/shifts/shifts-2026-11-16T0700.json';
const OTHER = 'rotacloud/U60865/shifts/shifts-2026-11-23T0700.json';

describe.each(['local', 's3'] as const)('re-ingest removes stale curated keys (%s)', (kind) => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let mappingsDir: string;
  let first: IngestManifest;
  let second: IngestManifest;
  let before: string[];
  let after: string[];

  const curatedKeys = async () => (await stores.curated.list()).map((o) => o.key);

  beforeAll(async () => {
    stores = await openTestStores(kind);
    engine = await DuckDbEngine.open();
    mappingsDir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-mappings-'));
    await cp(path.join(packageRoot, 'mappings'), mappingsDir, { recursive: true });
    await stores.raw.put(
      KEY,
      JSON.stringify([
        shift(6001, 101, '2026-11-10T09:00:00Z', '2026-11-10T13:00:00Z'),
        shift(6002, 102, '2026-11-17T09:00:00Z', '2026-11-17T13:00:00Z'),
      ]),
    );
    await stores.raw.put(
      OTHER,
      JSON.stringify([shift(6101, 101, '2026-11-18T09:00:00Z', '2026-11-18T13:00:00Z')]),
    );
    const summary = await ingestTestStores(stores, engine, { mappingsDir });
    first = summary.ingested.find((m) => m.sourceFile === KEY) as IngestManifest;
    before = await curatedKeys();
    const lookup = path.join(mappingsDir, 'lookups', 'rotacloud-locations.csv');
    const lines = (await readFile(lookup, 'utf8')).split('\n').filter((l) => !l.startsWith('102,'));
    await writeFile(lookup, lines.join('\n'));
    const forced = await ingestTestStores(stores, engine, { mappingsDir, force: true });
    second = forced.ingested.find((m) => m.sourceFile === KEY) as IngestManifest;
    after = await curatedKeys();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
    if (mappingsDir) await rm(mappingsDir, { recursive: true, force: true });
  });

  it('first ingest: both shifts accepted, one key per week', () => {
    expect(first).toMatchObject({ rowsIn: 2, accepted: 2, rejected: 0 });
    expect(first.weeks).toEqual(['2026-11-09', '2026-11-16']);
    expect(first.curatedKeys.every((k) => before.includes(k))).toBe(true);
  });

  it('after the forced re-ingest: 1 accepted + 1 rejected, the week-16 key gone, rejects added', () => {
    expect(second).toMatchObject({
      rowsIn: 2,
      accepted: 1,
      rejected: 1,
      rejectsByReason: { unmapped_value: 1 },
      weeks: ['2026-11-09'],
    });
    const stale = first.curatedKeys.filter((k) => !second.curatedKeys.includes(k));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toContain('week_start=2026-11-16/');
    expect(after).not.toContain(stale[0]);
    for (const k of second.curatedKeys) expect(after).toContain(k);
    expect(second.curatedKeys.filter((k) => k.startsWith('rejects/'))).toHaveLength(1);
  });

  it("leaves the other file's keys in the same week, and every raw file, alone", async () => {
    const otherKeys = before.filter(
      (k) => k.startsWith('shifts/') && !first.curatedKeys.includes(k),
    );
    expect(otherKeys).toHaveLength(1);
    expect(otherKeys[0]).toContain('week_start=2026-11-16/');
    expect(after).toContain(otherKeys[0]);
    expect((await stores.raw.list()).map((o) => o.key)).toEqual([KEY, OTHER]);
  });
});
