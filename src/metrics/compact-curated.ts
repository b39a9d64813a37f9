/**
 * Compaction: the curated tables rewritten as one Parquet file per partition (a network for shifts
 * and availability, a source system for rejects), so the metric queries read about 1,250 files
 * instead of one file per export per network per week (65,000 a year nationally). DuckDB spends
 * roughly 0.5 ms and several KB of memory per small file and column it opens: at 1M shifts in
 * 65,000 files a read of every column took 32 s and 11.7 GB, and 0.9 s from one file per network
 * (bench/metrics.ts measures it).
 *
 * A compacted file is a copy, not a new truth: the same rows as the curated files it was made
 * from, all columns (the partition columns included, as real columns), nothing deduplicated —
 * supersede stays in the staging query. Curated files are never changed; compacted files are
 * derived and replaced. The manifest `compacted/<table>/manifest.json` lists, per partition, the
 * compacted file and the curated keys it holds with each key's version as the store listed it
 * (S3 ETag; a file's size, mtime and inode: StoredObject.version), so a curated file rewritten
 * under the same key (`ingest --force` after a lookup was fixed: keys derive from the raw file's
 * content hash, not from what the mapping made of it) is noticed at no cost beyond the listing
 * compaction already does. A run compacts only what changed: a partition with new curated files
 * gets a new file made of its previous compacted file plus the new files (the weekly case); a
 * partition whose curated files no longer include every listed key, or one of whose keys has
 * another version, is rebuilt from its curated files; an unchanged partition is left alone.
 * Partitions are written as many at once as the engine has threads, each on a single-threaded
 * DuckDB of its own (cold, about 1.3x less CPU than one two-thread COPY at a time:
 * docs/performance.md, "Cold compaction"); the manifest lists them in the listing's order all the
 * same.
 *
 *   compacted/shifts/manifest.json
 *   compacted/shifts/network_code=U60865/<fingerprint>.parquet  (fingerprint: hash of keys+versions)
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { emptyTableSql } from '../curated/curated-schema.js';
import { DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { runInLanes } from '../engine/lanes.js';
import { RotascopeError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { stageKeys } from '../store/stage-locally.js';

export interface CompactOptions {
  engine: DuckDbEngine;
  store: ObjectStore;
  /** The curated table: `shifts`, `availability` or `rejects`. */
  table: string;
  /**
   * Its columns and their types, in file order. A column a curated file lacks (one written before
   * the column existed, e.g. shifts.start_minute) is read as a typed NULL; a partition compacted
   * with another column list is rebuilt.
   */
  types: Readonly<Record<string, string>>;
  /** A folder for downloads and files being written; the caller creates and removes it. */
  tmpDir: string;
  onProgress?: (message: string) => void;
  /**
   * Partitions compacted at once; by default the engine's `threads`. Above 1, each is compacted
   * on its own single-threaded DuckDB (`threads = 1`) rather than all on `engine`: a partition's
   * COPY reads about 52 small files, and DuckDB's threads cost more in coordination than they
   * save on so little data (docs/performance.md, "Cold compaction"). Those engines have DuckDB's
   * default settings (a COPY holds one partition's rows). 1: every COPY on `engine`.
   */
  concurrency?: number;
}

export interface Compacted {
  /** Local paths of the compacted files, one per partition (empty when the table has no data). */
  files: string[];
  partitions: number;
  /** Partitions written this run: from scratch, and extended with new files. */
  rebuilt: number;
  extended: number;
  /** Curated files read this run. */
  filesRead: number;
  /** Wall time of the whole compaction: listing, downloads, COPYs, uploads (bench:metrics). */
  seconds: number;
}

const Manifest = z.object({
  partitions: z.record(
    z.string(),
    z.object({
      file: z.string(),
      inputs: z.array(z.string()),
      /** The version of each input, in the same order (a manifest without them is rebuilt). */
      versions: z.array(z.string()),
      /** The columns the compacted file holds (absent: written before this was recorded). */
      columns: z.array(z.string()).optional(),
    }),
  ),
});
type Manifest = z.infer<typeof Manifest>;

export const compactionManifestKey = (table: string) => `compacted/${table}/manifest.json`;

/** The partition folder of a curated key: `shifts/network_code=X/...` -> `network_code=X`. */
function partitionOf(table: string, key: string): string {
  const folder = key.split('/')[1];
  if (!folder?.includes('=')) {
    throw new RotascopeError(`Curated key ${key} is not in a ${table}/<column>=<value>/ folder`);
  }
  return folder;
}

function fingerprint(inputs: readonly string[], versions: readonly string[]): string {
  return createHash('sha256')
    .update(inputs.map((key, i) => `${key} ${versions[i]}`).join('\n'))
    .digest('hex')
    .slice(0, 32);
}

async function readManifest(store: ObjectStore, table: string): Promise<Manifest> {
  const key = compactionManifestKey(table);
  if (!(await store.exists(key))) return { partitions: {} };
  // A manifest this code cannot read is derived data: start again rather than fail the run.
  try {
    const parsed = Manifest.safeParse(
      JSON.parse(Buffer.from(await store.get(key)).toString('utf8')),
    );
    if (!parsed.success) return { partitions: {} };
    const complete = Object.values(parsed.data.partitions).every(
      (p) => p.versions.length === p.inputs.length,
    );
    return complete ? parsed.data : { partitions: {} };
  } catch (error) {
    if (error instanceof SyntaxError) return { partitions: {} };
    throw error;
  }
}

