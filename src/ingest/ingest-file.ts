/**
 * Ingest one raw export: read it into DuckDB as it is (read-export.ts), stage it through its
 * source mapping (mapping-sql.ts), check and shape every row in SQL (queries/ingest/<kind>.sql),
 * pseudonymise person ids, and write accepted rows as partitioned Parquet, rejects with reasons,
 * and a report (manifest) to the curated store. The raw object is only ever read. Conservation
 * (rows in = accepted + rejected) is checked on every file.
 *
 * Re-ingest (`ingest --force`, e.g. after a lookup row was added) writes the file's curated keys
 * again and then deletes the ones its previous ingest wrote and this one does not (the previous
 * manifest lists them): a rejects file whose rows are now accepted, a partition for a week or
 * network the rows no longer fall in. The manifest is written last, so a run stopped half way
 * leaves the previous manifest, and the next forced run deletes the same stale keys. A re-ingest
 * that fails the whole file changes nothing: the previous ingest stands.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type CuratedTable, dataKey, manifestKey, rejectsKey } from '../curated/curated-layout.js';
import { AVAILABILITY_COLUMNS, SHIFT_COLUMNS } from '../curated/curated-schema.js';
import type { ExportedAtSource, ExportKind, IngestManifest } from '../curated/ingest-manifest.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { renderSql } from '../engine/render-sql.js';
import { ConfigError, InvariantError, UnreadableExportError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import type { ObjectStore } from '../store/object-store.js';
import type { DateWindow } from './date-window.js';
import { exportedAtFromFileName, exportedAtFromTitle } from './exported-at.js';
import type { KindMapping, MappingRegistry, SourceMapping } from './mapping.js';
import {
  FIELDS,
  fieldLabel,
  lookupTableName,
  quoteIdent,
  referencedColumns,
  StagingCompiler,
  specColumns,
} from './mapping-sql.js';
import { rejectMessageSql } from './messages.js';
import { clinicianKey, pseudonymTable, type Secrets } from './pseudonymise.js';
import { parseRawKey } from './raw-key.js';
import { type ReadExport, readExport } from './read-export.js';
import { type ExtendedHoursWindow, extendedHoursSql } from './session-rule.js';

export interface IngestContext {
  engine: DuckDbEngine;
  raw: ObjectStore;
  curated: ObjectStore;
  secrets: Secrets;
  mappings: MappingRegistry;
  /** When a source does not give the session type: the extended-hours windows. */
  extendedHours: readonly ExtendedHoursWindow[];
  /** Plausible shift dates (and availability weeks); outside: `date_out_of_range`. */
  dateWindow: DateWindow;
  tmpDir: string;
  now: () => Date;
  /** Exports up to this many bytes are staged in temp tables, larger ones through views. */
  stageInTablesUpTo?: number;
  /** Seconds spent in each phase, summed over the run's files (phaseLine in ingest-all.ts). */
  phases?: Map<IngestPhase, number>;
}

/** The phases of one file's ingest, in order. */
export const INGEST_PHASES = ['read', 'stage', 'check', 'write', 'store'] as const;
export type IngestPhase = (typeof INGEST_PHASES)[number];

/** Time `work` as `phase` of the run (ctx.phases), whether it succeeds or fails. */
async function timed<T>(
  ctx: IngestContext,
  phase: IngestPhase,
  work: () => Promise<T>,
): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    ctx.phases?.set(phase, (ctx.phases.get(phase) ?? 0) + (performance.now() - t) / 1000);
  }
}

const OUTPUT_COLUMNS: Record<ExportKind, readonly string[]> = {
  shifts: SHIFT_COLUMNS,
  availability: AVAILABILITY_COLUMNS,
};

