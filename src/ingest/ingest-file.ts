/**
 * Ingest one raw export: read it with DuckDB (all columns as text), map and validate every row
 * in SQL (queries/ingest/), pseudonymise person ids, and write accepted rows as partitioned
 * Parquet, rejects with reasons, and a manifest to the curated store. The raw object is only
 * ever read. Conservation (rows in = accepted + rejected) is checked on every file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../config.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { oneLineReason, RotascopeError, UnreadableExportError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { type CuratedTable, dataKey, manifestKey, rejectsKey } from './curated-layout.js';
import { AVAILABILITY_COLUMNS, SHIFT_COLUMNS } from './curated-schema.js';
import {
  GENERIC_AVAILABILITY_COLUMNS,
  GENERIC_AVAILABILITY_REQUIRED,
  GENERIC_SHIFT_COLUMNS,
  GENERIC_SHIFT_REQUIRED,
} from './generic-layout.js';
import { rejectMessage } from './messages.js';
import { clinicianKey, pseudonymTable, type Secrets } from './pseudonymise.js';
import { type ExportKind, parseRawKey } from './raw-key.js';
import { NotTextError, toUtf8 } from './to-utf8.js';

export interface IngestManifest {
  sourceFile: string;
  sourceSystem: string;
  kind: ExportKind;
  contentSha256: string;
  networkCode: string;
  rowsIn: number;
  accepted: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  /** Latest exported_at among the file's rows (ISO instant), or null for an empty file. */
  exportedAt: string | null;
  curatedKeys: string[];
  ingestedAt: string;
}

export interface IngestContext {
  engine: DuckDbEngine;
  raw: ObjectStore;
  curated: ObjectStore;
  secrets: Secrets;
  tmpDir: string;
  now: () => Date;
}

interface Layout {
  table: CuratedTable;
  columns: readonly string[];
  required: readonly string[];
  sqlFile: string;
  outputColumns: readonly string[];
}

const LAYOUTS: Record<string, Partial<Record<ExportKind, Layout>>> = {
  generic: {
    shifts: {
      table: 'shifts',
      columns: GENERIC_SHIFT_COLUMNS,
      required: GENERIC_SHIFT_REQUIRED,
      sqlFile: 'generic_shifts.sql',
      outputColumns: SHIFT_COLUMNS,
    },
    availability: {
      table: 'availability',
      columns: GENERIC_AVAILABILITY_COLUMNS,
      required: GENERIC_AVAILABILITY_REQUIRED,
      sqlFile: 'generic_availability.sql',
      outputColumns: AVAILABILITY_COLUMNS,
    },
  },
};

const sqlCache = new Map<string, string>();
async function mappingSql(file: string): Promise<string> {
  let sql = sqlCache.get(file);
  if (!sql) {
    sql = await readFile(path.join(packageRoot, 'queries', 'ingest', file), 'utf8');
    sqlCache.set(file, sql);
  }
  return sql;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The short hash used in curated keys (96 bits: unique for any realistic number of exports). */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 24);
}

