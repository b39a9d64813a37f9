/**
 * How a file was ingested must not show in what it wrote. Exports are ingested in batches (one
 * DuckDB pass over many files, ingest-batch.ts), small ones staged in temp tables and large ones
 * through views (stagedViewSql, `stageInTablesUpTo`). The same exports ingested file by file
 * (batches of one), in batches of three, in the default batches, all through views, and mixed
 * give the same curated objects, byte for byte, and so does writing accepted rows a few partitions
 * at a time (`writeRows`, as a large export is written), and the same manifests (but for `seconds`, the
 * time the file took). When the batch's SQL fails, each file is run again on its own: the file
 * at fault fails alone, named, and every other file writes what it writes alone. The exports: the
 * demo's last week for two networks (with its planted bad rows, so rejects files too) and the
 * hand-made U60865 fixtures, with one pseudonym key. The hostile readers' corpus is compared the
 * same way in corpus-readers.test.ts.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCompleteWeekStart } from '../../../src/calendar.js';
import { generateDemo } from '../../../src/demo/generate-demo.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { contentHash, curatedHash } from '../../../src/ingest/ingest-file.js';
import { bundledReference } from '../../helpers/reference.js';
import {
  curatedSnapshot,
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../../helpers/stores.js';

const AT = '2026-11-30T09:00:00Z';
const CHECKS = /^-- (shifts|availability) \(ingest\): check staged rows/;

/**
 * The engine, counting the check statements it runs (one per batch) and failing the shifts
 * checks of any batch that holds `poisoned`, as an engine error would.
 */
