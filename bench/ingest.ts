/**
 * `npm run bench:ingest`: ingest one large generic shifts export (default 1,000,000 rows) through
 * the real path (local stores, DuckDB, pseudonymisation, partitioned Parquet) and compare it with
 * DuckDB's bare `COPY (SELECT * FROM read_csv(...)) TO '...parquet'` of the same file, in the same
 * run. Prints rows/s, the ratio to the bare copy, and peak resident memory. Then the many small
 * files case: the demo's exports, and `files` generic exports of 100 rows (default 2,000), each
 * ingested and compared with bare DuckDB reads of the same files written to Parquet (one
 * read_csv of all with union_by_name, and one per distinct header, the stricter floor), with the
 * time per ingest phase.
 *
 *   npm run bench:ingest -- [rows] [files] [batch files]   (rows 0: only the small files)
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addDays, lastCompleteWeekStart } from '../src/calendar.js';
import { fixedClock } from '../src/clock.js';
import { generateDemo } from '../src/demo/generate-demo.js';
import { DuckDbEngine, sqlString } from '../src/engine/duckdb-engine.js';
import { GENERIC_SHIFT_COLUMNS } from '../src/ingest/generic-layout.js';
import { ingestAll, phaseLine } from '../src/ingest/ingest-all.js';
import type { IngestPhase } from '../src/ingest/ingest-context.js';
import { KeyFileSecrets } from '../src/ingest/pseudonymise.js';
import { packageRoot } from '../src/package-root.js';
import { loadReference, type Reference } from '../src/reference/organisations.js';
import { LocalFolderStore } from '../src/store/local-folder-store.js';

/** Rows of the large export (0: skip it); small generic files. */
const rows = Number(process.argv[2] ?? 1_000_000);
const smallFiles = Number(process.argv[3] ?? 2_000);
/** Most files per ingest batch (default the ingest's own; 1: file by file, as before batching). */
const batchFiles = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const PRACTICES = ['F84025', 'F84054', 'F84062', 'F84698'];
const STATUSES = ['filled', 'filled', 'filled', 'filled', 'unfilled', 'cancelled'];
const ENGAGEMENTS = ['salaried', 'bank', 'locum', 'agency'];

/** Row `i` of the large export; `day` is its shift date's offset from 2025-11-17 (default i % 364). */
function exportLine(i: number, day = i % 364): string {
  const status = STATUSES[i % STATUSES.length] as string;
  const filled = status === 'filled';
  return [
    `B-${i}`,
    PRACTICES[i % PRACTICES.length],
    'U60865',
    i % 3 === 0 ? 'practice_nurse' : 'gp',
    filled ? ENGAGEMENTS[i % 4] : '',
    filled ? 'false' : '',
    filled ? `P-${i % 5000}` : '',
    addDays('2025-11-17', day),
    i % 2 ? '08:30' : '14:00',
    i % 2 ? '12:30' : '18:30',
    i % 2 ? '0' : '30',
    '',
    i % 10 === 0 ? 'remote' : 'on_site',
    status,
    filled ? '380.00' : '',
    '2025-11-01 10:00',
    filled ? '2025-11-03 16:00' : '',
    '2026-11-16 07:00',
  ].join(',');
}

