/**
 * Small exports are staged in DuckDB temp tables, large ones through views (stagedViewSql,
 * `stageInTablesUpTo`): faster for small files, streaming for large ones. Which one a file got
 * must not show in what it wrote: the same exports ingested all through views, all through
 * tables, and mixed in one run (so one engine switches between the two, file after file) give
 * the same curated objects, byte for byte, and the same manifests (but for `seconds`, the time
 * the file took). The exports: the demo's last week for two networks (with its planted bad rows,
 * so rejects files too) and the hand-made U60865 fixtures, with one pseudonym key.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastCompleteWeekStart } from '../../../src/calendar.js';
import { generateDemo } from '../../../src/demo/generate-demo.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { bundledReference } from '../../helpers/reference.js';
import {
  ingestTestStores,
  openTestStores,
  putU60865Exports,
  type TestStores,
} from '../../helpers/stores.js';

const AT = '2026-11-30T09:00:00Z';

/** Every curated object, manifests without their `seconds`. */
async function curatedObjects(stores: TestStores): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { key } of await stores.curated.list()) {
    const bytes = Buffer.from(await stores.curated.get(key));
    if (key.endsWith('.json')) {
      const { seconds: _seconds, ...manifest } = JSON.parse(bytes.toString('utf8'));
      out.set(key, JSON.stringify(manifest));
    } else {
      out.set(key, bytes.toString('base64'));
    }
  }
  return out;
}

describe('staging in tables or through views', () => {
  const runs = new Map<string, Map<string, string>>();
  const sizes: number[] = [];
  let engine: DuckDbEngine;
  const opened: TestStores[] = [];

  beforeAll(async () => {
    const demo = generateDemo({
      reference: await bundledReference(),
      seed: 7,
      weeks: 12,
      lastWeekStart: lastCompleteWeekStart(new Date(AT)),
    });
    const last = demo.weekStarts.at(-1);
    const files = demo.files.filter(
      (f) => f.weekStart === last && demo.networkCodes.slice(0, 2).includes(f.networkCode),
    );
    for (const f of files) sizes.push(Buffer.byteLength(f.body));
    sizes.sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] as number;
    engine = await DuckDbEngine.open();
    for (const [name, upTo] of [
      ['views', -1],
      ['tables', Number.POSITIVE_INFINITY],
      ['mixed', median],
    ] as const) {
      const stores = await openTestStores('local');
      // One pseudonym key for all three runs, so the clinician keys can be compared.
      if (opened[0]) await copyFile(path.join(opened[0].dir, 'key'), path.join(stores.dir, 'key'));
      opened.push(stores);
      for (const f of files) await stores.raw.put(f.key, f.body);
      await putU60865Exports(stores, ['shifts', 'availability']);
      const summary = await ingestTestStores(stores, engine, { at: AT, stageInTablesUpTo: upTo });
      expect(summary.failed).toEqual([]);
      runs.set(name, await curatedObjects(stores));
    }
  }, 300_000);
  afterAll(async () => {
    await engine?.close();
    for (const stores of opened) await stores.close();
  });

  it('covers accepted rows, rejects and manifests, and files on both sides of the threshold', () => {
    const keys = [...(runs.get('views')?.keys() ?? [])];
    expect(keys.some((k) => k.startsWith('shifts/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('availability/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('rejects/'))).toBe(true);
    expect(keys.filter((k) => k.endsWith('.json')).length).toBe(sizes.length + 2);
    expect(sizes[0]).toBeLessThan(sizes.at(-1) as number);
  });

  it('writes the same curated objects and manifests whichever way a file was staged', () => {
    const views = runs.get('views');
    expect(runs.get('tables')).toEqual(views);
    expect(runs.get('mixed')).toEqual(views);
  });
});