function watched(engine: DuckDbEngine, poisoned?: string) {
  const seen = { checks: 0, groupWrites: 0 };
  const proxy = new Proxy(engine, {
    get(target, property) {
      if (property !== 'run') {
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (sql: string, params?: Record<string, string>) => {
        if (/semi join write_group_/.test(sql)) seen.groupWrites += 1;
        if (CHECKS.test(sql)) {
          seen.checks += 1;
          if (poisoned && sql.startsWith('-- shifts')) {
            const hit = await target.query(
              'select count(*) as n from ingest_files where source_file = $key',
              { key: poisoned },
            );
            if (Number(hit.getChildAt(0)?.get(0)) > 0) throw new Error('injected engine failure');
          }
        }
        return target.run(sql, params);
      };
    },
  });
  return { engine: proxy, seen };
}

describe('batches, tables and views', () => {
  const runs = new Map<string, Map<string, string>>();
  const summaries = new Map<string, IngestSummary>();
  const checks = new Map<string, number>();
  const groupWrites = new Map<string, number>();
  const sizes: number[] = [];
  const files: { key: string; body: string }[] = [];
  let engine: DuckDbEngine;
  const opened: TestStores[] = [];
  let poisoned = '';

  beforeAll(async () => {
    const demo = generateDemo({
      reference: await bundledReference(),
      seed: 7,
      weeks: 12,
      lastWeekStart: lastCompleteWeekStart(new Date(AT)),
    });
    const last = demo.weekStarts.at(-1);
    files.push(
      ...demo.files.filter(
        (f) => f.weekStart === last && demo.networkCodes.slice(0, 3).includes(f.networkCode),
      ),
    );
    for (const f of files) sizes.push(Buffer.byteLength(f.body));
    sizes.sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] as number;
    poisoned = files.filter((f) => f.key.includes('/shifts/'))[1]?.key ?? '';
    engine = await DuckDbEngine.open();
    for (const [name, options] of [
      ['alone', { batchFiles: 1 }],
      ['batched', {}],
      ['threes', { batchFiles: 3 }],
      ['views', { stageInTablesUpTo: -1 }],
      ['mixed', { stageInTablesUpTo: median, batchFiles: 2 }],
      // Accepted rows sorted and written at most 40 at a time (a partition or more per statement).
      ['small writes', { writeRows: 40 }],
      ['poisoned', {}],
    ] as const) {
      const stores = await openTestStores('local');
      // One pseudonym key for every run, so the clinician keys can be compared.
      if (opened[0]) await copyFile(path.join(opened[0].dir, 'key'), path.join(stores.dir, 'key'));
      opened.push(stores);
      for (const f of files) await stores.raw.put(f.key, f.body);
      // The amended export repeats the first's shift ids: each file's duplicates are its own.
      await putU60865Exports(stores, ['shifts', 'amended', 'availability']);
      const run = watched(engine, name === 'poisoned' ? poisoned : undefined);
      const summary = await ingestTestStores(stores, run.engine, { at: AT, ...options });
      summaries.set(name, summary);
      checks.set(name, run.seen.checks);
      groupWrites.set(name, run.seen.groupWrites);
      runs.set(name, await curatedSnapshot(stores));
    }
  }, 300_000);
  afterAll(async () => {
    await engine?.close();
    for (const stores of opened) await stores.close();
  });

  it('covers accepted rows, rejects and manifests, and files on both sides of the threshold', () => {
    const keys = [...(runs.get('alone')?.keys() ?? [])];
    expect(keys.some((k) => k.startsWith('shifts/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('availability/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('rejects/'))).toBe(true);
    expect(keys.filter((k) => k.startsWith('ingests/')).length).toBe(sizes.length + 3);
    expect(keys.filter((k) => k.startsWith('sources/')).length).toBe(sizes.length + 3);
    expect(sizes[0]).toBeLessThan(sizes.at(-1) as number);
    for (const name of ['alone', 'batched', 'threes', 'views', 'mixed', 'small writes']) {
      expect(summaries.get(name)?.failed, name).toEqual([]);
    }
  });

  it('really batches: one check statement per file alone, one per source and kind by default', () => {
    const exports = files.length + 3;
    expect(checks.get('alone')).toBe(exports);
    expect(checks.get('views')).toBe(exports);
    // The demo's files are all `generic`, shifts and availability: two batches.
    expect(checks.get('batched')).toBe(2);
    expect(checks.get('threes')).toBeGreaterThan(2);
    expect(checks.get('threes')).toBeLessThan(exports);
  });

  it('writes accepted rows in groups of partitions when a batch has more than writeRows', () => {
    expect(groupWrites.get('batched')).toBe(0);
    // Two batches of several hundred accepted rows each, 40 at a time: many statements, half of
    // them on this connection (the other half on the second one writeAccepted opens).
    expect(groupWrites.get('small writes')).toBeGreaterThan(4);
  });

  it('writes the same curated objects and manifests however the files were batched and staged', () => {
    const alone = runs.get('alone');
    expect(runs.get('batched')).toEqual(alone);
    expect(runs.get('threes')).toEqual(alone);
    expect(runs.get('views')).toEqual(alone);
    expect(runs.get('mixed')).toEqual(alone);
    expect(runs.get('small writes')).toEqual(alone);
  });

  it('fails only the file at fault when its batch fails, and the others write what they write alone', () => {
    const summary = summaries.get('poisoned');
    expect(summary?.failed.map((f) => f.key)).toEqual([poisoned]);
    expect(summary?.failed[0]?.reason).toContain(poisoned);
    expect(summary?.failed[0]?.reason).toContain('injected engine failure');
    expect(summary?.ingested).toHaveLength(files.length + 2);
    const body = files.find((f) => f.key === poisoned)?.body ?? '';
    const hash = curatedHash(poisoned, contentHash(Buffer.from(body)));
    const alone = runs.get('alone') ?? new Map<string, string>();
    // Its objects and manifest carry its hash in their keys; its source version, in its content.
    const expected = new Map(
      [...alone].filter(([key, value]) => !key.includes(hash) && !value.includes(hash)),
    );
    expect(expected.size).toBeLessThan(alone.size);
    expect(runs.get('poisoned')).toEqual(expected);
  });
});