async function writeExport(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${GENERIC_SHIFT_COLUMNS.join(',')}\n`);
  for (let i = 0; i < rows; i += 1) {
    const line = exportLine(i);
    if (!out.write(`${line}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/**
 * Many small files: put them in a fresh raw area, time one bare DuckDB read of them all written to
 * one Parquet file (the floor), then Rotascope's ingest of them, and print both and the ratio.
 */
async function smallFilesCase(
  label: string,
  files: readonly { key: string; body: string }[],
  reference: Reference,
): Promise<void> {
  const root = await mkdtemp(path.join(dir, 'small-'));
  const raw = new LocalFolderStore(path.join(root, 'raw'));
  const curated = new LocalFolderStore(path.join(root, 'curated'));
  for (const f of files) await raw.put(f.key, f.body);
  const totalRows = files.reduce((n, f) => n + f.body.split('\n').length - 2, 0);
  const list = files.map((f) => sqlString(path.join(root, 'raw', f.key))).join(', ');
  let engine = await DuckDbEngine.open();
  let t = performance.now();
  await engine.run(
    `copy (select * from read_csv([${list}], all_varchar = true, header = true, union_by_name = true, filename = true)) to ${sqlString(path.join(root, 'bare.parquet'))} (format parquet)`,
  );
  const bare = (performance.now() - t) / 1000;
  await engine.close();
  // The stricter floor: files with the same header read by one read_csv without union_by_name
  // (which sniffs every file's header), one Parquet file per header.
  const byHeader = new Map<string, string[]>();
  for (const f of files) {
    const header = f.body.slice(0, f.body.indexOf('\n'));
    byHeader.set(header, [...(byHeader.get(header) ?? []), path.join(root, 'raw', f.key)]);
  }
  engine = await DuckDbEngine.open();
  t = performance.now();
  for (const [i, group] of [...byHeader.values()].entries()) {
    await engine.run(
      `copy (select * from read_csv([${group.map(sqlString).join(', ')}], all_varchar = true, header = true, filename = true)) to ${sqlString(path.join(root, `bare-${i}.parquet`))} (format parquet)`,
    );
  }
  const strict = (performance.now() - t) / 1000;
  await engine.close();
  engine = await DuckDbEngine.open();
  const phases = new Map<IngestPhase, number>();
  t = performance.now();
  const summary = await ingestAll({
    engine,
    raw,
    curated,
    secrets: new KeyFileSecrets(path.join(root, 'key')),
    reference,
    mappingsDir: path.join(packageRoot, 'mappings'),
    clock: fixedClock('2026-11-30T09:00:00Z'),
    phases,
    ...(batchFiles === undefined ? {} : { batchFiles }),
  });
  const ours = (performance.now() - t) / 1000;
  await engine.close();
  if (summary.ingested.length !== files.length || summary.failed.length > 0)
    throw new Error(`not every file was ingested: ${JSON.stringify(summary.failed)}`);
  console.log(`${label}: ${files.length} files, ${totalRows.toLocaleString('en-GB')} rows`);
  console.log(`  bare DuckDB read_csv(all files, union_by_name) -> parquet: ${bare.toFixed(2)} s`);
  console.log(
    `  bare DuckDB read_csv per header (${byHeader.size}) -> parquet: ${strict.toFixed(2)} s`,
  );
  console.log(
    `  rotascope ingest: ${ours.toFixed(2)} s (${((ours / files.length) * 1000).toFixed(0)} ms per file; ${phaseLine(phases)})`,
  );
  console.log(
    `  ratio ingest / bare read: ${(ours / bare).toFixed(1)}x; / bare read per header: ${(ours / strict).toFixed(1)}x (target: within 3x)`,
  );
}

/** CPU seconds (user + system, every thread) since `start`: less disturbed by load than wall time. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-bench-'));

async function largeFileCase(reference: Reference): Promise<void> {
  const raw = new LocalFolderStore(path.join(dir, 'raw'));
  const curated = new LocalFolderStore(path.join(dir, 'curated'));
  const key = 'generic/U60865/shifts/bench.csv';
  const file = path.join(dir, 'raw', key);
  await raw.put(key, '');
  await writeExport(file);
  const bytes = (await stat(file)).size;
  console.log(`export: ${rows.toLocaleString('en-GB')} rows, ${(bytes / 1e6).toFixed(0)} MB`);

  const bareEngine = await DuckDbEngine.open();
  let cpu = process.cpuUsage();
  let t = performance.now();
  await bareEngine.run(
    `copy (select * from read_csv(${sqlString(file)}, all_varchar = true, header = true)) to ${sqlString(path.join(dir, 'bare.parquet'))} (format parquet)`,
  );
  const bare = (performance.now() - t) / 1000;
  const bareCpu = cpuSeconds(cpu);
  await bareEngine.close();

  // Ingest on an engine of its own, as a run has: the bare COPY's buffers are not its memory.
  const engine = await DuckDbEngine.open();
  const phases = new Map<IngestPhase, number>();
  peakRss = process.memoryUsage().rss;
  cpu = process.cpuUsage();
  t = performance.now();
  const summary = await ingestAll({
    engine,
    raw,
    curated,
    secrets: new KeyFileSecrets(path.join(dir, 'key')),
    reference,
    mappingsDir: path.join(packageRoot, 'mappings'),
    clock: fixedClock('2026-11-16T09:00:00Z'),
    phases,
  });
  const ours = (performance.now() - t) / 1000;
  const oursCpu = cpuSeconds(cpu);
  await engine.close();
  if (summary.rowsIn !== rows || summary.accepted + summary.rejected !== rows)
    throw new Error(`conservation failed: ${JSON.stringify(summary)}`);
  console.log(
    `bare COPY read_csv -> parquet: ${bare.toFixed(2)} s, CPU ${bareCpu.toFixed(2)} s (${Math.round(rows / bare).toLocaleString('en-GB')} rows/s)`,
  );
  console.log(
    `rotascope ingest:              ${ours.toFixed(2)} s, CPU ${oursCpu.toFixed(2)} s (${Math.round(rows / ours).toLocaleString('en-GB')} rows/s; ${phaseLine(phases)})`,
  );
  console.log(
    `ratio ingest / bare copy:      ${(ours / bare).toFixed(2)}x (target: within 1.5x, 2x the floor)`,
  );
  console.log(
    `peak RSS during ingest:        ${(peakRss / 2 ** 20).toFixed(0)} MiB (target: under 1,024 MiB)`,
  );
  console.log(
    `curated objects: ${(await curated.list()).length}; rejected rows: ${summary.rejected}`,
  );
}

try {
  const reference = await loadReference(path.join(packageRoot, 'data', 'reference'));
  if (rows > 0) await largeFileCase(reference);

  const demo = generateDemo({
    reference,
    seed: 20260406,
    weeks: 14,
    lastWeekStart: lastCompleteWeekStart(new Date('2026-11-30T09:00:00Z')),
  });
  await smallFilesCase('demo exports', demo.files, reference);
  const header = GENERIC_SHIFT_COLUMNS.join(',');
  // A small export is a week's rota: its 100 shifts fall in one week (file f: week f % 52).
  const generated = Array.from({ length: smallFiles }, (_, f) => ({
    key: `generic/U60865/shifts/small-${String(f).padStart(5, '0')}.csv`,
    body: `${header}\n${Array.from({ length: 100 }, (_, i) => exportLine(f * 100 + i, (f % 52) * 7 + (i % 7))).join('\n')}\n`,
  }));
  if (smallFiles > 0) await smallFilesCase(`${smallFiles} files of 100 rows`, generated, reference);
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
