/**
 * Ingest many raw exports in one DuckDB pass. Planning the staging and check SQL is most of a
 * small export's cost (docs/performance.md), and a network sends small exports: so exports of
 * one source system and kind with the same header are gathered in a batch (`file_id` is each
 * file's place in it), staged through their mapping (mapping-sql.ts), checked and shaped
 * (queries/ingest/<kind>.sql), pseudonymised, and written (write-curated.ts) once for the batch.
 *
 * Every file is still its own ingest: the SQL never compares rows of two files, its rows in and
 * out are counted and conserved on their own, and its curated objects and manifest are the
 * same whichever batch it was in (test/integration/ingest/batches.test.ts). One file's failure
 * is that file's: a file that fails conservation or cannot be stored fails alone, and if the
 * batch's SQL fails, each of its files is run again on its own, so the error names its file and
 * the others go through.
 *
 * Re-ingest (`ingest --force`, e.g. after a lookup row was added) writes the file's curated keys
 * again and then deletes the ones its previous ingest wrote and this one does not (the previous
 * manifest lists them): a rejects file whose rows are now accepted, a partition for a week or
 * network the rows no longer fall in. The manifest is written last, so a run stopped half way
 * leaves the previous manifest, and the next forced run deletes the same stale keys. A re-ingest
 * that fails the whole file changes nothing: the previous ingest stands.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { manifestKey } from '../curated/curated-layout.js';
import type { IngestManifest } from '../curated/ingest-manifest.js';
import { tableRows } from '../engine/arrow-types.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { renderSql } from '../engine/render-sql.js';
import { InvariantError, oneLineReason, UnreadableExportError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { deleteStaleKeys, recordVersion, retireEarlierVersion } from './earlier-outputs.js';
import { headerRepeatsSql } from './header-repeats.js';
import { type IngestContext, timed } from './ingest-context.js';
import type { OpenedExport } from './ingest-file.js';
import type { SourceMapping } from './mapping.js';
import { lookupTableName, quoteIdent, referencedColumns, StagingCompiler } from './mapping-sql.js';
import { pseudonymTable } from './pseudonymise.js';
import { readCsvBatch } from './read-csv.js';
import { dropLoadedRows, loadRows, releasedRows } from './read-export.js';
import { extendedHoursSql } from './session-rule.js';
import {
  type AcceptedPartition,
  FILE_EXPORTED_AT_SQL,
  type LocalOutput,
  writeAccepted,
  writeRejects,
} from './write-curated.js';

/** Most files in one batch. */
export const MAX_BATCH_FILES = 500;
/** Most raw bytes in one batch: a batch is staged in memory, about 10x its CSV size. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;

/** One file's outcome: its manifest, or the error that failed it (ingest-all.ts names it). */
export type BatchOutcome =
  | { file: OpenedExport; manifest: IngestManifest }
  | { file: OpenedExport; error: unknown };

/**
 * Files that may share a batch: one mapping, one kind, the same columns in the same order, and
 * read the same way (CSV with one delimiter, read together; or rows the JavaScript readers parsed).
 */
function batchKey(file: OpenedExport): string {
  return JSON.stringify([
    file.parsedKey.sourceSystem,
    file.parsedKey.kind,
    file.materialise,
    file.rows.kind === 'csv' ? `csv ${file.rows.header.delimiter}` : file.rows.kind,
    [...file.read.columns.values()],
  ]);
}

/** A small CSV export: its rows are read with the rest of its batch's, by one read_csv. */
function readTogether(file: OpenedExport): boolean {
  return file.rows.kind === 'csv' && file.materialise;
}

export class IngestBatch {
  private readonly files: OpenedExport[] = [];
  private bytes = 0;
  private runs = 0;

  constructor(private readonly ctx: IngestContext) {}