const sqlCache = new Map<string, string>();
async function checksSql(kind: ExportKind): Promise<string> {
  let sql = sqlCache.get(kind);
  if (!sql) {
    sql = await readFile(path.join(packageRoot, 'queries', 'ingest', `${kind}.sql`), 'utf8');
    sqlCache.set(kind, sql);
  }
  return sql;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The hash in a raw file's curated keys and ingest report: its content hash within its folder
 * (`<source_system>/<network>/<kind>`), 96 bits. The same export uploaded again into the same
 * folder (under any name) maps to the same keys, so re-ingest is idempotent; the same bytes in
 * another network's folder (an export covering several networks, uploaded once per network) are
 * that network's own file, with its own keys, and never overwrite or replace the other's.
 */
export function curatedHash(rawKey: string, sha256: string): string {
  const folder = rawKey.slice(0, rawKey.lastIndexOf('/') + 1);
  return shortHash(contentHash(new TextEncoder().encode(`${folder}\n${sha256}`)));
}

/** The short hash used in curated keys (96 bits: unique for any realistic number of exports). */
export function shortHash(sha256: string): string {
  return sha256.slice(0, 24);
}

async function mappingFor(ctx: IngestContext, key: string) {
  const parsedKey = parseRawKey(key);
  if (!parsedKey) {
    throw new UnreadableExportError(
      key,
      'the key is not <source_system>/<network_code>/<shifts|availability>/<file>',
    );
  }
  let mapping: SourceMapping;
  try {
    mapping = await ctx.mappings.get(parsedKey.sourceSystem);
  } catch (error) {
    if (error instanceof ConfigError) throw new UnreadableExportError(key, error.message);
    throw error;
  }
  const kindMapping = mapping[parsedKey.kind];
  if (!kindMapping) {
    throw new UnreadableExportError(
      key,
      `the ${mapping.name} mapping (${mapping.file}) describes no ${parsedKey.kind} exports`,
    );
  }
  return { parsedKey, mapping, kindMapping };
}

export async function ingestFile(
  ctx: IngestContext,
  key: string,
  bytes?: Uint8Array,
): Promise<IngestManifest> {
  const started = performance.now();
  const { parsedKey, mapping, kindMapping } = await mappingFor(ctx, key);
  const kind = parsedKey.kind;
  const body = bytes ?? (await ctx.raw.get(key));
  const sha = contentHash(body);
  const hash = curatedHash(key, sha);
  const work = path.join(ctx.tmpDir, hash);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const columns = referencedColumns(kind, kindMapping);
    const read = await timed(ctx, 'read', () =>
      readExport(ctx.engine, {
        key,
        body,
        formats: kindMapping.formats,
        requiredColumns: columns.required,
        expectedColumns: columns.expected,
        workDir: work,
        dateColumns: Object.entries(kindMapping.fields).flatMap(([field, spec]) => {
          const type = FIELDS[kind][field]?.type;
          return spec.column && (type === 'date' || type === 'timestamp') ? [spec.column] : [];
        }),
        exportedAtJsonPath: kindMapping.exported_at?.json_path,
      }),
    );
    await timed(ctx, 'stage', async () => {
      await loadLookups(ctx.engine, mapping);
      await dropStaging(ctx.engine);
      await ctx.engine.run(
        new StagingCompiler(mapping, kind, read.columns, read.malformedRows > 0).stagedViewSql({
          materialise: body.length <= (ctx.stageInTablesUpTo ?? STAGE_IN_TABLES_UP_TO),
        }),
      );
      await loadPseudonyms(ctx);
    });
    const fallback = await fileExportedAt(ctx, key, parsedKey.fileName, kindMapping, read);
    const fallbackExportedAt = fallback.at;
    const checks = renderSql(await checksSql(kind), {
      extended_hours: extendedHoursSql(ctx.extendedHours, 'c.start_local'),
    });
    await timed(ctx, 'check', () =>
      ctx.engine.run(checks, {
        source_system: parsedKey.sourceSystem,
        source_file: key,
        exported_at: fallbackExportedAt.toISOString(),
        earliest_date: ctx.dateWindow.earliest,
        max_days_ahead: ctx.dateWindow.maxDaysAhead,
        ingested_at: ctx.now().toISOString(),
        folder_network: parsedKey.networkCode,
      }),
    );
    const counts = await timed(ctx, 'check', () => countOutcomes(ctx.engine, key));
    // Every output is written locally first, so an engine error stores nothing for this file.
    const outputs = await timed(ctx, 'write', () => writeAccepted(ctx, kind, work, hash));
    if (counts.rejected > 0) {
      outputs.push(
        await timed(ctx, 'write', () =>
          writeRejects(ctx, {
            work,
            kind,
            hash,
            sourceSystem: parsedKey.sourceSystem,
            sourceFile: key,
            networkCode: parsedKey.networkCode,
            mapping,
            kindMapping,
            columns: read.columns,
          }),
        ),
      );
    }
    await timed(ctx, 'store', async () => {
      for (const { key: curatedKey, file } of outputs) {
        await ctx.curated.put(curatedKey, await readFile(file), 'application/vnd.apache.parquet');
      }
    });
    const curatedKeys = outputs.map((o) => o.key);
    // The rows' own column wins where it is given; the latest time is the fallback's only when
    // no row gave a later one.
    const fromColumn =
      kindMapping.fields.exported_at !== undefined &&
      counts.exportedAt !== null &&
      new Date(counts.exportedAt).getTime() !== fallbackExportedAt.getTime();
    await timed(ctx, 'store', () => deleteStaleKeys(ctx.curated, hash, curatedKeys));
    const manifest: IngestManifest = {
      sourceFile: key,
      sourceSystem: parsedKey.sourceSystem,
      kind,
      format: read.format,
      contentSha256: sha,
      networkCode: parsedKey.networkCode,
      ...counts,
      exportedAtSource: fromColumn ? 'column' : fallback.source,
      curatedKeys,
      ingestedAt: ctx.now().toISOString(),
      seconds: Math.round(performance.now() - started) / 1000,
    };
    await timed(ctx, 'store', () =>
      ctx.curated.put(
        manifestKey(hash),
        `${JSON.stringify(manifest, null, 2)}\n`,
        'application/json',
      ),
    );
    return manifest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The file's export time when its rows give none, in this order: the mapping's
 * `exported_at.title_line` in the lines above the header, its `exported_at.json_path` in a JSON
 * envelope, a date-time stamp in the file name, the raw object's modified time.
 */
async function fileExportedAt(
  ctx: IngestContext,
  key: string,
  fileName: string,
  kindMapping: KindMapping,
  read: ReadExport,
): Promise<{ at: Date; source: Exclude<ExportedAtSource, 'column'> }> {
  const spec = kindMapping.exported_at;
  if (spec?.title_line && read.titleLines.length > 0) {
    const at = exportedAtFromTitle(read.titleLines, spec.title_line);
    if (at) return { at, source: 'title_line' };
  }
  if (spec?.json_path && read.metadataExportedAt !== undefined) {
    const parse = spec.format === 'unix_seconds' ? 'parse_unix_seconds' : 'parse_timestamp';
    const [row] = tableRows<{ ms: number | null }>(
      await ctx.engine.query(`select cast(epoch_ms(${parse}($t)) as double) as ms`, {
        t: read.metadataExportedAt,
      }),
    );
    if (row?.ms !== null && row?.ms !== undefined) {
      return { at: new Date(row.ms), source: 'metadata' };
    }
  }
  const stamped = exportedAtFromFileName(fileName);
  if (stamped) return { at: stamped, source: 'file_name' };
  return { at: await ctx.raw.modifiedAt(key), source: 'modified_time' };
}

/** Delete the curated keys the file's previous ingest (its manifest) wrote and this one did not. */
async function deleteStaleKeys(
  curated: ObjectStore,
  hash: string,
  written: readonly string[],
): Promise<void> {
  const manifest = manifestKey(hash);
  if (!(await curated.exists(manifest))) return;
  let previous: unknown;
  try {
    previous = JSON.parse(Buffer.from(await curated.get(manifest)).toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) return;
    throw error;
  }
  const keys = (previous as { curatedKeys?: unknown }).curatedKeys;
  if (!Array.isArray(keys)) return;
  const keep = new Set(written);
  for (const stale of keys) {
    // Only this file's own data and rejects keys: never raw, never a manifest.
    if (typeof stale !== 'string' || keep.has(stale)) continue;
    if (!/^(shifts|availability|rejects)\//.test(stale) || !stale.includes(`/${hash}`)) continue;
    if (await curated.exists(stale)) await curated.deletePrefix(stale);
  }
}

/**
 * Exports up to this size are staged into temp tables, larger ones through views (stagedViewSql).
 * 4 MB is about 30,000 rows of a generic CSV: well under 100 MB staged.
 */
export const STAGE_IN_TABLES_UP_TO = 4 * 1024 * 1024;

/** Drop the previous file's `staged` and `staged_fields`, views or tables, so either can follow. */
async function dropStaging(engine: DuckDbEngine): Promise<void> {
  const existing = tableRows<{ name: string; kind: string }>(
    await engine.query(
      `select view_name as name, 'view' as kind from duckdb_views() where temporary and view_name in ('staged', 'staged_fields')
       union all
       select table_name, 'table' from duckdb_tables() where temporary and table_name in ('staged', 'staged_fields')
       order by name`,
    ),
  );
  // `staged` reads `staged_fields`: drop it first.
  for (const { name, kind } of existing) await engine.run(`drop ${kind} ${quoteIdent(name)}`);
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

async function loadPseudonyms(ctx: IngestContext): Promise<void> {
  const ids = tableRows<{ person_id: string }>(
    await ctx.engine.query('select distinct person_id from staged where person_id is not null'),
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
    throw new InvariantError(
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
  const touched = tableRows<{ network_code: string; week_start: string }>(
    await engine.query(
      'select distinct network_code, week_start from mapped where reason_code is null order by 1, 2',
    ),
  );
  return {
    rowsIn: totals.rows_in,
    accepted: totals.accepted,
    rejected: totals.rejected,
    rejectsByReason,
    networks: [...new Set(touched.map((t) => t.network_code))].sort(),
    weeks: [...new Set(touched.map((t) => t.week_start))].sort(),
    exportedAt: totals.exported_at,
  };
}

async function writeAccepted(
  ctx: IngestContext,
  kind: ExportKind,
  work: string,
  hash: string,
): Promise<LocalOutput[]> {
  const out = path.join(work, 'accepted');
  await ctx.engine.run(
    `copy (select ${OUTPUT_COLUMNS[kind].join(', ')} from mapped where reason_code is null order by source_row)
     to ${sqlString(out)} (format parquet, partition_by (network_code, week_start), filename_pattern 'part_{i}')`,
  );
  const outputs: LocalOutput[] = [];
  for (const file of await listFiles(out)) {
    const relative = path.relative(out, file).split(path.sep);
    const part = Number(/part_(\d+)\.parquet$/.exec(relative.at(-1) ?? '')?.[1] ?? 0);
    outputs.push({
      key: dataKey(kind as CuratedTable, relative.slice(0, -1).join('/'), hash, part),
      file,
    });
  }
  return outputs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A curated object written to the scratch folder, and the key it is stored under. */
interface LocalOutput {
  key: string;
  file: string;
}

interface RejectsTarget {
  work: string;
  kind: ExportKind;
  hash: string;
  sourceSystem: string;
  sourceFile: string;
  networkCode: string;
  mapping: SourceMapping;
  kindMapping: KindMapping;
  /** The export's columns (read-export.ts). */
  columns: Map<string, string>;
}

/**
 * The rejects of one file, built and written by DuckDB in one statement (no row passes through
 * JavaScript, so a file of 200,000 rejects costs what its accepted rows would): the message from
 * the templates in messages.ts (rejectMessageSql), and the raw values as JSON, where every column
 * a person id is read from (the person_id field's column or cases, and the mapping's
 * person_columns) holds only `pseudonym:<clinician_key>` and the private columns `[removed]`.
 */
async function writeRejects(ctx: IngestContext, target: RejectsTarget): Promise<LocalOutput> {
  const { mapping, kindMapping } = target;
  const header = [...target.columns.values()];
  const norm = (c: string) => c.trim().toLowerCase();
  const personColumns = new Set(
    [
      ...(kindMapping.fields.person_id ? specColumns(kindMapping.fields.person_id) : []),
      ...kindMapping.person_columns,
    ].map(norm),
  );
  const privateColumns = new Set(kindMapping.private_columns.map(norm));
  const persons = header.filter((c) => personColumns.has(norm(c)) && !privateColumns.has(norm(c)));
  await loadRawPseudonyms(ctx, persons);
  const values = header.map((column) => {
    const cell = `r.${quoteIdent(column)}`;
    const i = persons.indexOf(column);
    const value = privateColumns.has(norm(column))
      ? `case when ${cell} is null then null else '[removed]' end`
      : i >= 0
        ? `case when coalesce(trim(${cell}), '') = '' then ${cell} else coalesce('pseudonym:' || p${i}.clinician_key, '[removed]') end`
        : cell;
    return `${sqlString(column)}, ${value}`;
  });
  const joins = persons.map(
    (column, i) =>
      `left join raw_pseudonyms as p${i} on p${i}.person_id_norm = normalise_person_id(r.${quoteIdent(column)})`,
  );
  const labels = Object.keys(kindMapping.fields).map(
    (field) => `when ${sqlString(field)} then ${sqlString(fieldLabel(kindMapping, field))}`,
  );
  const lookupDetails = Object.entries(kindMapping.fields).flatMap(([field, spec]) =>
    spec.lookup
      ? [
          `when ${sqlString(field)} then ${sqlString(`"${spec.lookup}" (${path.basename(mapping.lookups[spec.lookup]?.file ?? '')})`)}`,
        ]
      : [],
  );
  const label =
    labels.length > 0
      ? `case m.reason_field ${labels.join(' ')} else coalesce(m.reason_field, '') end`
      : `coalesce(m.reason_field, '')`;
  const detail =
    lookupDetails.length > 0
      ? `case when m.reason_code = 'unmapped_value' then (case m.reason_field ${lookupDetails.join(' ')} else m.reason_detail end) else m.reason_detail end`
      : 'm.reason_detail';
  const message = rejectMessageSql({
    reason: 'f.reason_code',
    row: 'f.source_row',
    label: 'f.label',
    value: 'f.value',
    detail: 'f.detail',
  });
  const file = path.join(target.work, 'rejects.parquet');
  await ctx.engine.run(
    `copy (
      with f as (
        select m.source_row, m.reason_code, m.exported_at, ${label} as label,
          case when m.reason_field = 'person_id' then null else m.reason_value end as value,
          ${detail} as detail,
          ${header.length > 0 ? `cast(json_object(${values.join(', ')}) as varchar)` : `'{}'`} as raw_values
        from mapped as m
        join raw_rows as r using (source_row)
        ${joins.join('\n        ')}
        where m.reason_code is not null
      )
      select $source_system as source_system, $source_file as source_file, cast(f.source_row as integer) as source_row,
        $kind as kind, $network_code as network_code, f.reason_code, ${message} as message, f.raw_values,
        cast(f.exported_at as timestamptz) as exported_at
      from f order by f.source_row
    ) to ${sqlString(file)} (format parquet)`,
    {
      source_system: target.sourceSystem,
      source_file: target.sourceFile,
      kind: target.kind,
      network_code: target.networkCode,
    },
  );
  return { key: rejectsKey(target.sourceSystem, target.hash), file };
}

/**
 * `raw_pseudonyms`: the pseudonym of every person id in the rejected rows' person columns, keyed
 * by the id as normalise_person_id gives it (and derived from that same text).
 */
async function loadRawPseudonyms(ctx: IngestContext, columns: readonly string[]): Promise<void> {
  const ids =
    columns.length === 0
      ? []
      : tableRows<{ id: string }>(
          await ctx.engine.query(
            `select distinct normalise_person_id(v) as id from (
              ${columns
                .map(
                  (c) =>
                    `select r.${quoteIdent(c)} as v from raw_rows as r join mapped as m using (source_row) where m.reason_code is not null`,
                )
                .join(' union all ')}
            ) where normalise_person_id(v) <> ''`,
          ),
        ).map((r) => r.id);
  const key = await ctx.secrets.pseudonymKey();
  await ctx.engine.loadTextTable(
    'raw_pseudonyms',
    ['person_id_norm', 'clinician_key'],
    ids.map((id) => [id, clinicianKey(key, id)]),
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
