/**
 * Cold compaction (issue 21), old against new on the same files in one process: generates the
 * curated tables at `rows` shifts (bench/curated-data.ts, the layout ingest writes), then compacts
 * them from nothing `rounds` times each way, alternating: `compactCurated` with concurrency 1
 * (every COPY on the caller's two-thread engine, as before) and with its default (one
 * single-threaded DuckDB per engine thread, partitions two at a time). Prints wall and process CPU
 * time per table and checks the two ways wrote byte-identical compacted files.
 *
 *   npm run bench:compaction -- [rows=500000] [rounds=2]
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AVAILABILITY_TYPES, SHIFT_TYPES } from '../src/curated/curated-schema.js';
import { DuckDbEngine } from '../src/engine/duckdb-engine.js';
import { compactCurated } from '../src/metrics/compact-curated.js';
import { LocalFolderStore } from '../src/store/local-folder-store.js';
import { generate } from './curated-data.js';

const rows = Number(process.argv[2] ?? 500_000);
const rounds = Number(process.argv[3] ?? 2);
const TABLES = { shifts: SHIFT_TYPES, availability: AVAILABILITY_TYPES } as const;
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-bench-compaction-'));
try {
  const store = new LocalFolderStore(path.join(dir, 'curated'));
  console.log(`generating ${rows} shifts (load ${load()})`);
  const t = performance.now();
  const generator = await DuckDbEngine.open();
  try {
    await generate(generator, store.root, rows);
  } finally {
    await generator.close();
  }
  console.log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const digests = new Map<string, string>();
  for (let round = 0; round < rounds; round += 1) {
    for (const [way, concurrency] of [
      ['old (concurrency 1)', 1],
      ['new (default)', undefined],
    ] as const) {
      for (const [table, types] of Object.entries(TABLES)) {
        await store.deletePrefix(`compacted/${table}/`);
        const tmpDir = await mkdtemp(path.join(dir, 'tmp-'));
        const engine = await DuckDbEngine.open();
        try {
          const w = performance.now();
          const c = cpuMs();
          const result = await compactCurated({
            engine,
            store,
            table,
            types,
            tmpDir,
            ...(concurrency ? { concurrency } : {}),
          });
          const wall = (performance.now() - w) / 1000;
          const cpu = (cpuMs() - c) / 1000;
          const hash = createHash('sha256');
          for (const file of result.files) hash.update(await readFile(file));
          const digest = hash.digest('hex').slice(0, 16);
          const seen = digests.get(table);
          if (seen && seen !== digest) throw new Error(`${table}: compacted files differ`);
          digests.set(table, digest);
          console.log(
            `round ${round} ${way.padEnd(20)} ${table.padEnd(12)} ${result.filesRead} files -> ${result.partitions}: wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s (load ${load()}) [${digest}]`,
          );
        } finally {
          await engine.close();
          await rm(tmpDir, { recursive: true });
        }
      }
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