/**
 * Run `work` over `jobs`: on `engine` one after another when `concurrency` (default: the engine's
 * `threads`) is 1, else on that many single-threaded engines at once. The first failure stops
 * new jobs from starting and is thrown once the running ones have ended.
 */
async function runJobs<T>(
  engine: DuckDbEngine,
  jobs: readonly T[],
  work: (runner: DuckDbEngine, job: T) => Promise<void>,
  concurrency: number | undefined,
): Promise<void> {
  const wanted = concurrency ?? (await engine.threads());
  const width = Math.max(1, Math.min(wanted, jobs.length));
  if (width === 1) {
    for (const job of jobs) await work(engine, job);
    return;
  }
  const runners: DuckDbEngine[] = [];
  try {
    for (let i = 0; i < width; i += 1) runners.push(await DuckDbEngine.open({ threads: 1 }));
    await runInLanes(runners, jobs, work);
  } finally {
    await Promise.all(runners.map((runner) => runner.close()));
  }
}

/** Bring `compacted/<table>/` up to date with `<table>/` and return the compacted files. */
export async function compactCurated({
  engine,
  store,
  table,
  types,
  tmpDir,
  onProgress,
  concurrency,
}: CompactOptions): Promise<Compacted> {
  const started = performance.now();
  const columns = Object.keys(types);
  const curated = new Map<string, string[]>();
  const versionOf = new Map<string, string>();
  for (const { key, version } of await store.list(`${table}/`)) {
    const partition = partitionOf(table, key);
    versionOf.set(key, version);
    const keys = curated.get(partition);
    if (keys) keys.push(key);
    else curated.set(partition, [key]);
  }
  const previous = await readManifest(store, table);
  const next: Manifest = { partitions: {} };
  const work = path.join(tmpDir, 'compaction', table);
  await mkdir(work, { recursive: true });
  const select = columns.join(', ');
  let rebuilt = 0;
  let extended = 0;
  let filesRead = 0;

  // What each partition needs: kept as it is, or written (extended or rebuilt) by a job below.
  const kept = new Map<string, Manifest['partitions'][string]>();
  const jobs: {
    partition: string;
    inputs: string[];
    versions: string[];
    extend?: string;
    added: string[];
  }[] = [];
  for (const [partition, keys] of curated) {
    const inputs = keys.sort();
    const versions = inputs.map((key) => versionOf.get(key) ?? '');
    const before = previous.partitions[partition];
    // Each key the previous compacted file holds, with the version it was read at.
    const known = new Map((before?.inputs ?? []).map((key, i) => [key, before?.versions[i]]));
    // Still there, as it was: a key removed or rewritten since means the partition is rebuilt.
    const intact =
      before?.columns?.join(',') === columns.join(',') &&
      [...known].every(([key, version]) => versionOf.get(key) === version);
    if (before && intact && inputs.length === known.size) {
      kept.set(partition, before);
      continue;
    }
    const extend = before !== undefined && intact ? before.file : undefined;
    const added = extend ? inputs.filter((key) => !known.has(key)) : inputs;
    jobs.push({ partition, inputs, versions, added, ...(extend ? { extend } : {}) });
  }

  const written = new Map<string, Manifest['partitions'][string]>();
  const compact = async (
    runner: DuckDbEngine,
    { partition, inputs, versions, extend, added }: (typeof jobs)[number],
  ) => {
    const parts: string[] = [];
    if (extend) {
      const [file] = await stageKeys(store, [extend], work);
      parts.push(
        `select ${select} from read_parquet(${sqlString(file as string)}, hive_partitioning = false)`,
      );
    }
    const files = await stageKeys(store, added, work);
    // By name, over an empty typed table: a column no file has is a NULL of its declared type.
    parts.push(
      `select ${select} from (${emptyTableSql(types)} union all by name select * from read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, union_by_name = true))`,
    );
    const key = `compacted/${table}/${partition}/${fingerprint(inputs, versions)}.parquet`;
    const out = path.join(work, `${partition}.parquet`);
    await runner.run(`copy (${parts.join(' union all ')}) to ${sqlString(out)} (format parquet)`);
    await store.put(key, await readFile(out), 'application/vnd.apache.parquet');
    written.set(partition, { file: key, inputs, versions, columns });
    filesRead += added.length;
    if (extend) extended += 1;
    else rebuilt += 1;
    const count = rebuilt + extended;
    if (count % 100 === 0) onProgress?.(`  compaction: ${table} ${count} partitions written`);
  };
  await runJobs(engine, jobs, compact, concurrency);
  // In the order of the listing, whatever order the jobs finished in.
  for (const partition of curated.keys()) {
    const entry = kept.get(partition) ?? written.get(partition);
    if (entry) next.partitions[partition] = entry;
  }

  await store.put(compactionManifestKey(table), JSON.stringify(next), 'application/json');
  // Only after the manifest names the new files: remove the compacted files it no longer names.
  const named = new Set(Object.values(next.partitions).map((p) => p.file));
  for (const { key } of await store.list(`compacted/${table}/`)) {
    if (key.endsWith('.parquet') && !named.has(key)) await store.deletePrefix(key);
  }

  const partitions = Object.values(next.partitions);
  return {
    files: await stageKeys(
      store,
      partitions.map((p) => p.file),
      path.join(tmpDir, 'compacted-read', table),
    ),
    partitions: partitions.length,
    rebuilt,
    extended,
    filesRead,
    seconds: (performance.now() - started) / 1000,
  };
}