  /** Whether `file` may join this batch (else flush it first). */
  accepts(file: OpenedExport): boolean {
    const [first] = this.files;
    if (!first) return true;
    return (
      batchKey(first) === batchKey(file) &&
      first.materialise &&
      this.files.length < (this.ctx.batchFiles ?? MAX_BATCH_FILES) &&
      this.bytes + file.size <= MAX_BATCH_BYTES
    );
  }

  /** Whether the batch should be flushed before another file is opened. */
  get full(): boolean {
    const [first] = this.files;
    return (
      first !== undefined &&
      (!first.materialise || this.files.length >= (this.ctx.batchFiles ?? MAX_BATCH_FILES))
    );
  }

  /**
   * Add an opened file to the batch. A small CSV export is read with the rest of the batch when it
   * is flushed; other rows go into the batch's `batch_all_rows` (and `batch_all_malformed`) now.
   * A file whose rows cannot be loaded is not added (the error is its own).
   */
  async add(file: OpenedExport): Promise<void> {
    if (!this.accepts(file)) throw new Error('add: the batch does not accept this file');
    const id = this.files.length;
    if (!readTogether(file)) {
      await timed(this.ctx, 'read', async () => {
        if (id === 0) await this.resetTables();
        await this.loadAlone(file, id, id === 0);
      });
    }
    this.files.push(file);
    this.bytes += file.size;
  }

  /** Start the batch's tables afresh (no rows yet). */
  private async resetTables(): Promise<void> {
    const { engine } = this.ctx;
    await dropRelations(engine, [...STAGING, 'batch_all_rows', 'batch_all_malformed']);
    await engine.run(
      'create temp table batch_all_malformed (file_id integer, source_row integer, detail varchar)',
    );
  }