export async function ingestFile(
  ctx: IngestContext,
  key: string,
  bytes?: Uint8Array,
): Promise<IngestManifest> {
  const parsedKey = parseRawKey(key);
  if (!parsedKey) {
    throw new UnreadableExportError(
      key,
      'the key is not <source_system>/<network_code>/<shifts|availability>/<file>',
    );
  }
  const layout = LAYOUTS[parsedKey.sourceSystem]?.[parsedKey.kind];
  if (!layout) {
    throw new UnreadableExportError(
      key,
      `no mapping for source system "${parsedKey.sourceSystem}" (${parsedKey.kind})`,
    );
  }
  const body = bytes ?? (await ctx.raw.get(key));
  const sha = contentHash(body);
  const hash = shortHash(sha);
  const work = path.join(ctx.tmpDir, hash);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const localFile = path.join(work, 'export.csv');
    await writeFile(localFile, decodeExport(key, body));
    await readRawRows(ctx.engine, key, localFile, layout);
    await loadPseudonyms(ctx);
    const ingestedAt = ctx.now().toISOString();
    await ctx.engine.run(await mappingSql(layout.sqlFile), {
      source_system: parsedKey.sourceSystem,
      source_file: key,
      ingested_at: ingestedAt,
    });
    const counts = await countOutcomes(ctx.engine, key);
    const curatedKeys = await writeAccepted(ctx, layout, work, hash);
    if (counts.rejected > 0) {
      curatedKeys.push(
        await writeRejects(
          ctx,
          work,
          hash,
          parsedKey.sourceSystem,
          key,
          parsedKey.networkCode,
          ingestedAt,
        ),
      );
    }
    const manifest: IngestManifest = {
      sourceFile: key,
      sourceSystem: parsedKey.sourceSystem,
      kind: parsedKey.kind,
      contentSha256: sha,
      networkCode: parsedKey.networkCode,
      ...counts,
      curatedKeys,
      ingestedAt,
    };
    await ctx.curated.put(
      manifestKey(hash),
      `${JSON.stringify(manifest, null, 2)}\n`,
      'application/json',
    );
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The export as UTF-8, or an UnreadableExportError naming the file and the problem. */
function decodeExport(key: string, body: Uint8Array): Uint8Array {
  try {
    return toUtf8(body).bytes;
  } catch (error) {
    if (error instanceof NotTextError) throw new UnreadableExportError(key, error.message);
    throw error;
  }
}

async function readRawRows(
  engine: DuckDbEngine,
  key: string,
  localFile: string,
  layout: Layout,
): Promise<void> {
  try {
    await engine.run(
      `create or replace temp table raw_file as select * from read_csv(${sqlString(localFile)}, all_varchar = true, header = true, auto_detect = true)`,
    );
  } catch (error) {
    throw new UnreadableExportError(key, oneLineReason(error), { cause: error });
  }
  const present = new Map(
    tableRows<{ column_name: string }>(
      await engine.query('select column_name from (describe raw_file)'),
    ).map((c) => [c.column_name.trim().toLowerCase(), c.column_name]),
  );
  const missing = layout.required.filter((c) => !present.has(c));
  if (missing.length > 0) {
    throw new UnreadableExportError(
      key,
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  const select = layout.columns
    .map((c) => {
      const actual = present.get(c);
      return actual ? `"${actual.replaceAll('"', '""')}" as ${c}` : `cast(null as varchar) as ${c}`;
    })
    .join(', ');
  await engine.run(
    `create or replace temp view raw_rows as select cast(rowid + 1 as integer) as source_row, ${select} from raw_file`,
  );
}

async function loadPseudonyms(ctx: IngestContext): Promise<void> {
  const ids = tableRows<{ person_id: string }>(
    await ctx.engine.query(
      `select distinct person_id from raw_rows where nullif(trim(person_id), '') is not null`,
    ),
  ).map((r) => r.person_id);
  const key = await ctx.secrets.pseudonymKey();
  await ctx.engine.loadTextTable(
    'pseudonyms',
    ['person_id_norm', 'clinician_key'],
    pseudonymTable(key, ids),
  );
}

async function countOutcomes(engine: DuckDbEngine, key: string) {
  const [totals] = tableRows<{
    rows_in: number;
    mapped: number;
    accepted: number;
    rejected: number;
    exported_at: string | null;
  }>(
    await engine.query(`select (select count(*) from raw_rows) as rows_in, count(*) as mapped,
      count(*) filter (where reason_code is null) as accepted, count(*) filter (where reason_code is not null) as rejected,
      max(exported_at) as exported_at from mapped`),
  );
  if (
    !totals ||
    totals.mapped !== totals.rows_in ||
    totals.accepted + totals.rejected !== totals.rows_in
  ) {
    throw new RotascopeError(
      `Conservation failed for ${key}: ${JSON.stringify(totals)} (a bug: please report it)`,
    );
  }
  const rejectsByReason = Object.fromEntries(
    tableRows<{ reason_code: string; n: number }>(
      await engine.query(
        'select reason_code, count(*) as n from mapped where reason_code is not null group by 1 order by 1',
      ),
    ).map((r) => [r.reason_code, r.n]),
  );
  return {
    rowsIn: totals.rows_in,
    accepted: totals.accepted,
    rejected: totals.rejected,
    rejectsByReason,
    exportedAt: totals.exported_at,
  };
}

async function writeAccepted(
  ctx: IngestContext,
  layout: Layout,
  work: string,
  hash: string,
): Promise<string[]> {
  const out = path.join(work, 'accepted');
  await ctx.engine.run(
    `copy (select ${layout.outputColumns.join(', ')} from mapped where reason_code is null order by source_row)
     to ${sqlString(out)} (format parquet, partition_by (network_code, week_start), filename_pattern 'part_{i}')`,
  );
  const keys: string[] = [];
  for (const file of await listFiles(out)) {
    const relative = path.relative(out, file).split(path.sep);
    const part = Number(/part_(\d+)\.parquet$/.exec(relative.at(-1) ?? '')?.[1] ?? 0);
    const key = dataKey(layout.table, relative.slice(0, -1).join('/'), hash, part);
    await ctx.curated.put(key, await readFile(file), 'application/vnd.apache.parquet');
    keys.push(key);
  }
  return keys.sort();
}

async function writeRejects(
  ctx: IngestContext,
  work: string,
  hash: string,
  sourceSystem: string,
  sourceFile: string,
  networkCode: string,
  ingestedAt: string,
): Promise<string> {
  const rows = tableRows<{
    source_row: number;
    reason_code: string;
    reason_detail: string | null;
    raw_values: string;
  }>(
    await ctx.engine.query(`select m.source_row, m.reason_code, m.reason_detail, to_json(r) as raw_values
      from mapped as m join raw_rows as r using (source_row) where m.reason_code is not null order by m.source_row`),
  );
  const key = await ctx.secrets.pseudonymKey();
  await ctx.engine.loadTextTable(
    'rejects_out',
    ['source_row', 'reason_code', 'message', 'raw_values'],
    rows.map((r) => {
      const { source_row: _row, ...raw } = JSON.parse(r.raw_values) as Record<
        string,
        string | null
      >;
      return [
        String(r.source_row),
        r.reason_code,
        rejectMessage(r.reason_code, r.source_row, raw, r.reason_detail),
        JSON.stringify(redactPersonId(raw, key)),
      ];
    }),
  );
  const file = path.join(work, 'rejects.parquet');
  await ctx.engine.run(
    `copy (select $source_system as source_system, $source_file as source_file, cast(source_row as integer) as source_row,
       $network_code as network_code, reason_code, message, raw_values, cast($ingested_at as timestamptz) as ingested_at
       from rejects_out order by source_row) to ${sqlString(file)} (format parquet)`,
    {
      source_system: sourceSystem,
      source_file: sourceFile,
      network_code: networkCode,
      ingested_at: ingestedAt,
    },
  );
  const rejects = rejectsKey(sourceSystem, hash);
  await ctx.curated.put(rejects, await readFile(file), 'application/vnd.apache.parquet');
  return rejects;
}

/** Rejects keep the raw values to act on, but a person id only as its pseudonym. */
export function redactPersonId(
  raw: Record<string, string | null>,
  key: Uint8Array,
): Record<string, string | null> {
  const id = raw.person_id?.trim();
  return id ? { ...raw, person_id: `pseudonym:${clinicianKey(key, id)}` } : raw;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
