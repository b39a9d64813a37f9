/**
 * Compaction rewrites curated files as one file per partition, and only what changed: the rows
 * read from the compacted files are exactly the curated rows, a rerun with nothing new writes
 * nothing, a new export extends only its network's file, and a partition that lost a curated key,
 * or one of whose curated files was rewritten under the same key (re-ingest), is rebuilt. On a
 * folder store and on S3 (s3rver on 127.0.0.1).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SHIFT_COLUMNS, SHIFT_TYPES } from '../../../src/curated/curated-schema.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, duckDbParquetFiles, sqlString } from '../../../src/engine/duckdb-engine.js';
import {
  type CompactOptions,
  compactCurated,
  compactionManifestKey,
} from '../../../src/metrics/compact-curated.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

const shift = (shift_id: string, day: string, network_code = 'U60865'): ShiftFixture => ({
  shift_id,
  start: `${day} 09:00`,
  end: `${day} 13:00`,
  network_code,
});

describe.each(['local', 's3'] as const)('compaction on a %s store', (kind) => {
  let stores: TestStores;
  let engine: DuckDbEngine;
  let tmpDir: string;
  beforeAll(async () => {
    engine = await DuckDbEngine.open();
  });
  afterAll(async () => {
    await engine?.close();
  });
  beforeEach(async () => {
    stores = await openTestStores(kind);
    tmpDir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-compact-test-'));
  });
  afterEach(async () => {
    await stores?.close();
    await rm(tmpDir, { recursive: true, force: true });
  });

  const compact = (extra: Partial<CompactOptions> = {}) =>
    compactCurated({
      engine,
      store: stores.curated,
      table: 'shifts',
      types: SHIFT_TYPES,
      tmpDir,
      ...extra,
    });
  const order = `order by shift_id, exported_at`;
  const compactedRows = async (files: string[]) =>
    tableRows(await engine.query(`select * from ${duckDbParquetFiles(files)} ${order}`));
  const curatedRows = async () => {
    const dir = await stageLocally(stores.curated, 'shifts/', path.join(tmpDir, 'curated'));
    return tableRows(
      await engine.query(
        `select ${SHIFT_COLUMNS.join(', ')} from read_parquet(${sqlString(`${dir.replace(/\/+$/, '')}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true) ${order}`,
      ),
    );
  };
  const compactedKeys = async () =>
    (await stores.curated.list('compacted/shifts/'))
      .map((o) => o.key)
      .filter((key) => key.endsWith('.parquet'));

  it('writes one file per network holding exactly the curated rows', async () => {
    // Export A: two networks, two weeks each (4 curated files); export B: one more file.
    await writeCuratedShifts(
      engine,
      stores.curated,
      [
        shift('A1', '2026-11-09'),
        shift('A2', '2026-11-16'),
        shift('A3', '2026-11-10', 'U12345'),
        shift('A4', '2026-11-17', 'U12345'),
      ],
      'a',
    );
    await writeCuratedShifts(engine, stores.curated, [shift('B1', '2026-11-16')], 'b');
    expect(await stores.curated.list('shifts/')).toHaveLength(5);

    const result = await compact();
    expect(result).toMatchObject({ partitions: 2, rebuilt: 2, extended: 0, filesRead: 5 });
    expect(result.files).toHaveLength(2);
    const keys = await compactedKeys();
    expect(keys).toHaveLength(2);
    expect(
      keys.every((k) => /^compacted\/shifts\/network_code=U\d{5}\/[0-9a-f]{32}\.parquet$/.test(k)),
    ).toBe(true);
    const rows = await compactedRows(result.files);
    expect(rows.map((r) => r.shift_id)).toEqual(['A1', 'A2', 'A3', 'A4', 'B1']);
    // Every column, the partition columns included, as the curated files give them.
    expect(rows).toEqual(await curatedRows());
    expect(rows.find((r) => r.shift_id === 'A4')).toMatchObject({
      network_code: 'U12345',
      week_start: '2026-11-16',
    });
  });

  it('writes nothing when nothing is new, and extends only the network with a new export', async () => {
    await writeCuratedShifts(
      engine,
      stores.curated,
      [shift('A1', '2026-11-09'), shift('A3', '2026-11-10', 'U12345')],
      'a',
    );
    const first = await compact();
    const before = await compactedKeys();

    const again = await compact();
    expect(again).toMatchObject({ partitions: 2, rebuilt: 0, extended: 0, filesRead: 0 });
    expect(await compactedKeys()).toEqual(before);

    // A later export for U60865 only: its compacted file is replaced (old one deleted), the
    // other network's file is untouched, and only the one new curated file is read.
    await writeCuratedShifts(engine, stores.curated, [shift('C1', '2026-11-23')], 'c');
    const third = await compact();
    expect(third).toMatchObject({ partitions: 2, rebuilt: 0, extended: 1, filesRead: 1 });
    const after = await compactedKeys();
    expect(after).toHaveLength(2);
    const unchanged = before.filter((k) => k.includes('U12345'));
    expect(after.filter((k) => k.includes('U12345'))).toEqual(unchanged);
    expect(after.filter((k) => k.includes('U60865'))).not.toEqual(
      before.filter((k) => k.includes('U60865')),
    );
    expect((await compactedRows(third.files)).map((r) => r.shift_id)).toEqual(['A1', 'A3', 'C1']);
    expect(first.files).toHaveLength(2);
  });

  it('rebuilds a network whose curated files no longer include one it compacted', async () => {
    await writeCuratedShifts(engine, stores.curated, [shift('A1', '2026-11-09')], 'a');
    await writeCuratedShifts(engine, stores.curated, [shift('B1', '2026-11-16')], 'b');
    await compact();
    // Curated data is append-only; a removed file (an operator's clean-up) must not live on in
    // the compacted copy.
    const [removed] = (await stores.curated.list('shifts/')).filter((o) => o.key.includes('/b_'));
    await stores.curated.deletePrefix(removed?.key as string);

    const result = await compact();
    expect(result).toMatchObject({ partitions: 1, rebuilt: 1, extended: 0, filesRead: 1 });
    expect((await compactedRows(result.files)).map((r) => r.shift_id)).toEqual(['A1']);
    expect(await compactedRows(result.files)).toEqual(await curatedRows());
  });

  it('rebuilds a network one of whose curated files was rewritten under the same key', async () => {
    await writeCuratedShifts(engine, stores.curated, [shift('A1', '2026-11-09')], 'a');
    await writeCuratedShifts(engine, stores.curated, [shift('B1', '2026-11-10')], 'b');
    await compact();
    const keysBefore = (await stores.curated.list('shifts/')).map((o) => o.key);
    // Re-ingest after a fix: the same curated key (the raw file's hash), other rows.
    await writeCuratedShifts(
      engine,
      stores.curated,
      [shift('A1', '2026-11-09'), shift('A2', '2026-11-11')],
      'a',
    );
    expect((await stores.curated.list('shifts/')).map((o) => o.key)).toEqual(keysBefore);

    const result = await compact();
    expect(result).toMatchObject({ partitions: 1, rebuilt: 1, extended: 0, filesRead: 2 });
    expect((await compactedRows(result.files)).map((r) => r.shift_id)).toEqual(['A1', 'A2', 'B1']);
    expect(await compactedRows(result.files)).toEqual(await curatedRows());
    expect(await compact()).toMatchObject({ rebuilt: 0, extended: 0, filesRead: 0 });
  });

  it('rebuilds from a manifest written before versions were recorded', async () => {
    await writeCuratedShifts(engine, stores.curated, [shift('A1', '2026-11-09')], 'a');
    await compact();
    const inputs = (await stores.curated.list('shifts/')).map((o) => o.key);
    const [file] = await compactedKeys();
    await stores.curated.put(
      compactionManifestKey('shifts'),
      JSON.stringify({ partitions: { 'network_code=U60865': { file, inputs } } }),
    );
    const result = await compact();
    expect(result).toMatchObject({ partitions: 1, rebuilt: 1, filesRead: 1 });
    expect((await compactedRows(result.files)).map((r) => r.shift_id)).toEqual(['A1']);
  });

  it('reads a column older curated files lack as NULL, and rebuilds a partition compacted without it', async () => {
    const withoutStartMinute = SHIFT_COLUMNS.filter((c) => c !== 'start_minute');
    await writeCuratedShifts(
      engine,
      stores.curated,
      [shift('A1', '2026-11-09')],
      'old',
      withoutStartMinute,
    );
    // Compacted before start_minute existed: only the old files, compacted with the old list.
    const { start_minute: _, ...oldTypes } = SHIFT_TYPES;
    await compact({ types: oldTypes });
    await writeCuratedShifts(engine, stores.curated, [shift('A2', '2026-11-10')], 'new');
    const result = await compact();
    // Not extended from the old compacted file (it has no start_minute): rebuilt from both files.
    expect(result).toMatchObject({ partitions: 1, rebuilt: 1, extended: 0, filesRead: 2 });
    const rows = tableRows<{ shift_id: string; start_minute: number | null }>(
      await engine.query(
        `select shift_id, start_minute from ${duckDbParquetFiles(result.files)} order by shift_id`,
      ),
    );
    expect(rows).toEqual([
      { shift_id: 'A1', start_minute: null },
      { shift_id: 'A2', start_minute: 540 },
    ]);
  });

  it('reads a column no curated file has yet as a NULL of its declared type', async () => {
    const withoutStartMinute = SHIFT_COLUMNS.filter((c) => c !== 'start_minute');
    await writeCuratedShifts(
      engine,
      stores.curated,
      [shift('A1', '2026-11-09')],
      'old',
      withoutStartMinute,
    );
    const result = await compact();
    const types = tableRows<{ column_name: string; column_type: string }>(
      await engine.query(`describe select start_minute from ${duckDbParquetFiles(result.files)}`),
    );
    expect(types.map((t) => t.column_type)).toEqual(['SMALLINT']);
  });

  it('compacts partitions at once into the same files and manifest as one at a time', async () => {
    const networks = ['U10001', 'U10002', 'U10003', 'U10004', 'U10005'];
    await writeCuratedShifts(
      engine,
      stores.curated,
      networks.flatMap((network, i) => [
        shift(`A${i}`, '2026-11-09', network),
        shift(`B${i}`, '2026-11-17', network),
      ]),
      'a',
    );
    const snapshot = async (files: string[]) => ({
      manifest: Buffer.from(await stores.curated.get(compactionManifestKey('shifts'))).toString(),
      keys: await compactedKeys(),
      bytes: await Promise.all(files.map((file) => readFile(file))),
    });
    const one = await compact({ concurrency: 1 });
    const sequential = await snapshot(one.files);
    await stores.curated.deletePrefix('compacted/shifts/');
    const three = await compact({ concurrency: 3 });
    expect(three).toMatchObject({ partitions: 5, rebuilt: 5, extended: 0, filesRead: 10 });
    const concurrent = await snapshot(three.files);
    expect(concurrent.keys).toHaveLength(5);
    expect(concurrent).toEqual(sequential);
    expect((await compactedRows(three.files)).map((r) => r.shift_id)).toEqual(
      networks.flatMap((_, i) => [`A${i}`, `B${i}`]).sort(),
    );
  });

  it('fails the run, storing no manifest, when one of the partitions compacted at once fails', async () => {
    await writeCuratedShifts(
      engine,
      stores.curated,
      [shift('A1', '2026-11-09'), shift('A2', '2026-11-09', 'U12345')],
      'a',
    );
    await stores.curated.put(
      'shifts/network_code=U99999/week_start=2026-11-09/broken.parquet',
      'not parquet',
    );
    await expect(compact({ concurrency: 2 })).rejects.toThrow(/broken\.parquet/);
    expect(await stores.curated.exists(compactionManifestKey('shifts'))).toBe(false);
  });

  it('drops a network with no curated files left, and starts again from an unreadable manifest', async () => {
    await writeCuratedShifts(engine, stores.curated, [shift('A1', '2026-11-09')], 'a');
    await writeCuratedShifts(engine, stores.curated, [shift('B1', '2026-11-10', 'U12345')], 'b');
    await compact();
    await stores.curated.deletePrefix('shifts/network_code=U12345/');
    const dropped = await compact();
    expect(dropped).toMatchObject({ partitions: 1, rebuilt: 0, extended: 0, filesRead: 0 });
    expect(await compactedKeys()).toHaveLength(1);

    await stores.curated.put(compactionManifestKey('shifts'), '{"partitions": "not a map"}');
    const restarted = await compact();
    expect(restarted).toMatchObject({ partitions: 1, rebuilt: 1, filesRead: 1 });
    expect((await compactedRows(restarted.files)).map((r) => r.shift_id)).toEqual(['A1']);
  });
});