  /**
   * Load one file's rows on their own (read-export.ts `loadRows`) and take them into the batch's
   * tables as file `id`: a new `batch_all_rows` when `first` (a view over a large export, which
   * stays where its reader put it), else appended.
   */
  private async loadAlone(file: OpenedExport, id: number, first: boolean): Promise<void> {
    const { engine } = this.ctx;
    const dir = path.join(this.ctx.tmpDir, `load-${file.hash}`);
    await mkdir(dir, { recursive: true });
    try {
      file.read.malformedRows = await loadRows(engine, file.rows, dir);
      // The rows are DuckDB's now: let the export's text go, so a large one is not held twice.
      file.rows = releasedRows(file.rows);
    } catch (error) {
      throw new UnreadableExportError(file.key, oneLineReason(error), { cause: error });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const rows = `select cast(${id} as integer) as file_id, * from raw_rows`;
    await engine.run(
      first
        ? `create temp ${file.materialise ? 'table' : 'view'} batch_all_rows as ${rows}`
        : `insert into batch_all_rows by name ${rows}`,
    );
    if (file.read.malformedRows > 0) {
      await engine.run(
        `insert into batch_all_malformed select ${id}, cast(source_row as integer), detail from raw_malformed`,
      );
    }
  }

  /**
   * Read a batch of small CSV exports: all at once (read-csv.ts `readCsvBatch`), then each that
   * had a malformed row on its own. Returns the files that could not be read, with why.
   */
  private async readCsvTogether(files: OpenedExport[]): Promise<Map<number, unknown>> {
    await this.resetTables();
    const dir = path.join(this.ctx.tmpDir, `read-${this.runs + 1}`);
    await mkdir(dir, { recursive: true });
    const failed = new Map<number, unknown>();
    try {
      const alone = await readCsvBatch(
        this.ctx.engine,
        files.flatMap((f, id) =>
          f.rows.kind === 'csv' ? [{ id, utf8: f.rows.utf8, header: f.rows.header }] : [],
        ),
        dir,
      );
      for (const id of alone) {
        try {
          await this.loadAlone(files[id] as OpenedExport, id, false);
        } catch (error) {
          failed.set(id, error);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return failed;
  }

  /** Ingest the batch's files and start an empty batch; one outcome per file, in order. */
  async flush(): Promise<BatchOutcome[]> {
    const files = this.files.splice(0);
    this.bytes = 0;
    if (files.length === 0) return [];
    let failed = new Map<number, unknown>();
    if (readTogether(files[0] as OpenedExport)) {
      try {
        failed = await timed(this.ctx, 'read', () => this.readCsvTogether(files));
      } catch (error) {
        return files.map((file) => ({ file, error }));
      }
    }
    const ids = files.flatMap((_, i) => (failed.has(i) ? [] : [i]));
    const outcomes: BatchOutcome[] = [...failed].map(([id, error]) => ({
      file: files[id] as OpenedExport,
      error,
    }));
    if (ids.length === 0) return outcomes;
    const pick = (list: number[]) => list.map((id) => files[id] as OpenedExport);
    try {
      outcomes.push(...(await this.run(pick(ids), ids)));
    } catch (error) {
      if (ids.length === 1) outcomes.push({ file: pick(ids)[0] as OpenedExport, error });
      else {
        // The batch's SQL failed: run each file on its own, so the error is its file's alone.
        for (const id of ids) {
          try {
            outcomes.push(...(await this.run(pick([id]), [id])));
          } catch (alone) {
            outcomes.push({ file: files[id] as OpenedExport, error: alone });
          }
        }
      }
    }
    const place = new Map(files.map((f, i) => [f, i]));
    return outcomes.sort((a, b) => (place.get(a.file) ?? 0) - (place.get(b.file) ?? 0));
  }

  /**
   * Stage, check and write the files with these file_ids (the whole batch, or one file of it),
   * then store each file's output and manifest.
   */
  private async run(files: OpenedExport[], ids: number[]): Promise<BatchOutcome[]> {
    const started = performance.now();
    const ctx = this.ctx;
    const { engine } = ctx;
    const first = files[0] as OpenedExport;
    const { mapping, kindMapping, parsedKey } = first;
    const kind = parsedKey.kind;
    this.runs += 1;
    const work = path.join(ctx.tmpDir, `batch-${this.runs}`);
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    try {
      // file_id -> the file's curated hash; only these ids are read.
      const hashes: string[] = [];
      for (const [i, id] of ids.entries()) hashes[id] = (files[i] as OpenedExport).hash;
      await timed(ctx, 'stage', async () => {
        await loadLookups(engine, mapping);
        await dropRelations(engine, STAGING);
        const only = `where file_id in (${ids.join(', ')})`;
        await engine.run(`create temp view batch_rows as select * from batch_all_rows ${only}`);
        // Header lines inside an export are malformed rows, as the readers' are (header-repeats.ts).
        const repeats = files.some((f) => f.read.headerMayRepeat)
          ? headerRepeatsSql(first.read.columns, referencedColumns(kind, kindMapping).required)
          : undefined;
        await engine.run(
          `create or replace temp table header_repeats as ${
            repeats
              ? `select h.* from (${repeats}) as h anti join batch_all_malformed as m using (file_id, source_row)`
              : 'select * from batch_all_malformed limit 0'
          };
           create temp view batch_malformed as select * from batch_all_malformed ${only}
             union all select * from header_repeats`,
        );
        const [{ n: headerLines = 0 } = {}] = tableRows<{ n: number }>(
          await engine.query('select count(*)::integer as n from header_repeats'),
        );
        await engine.loadTextTable(
          'ingest_files_text',
          ['file_id', 'source_system', 'source_file', 'fallback_exported_at', 'folder_network'],
          files.map((f, i) => [
            String(ids[i]),
            f.parsedKey.sourceSystem,
            f.key,
            f.fallback.at.toISOString(),
            f.parsedKey.networkCode,
          ]),
        );
        await engine.run(
          `create or replace table ingest_files as
           select cast(file_id as integer) as file_id, source_system, source_file,
             cast(fallback_exported_at as timestamptz) as fallback_exported_at, folder_network
           from ingest_files_text`,
        );
        const malformed = headerLines > 0 || files.some((f) => f.read.malformedRows > 0);
        await engine.run(
          new StagingCompiler(mapping, kind, first.read.columns, malformed).stagedViewSql({
            materialise: first.materialise,
          }),
        );
        await loadPseudonyms(engine, await ctx.secrets.pseudonymKey());
      });
      const checks = renderSql(await ingestSql(kind), {
        extended_hours: extendedHoursSql(ctx.extendedHours, 'c.start_local'),
      });
      await timed(ctx, 'check', async () => {
        await engine.run(checks, {
          earliest_date: ctx.dateWindow.earliest,
          max_days_ahead: ctx.dateWindow.maxDaysAhead,
          ingested_at: ctx.now().toISOString(),
        });
        // Repeats are judged among the rows that passed every other check.
        await engine.run(await ingestSql(`${kind}-repeats`));
      });
      const { counts, partitions } = await timed(ctx, 'check', () => countOutcomes(engine));
      // Every output is written locally first, so an engine error stores nothing. Rejects first:
      // they quote the rows as exported, which a large export then lets go before its accepted
      // rows are sorted and written (the two would be the peak of its memory together).
      const rejects = [...counts.values()].some((c) => c.rejected > 0)
        ? await timed(ctx, 'write', async () =>
            writeRejects(engine, {
              work,
              kind,
              sourceSystem: parsedKey.sourceSystem,
              hashes,
              mapping,
              kindMapping,
              columns: first.read.columns,
              pseudonymKey: await ctx.secrets.pseudonymKey(),
            }),
          )
        : new Map<number, LocalOutput>();
      // A large export is a batch of its own: nothing reads its rows again (no file of it is run
      // again on its own), and the next batch loads its own.
      if (!first.materialise) await dropLoadedRows(engine);
      const accepted = await timed(ctx, 'write', () =>
        writeAccepted(engine, kind, work, hashes, partitions, ctx.writeRows),
      );
      // The batch's time, shared among its files by their rows.
      const batchSeconds = (performance.now() - started) / 1000;
      const totalRows = [...counts.values()].reduce((n, c) => n + c.rowsIn, 0);
      const outcomes: BatchOutcome[] = [];
      for (const [i, id] of ids.entries()) {
        const file = files[i] as OpenedExport;
        const storeStarted = performance.now();
        try {
          const count = counts.get(id);
          if (!count)
            throw new InvariantError(`No counts for ${file.key} (a bug: please report it)`);
          conserved(file.key, count);
          const share = totalRows > 0 ? count.rowsIn / totalRows : 1 / ids.length;
          const outputs = [...(accepted.get(id) ?? [])];
          const rejected = rejects.get(id);
          if (rejected) outputs.push(rejected);
          const manifest = await timed(ctx, 'store', () =>
            storeFile(
              ctx,
              file,
              count,
              outputs,
              () =>
                Math.round(
                  (file.readSeconds +
                    batchSeconds * share +
                    (performance.now() - storeStarted) / 1000) *
                    1000,
                ) / 1000,
            ),
          );
          outcomes.push({ file, manifest });
        } catch (error) {
          outcomes.push({ file, error });
        }
      }
      return outcomes;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}

/** One file's counts from the batch (countOutcomes): its manifest's, and the rows mapped. */
type FileCounts = Pick<
  IngestManifest,
  'rowsIn' | 'accepted' | 'rejected' | 'rejectsByReason' | 'networks' | 'weeks' | 'exportedAt'
> & { mapped: number };

/** Rows in = rows mapped = accepted + rejected, for every file; else a bug, named. */
function conserved(key: string, count: FileCounts): void {
  if (count.mapped !== count.rowsIn || count.accepted + count.rejected !== count.rowsIn) {
    const { rowsIn, mapped, accepted, rejected } = count;
    throw new InvariantError(
      `Conservation failed for ${key}: ${JSON.stringify({ rows_in: rowsIn, mapped, accepted, rejected })} (a bug: please report it)`,
    );
  }
}

/**
 * Store one file's outputs, delete what its previous ingest wrote and this one did not (and what
 * an earlier version under its name wrote), and write its manifest, then its version, last.
 */
async function storeFile(
  ctx: IngestContext,
  file: OpenedExport,
  count: FileCounts,
  outputs: LocalOutput[],
  seconds: () => number,
): Promise<IngestManifest> {
  for (const { key, file: local } of outputs) {
    await ctx.curated.put(key, await readFile(local), 'application/vnd.apache.parquet');
  }
  const curatedKeys = outputs.map((o) => o.key);
  // The rows' own column wins where it is given; the latest time is the fallback's only when no
  // row gave a later one.
  const fromColumn =
    file.kindMapping.fields.exported_at !== undefined &&
    count.exportedAt !== null &&
    new Date(count.exportedAt).getTime() !== file.fallback.at.getTime();
  await deleteStaleKeys(ctx.curated, file.hash, curatedKeys);
  // A changed export under the same name: its earlier version no longer counts.
  await retireEarlierVersion(ctx.curated, file.key, file.hash);
  const { mapped: _mapped, ...counts } = count;
  const manifest: IngestManifest = {
    sourceFile: file.key,
    sourceSystem: file.parsedKey.sourceSystem,
    kind: file.parsedKey.kind,
    format: file.read.format,
    contentSha256: file.contentSha256,
    networkCode: file.parsedKey.networkCode,
    ...counts,
    exportedAtSource: fromColumn ? 'column' : file.fallback.source,
    curatedKeys,
    ...(file.read.unreadSheets ? { unreadSheets: file.read.unreadSheets } : {}),
    ...(file.read.hiddenRows ? { hiddenRows: file.read.hiddenRows } : {}),
    ...(file.read.hiddenColumns ? { hiddenColumns: file.read.hiddenColumns } : {}),
    ...(file.read.similarColumns ? { similarColumns: file.read.similarColumns } : {}),
    ingestedAt: ctx.now().toISOString(),
    seconds: seconds(),
  };
  await ctx.curated.put(
    manifestKey(file.hash),
    `${JSON.stringify(manifest, null, 2)}\n`,
    'application/json',
  );
  await recordVersion(ctx.curated, file.key, file.hash);
  return manifest;
}

/** Staging relations, in the order they are dropped (a view before what it reads). */
const STAGING = ['staged', 'staged_fields', 'batch_rows', 'batch_malformed', 'header_repeats'];

/** Drop these temp views or tables, whichever each is, in the order given. */
async function dropRelations(engine: DuckDbEngine, names: readonly string[]): Promise<void> {
  const list = names.map((n) => `'${n}'`).join(', ');
  const existing = new Map(
    tableRows<{ name: string; kind: string }>(
      await engine.query(
        `select view_name as name, 'view' as kind from duckdb_views() where temporary and view_name in (${list})
         union all
         select table_name, 'table' from duckdb_tables() where temporary and table_name in (${list})`,
      ),
    ).map((r) => [r.name, r.kind]),
  );
  for (const name of names) {
    const kind = existing.get(name);
    if (kind) await engine.run(`drop ${kind} ${quoteIdent(name)}`);
  }
}

const sqlCache = new Map<string, string>();
/** A file of queries/ingest/ by name (`shifts`, `availability`, ...), read once. */
async function ingestSql(name: string): Promise<string> {
  let sql = sqlCache.get(name);
  if (!sql) {
    sql = await readFile(path.join(packageRoot, 'queries', 'ingest', `${name}.sql`), 'utf8');
    sqlCache.set(name, sql);
  }
  return sql;
}

/** The mapping's lookup tables as DuckDB tables keyed by the normalised source value. */
async function loadLookups(engine: DuckDbEngine, mapping: SourceMapping): Promise<void> {
  for (const lookup of Object.values(mapping.lookups)) {
    await engine.loadTextTable(
      lookupTableName(mapping.name, lookup.name),
      ['__key', ...lookup.columns],
      [...lookup.rows].map(([k, values]) => [k, ...values]),
    );
  }
}

/** `pseudonyms`: the clinician key of every person id the batch's rows give. */
async function loadPseudonyms(engine: DuckDbEngine, key: Uint8Array): Promise<void> {
  // Keyed by the id as the checks' join gives it (normalise_person_id, functions.sql), so every
  // person id finds its row, whatever JavaScript's trim and upper case make of it (a tab, ß).
  const ids = tableRows<{ id: string }>(
    await engine.query(
      `select distinct normalise_person_id(person_id) as id from staged
       where normalise_person_id(person_id) <> ''`,
    ),
  ).map((r) => r.id);
  await engine.loadTextTable(
    'pseudonyms',
    ['person_id_norm', 'clinician_key'],
    pseudonymTable(key, ids),
  );
}

/**
 * Each file's counts, by file_id: rows in (read), mapped, accepted, rejected by reason, and what
 * the accepted rows touch; and every (file, network, week) with accepted rows, with how many.
 */
async function countOutcomes(
  engine: DuckDbEngine,
): Promise<{ counts: Map<number, FileCounts>; partitions: AcceptedPartition[] }> {
  const totals = tableRows<{
    file_id: number;
    rows_in: number;
    mapped: number;
    accepted: number;
    rejected: number;
    exported_at: string | null;
  }>(
    await engine.query(`with r as (select file_id, count(*) as n from batch_rows group by file_id),
      m as (select file_id, count(*) as mapped, count(*) filter (where reason_code is null) as accepted,
        count(*) filter (where reason_code is not null) as rejected
        from mapped group by file_id),
      fe as (${FILE_EXPORTED_AT_SQL})
      select f.file_id, coalesce(r.n, 0) as rows_in, coalesce(m.mapped, 0) as mapped,
        coalesce(m.accepted, 0) as accepted, coalesce(m.rejected, 0) as rejected, fe.exported_at
      from ingest_files as f left join r using (file_id) left join m using (file_id)
        left join fe using (file_id)`),
  );
  const counts = new Map<number, FileCounts>(
    totals.map((t) => [
      t.file_id,
      {
        rowsIn: t.rows_in,
        mapped: t.mapped,
        accepted: t.accepted,
        rejected: t.rejected,
        rejectsByReason: {},
        networks: [],
        weeks: [],
        exportedAt: t.exported_at,
      },
    ]),
  );
  for (const r of tableRows<{ file_id: number; reason_code: string; n: number }>(
    await engine.query(
      'select file_id, reason_code, count(*) as n from mapped where reason_code is not null group by all order by 1, 2',
    ),
  )) {
    const c = counts.get(r.file_id);
    if (c) c.rejectsByReason[r.reason_code] = r.n;
  }
  const touched = tableRows<{
    file_id: number;
    network_code: string;
    week_start: string;
    n: number;
  }>(
    await engine.query(
      `select file_id, network_code, cast(week_start as varchar) as week_start, count(*) as n
       from mapped where reason_code is null group by all order by 1, 2, 3`,
    ),
  );
  // Sorted by file, network and week: each file's networks and weeks, in order, once each.
  for (const t of touched) {
    const c = counts.get(t.file_id);
    if (!c) continue;
    if (!c.networks.includes(t.network_code)) c.networks.push(t.network_code);
    if (!c.weeks.includes(t.week_start)) c.weeks.push(t.week_start);
  }
  for (const c of counts.values()) c.weeks.sort();
  const partitions = touched.map((t) => ({
    fileId: t.file_id,
    networkCode: t.network_code,
    weekStart: t.week_start,
    rows: Number(t.n),
  }));
  return { counts, partitions };
}
