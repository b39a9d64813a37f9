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
import { packageRoot } from '../config.js';
import { tableRows } from '../engine/arrow-types.js';
import { renderSql } from '../engine/dialect.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { ConfigError, RotascopeError, UnreadableExportError } from '../errors.js';
import type { ObjectStore } from '../store/object-store.js';
import { type CuratedTable, dataKey, manifestKey, rejectsKey } from './curated-layout.js';
import { AVAILABILITY_COLUMNS, SHIFT_COLUMNS } from './curated-schema.js';
import { exportedAtFromFileName } from './exported-at.js';
import type { KindMapping, MappingRegistry, SourceMapping } from './mapping.js';
import { fieldLabel, lookupTableName, referencedColumns, StagingCompiler } from './mapping-sql.js';
import { rejectMessage } from './messages.js';
import { clinicianKey, pseudonymTable, type Secrets } from './pseudonymise.js';
import { type ExportKind, parseRawKey } from './raw-key.js';
import { readExport } from './read-export.js';
import { type ExtendedHoursWindow, extendedHoursSql } from './session-rule.js';

/** The ingest report of one file, stored as JSON beside the curated output. */
export interface IngestManifest {
  sourceFile: string;
  sourceSystem: string;
  kind: ExportKind;
  format: string;
  contentSha256: string;
  networkCode: string;
  rowsIn: number;
  accepted: number;
  rejected: number;
  rejectsByReason: Record<string, number>;
  /** Networks and ISO weeks (Mondays) the accepted rows fall in. */
  networks: string[];
  weeks: string[];
  /** Latest exported_at among the file's rows (ISO instant), or null for an empty file. */
  exportedAt: string | null;
  curatedKeys: string[];
  ingestedAt: string;
  seconds: number;
}

export interface IngestContext {
  engine: DuckDbEngine;
  raw: ObjectStore;
  curated: ObjectStore;
  secrets: Secrets;
  mappings: MappingRegistry;
  /** When a source does not give the session type: the extended-hours windows. */
  extendedHours: readonly ExtendedHoursWindow[];
  tmpDir: string;
  now: () => Date;
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
    const read = await readExport(ctx.engine, {
      key,
      body,
      formats: kindMapping.formats,
      requiredColumns: columns.required,
      workDir: work,
    });
    await loadLookups(ctx.engine, mapping);
    await ctx.engine.run(new StagingCompiler(mapping, kind, read.columns).stagedViewSql());
    await loadPseudonyms(ctx);
    const fallbackExportedAt =
      exportedAtFromFileName(parsedKey.fileName) ?? (await ctx.raw.modifiedAt(key));
    const checks = renderSql(await checksSql(kind), {
      extended_hours: extendedHoursSql(ctx.extendedHours, 'c.start_local'),
    });
    await ctx.engine.run(checks, {
      source_system: parsedKey.sourceSystem,
      source_file: key,
      exported_at: fallbackExportedAt.toISOString(),
      folder_network: parsedKey.networkCode,
    });
    const counts = await countOutcomes(ctx.engine, key);
    const curatedKeys = await writeAccepted(ctx, kind, work, hash);
    if (counts.rejected > 0) {
      curatedKeys.push(
        await writeRejects(ctx, {
          work,
          kind,
          hash,
          sourceSystem: parsedKey.sourceSystem,
          sourceFile: key,
          networkCode: parsedKey.networkCode,
          mapping,
          kindMapping,
        }),
      );
    }
    await deleteStaleKeys(ctx.curated, hash, curatedKeys);
    const manifest: IngestManifest = {
      sourceFile: key,
      sourceSystem: parsedKey.sourceSystem,
      kind,
      format: read.format,
      contentSha256: sha,
      networkCode: parsedKey.networkCode,
      ...counts,
      curatedKeys,
      ingestedAt: ctx.now().toISOString(),
      seconds: Math.round(performance.now() - started) / 1000,
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
): Promise<string[]> {
  const out = path.join(work, 'accepted');
  await ctx.engine.run(
    `copy (select ${OUTPUT_COLUMNS[kind].join(', ')} from mapped where reason_code is null order by source_row)
     to ${sqlString(out)} (format parquet, partition_by (network_code, week_start), filename_pattern 'part_{i}')`,
  );
  const keys: string[] = [];
  for (const file of await listFiles(out)) {
    const relative = path.relative(out, file).split(path.sep);
    const part = Number(/part_(\d+)\.parquet$/.exec(relative.at(-1) ?? '')?.[1] ?? 0);
    const key = dataKey(kind as CuratedTable, relative.slice(0, -1).join('/'), hash, part);
    await ctx.curated.put(key, await readFile(file), 'application/vnd.apache.parquet');
    keys.push(key);
  }
  return keys.sort();
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
}

async function writeRejects(ctx: IngestContext, target: RejectsTarget): Promise<string> {
  const { mapping, kindMapping } = target;
  const rows = tableRows<{
    source_row: number;
    reason_code: string;
    reason_field: string | null;
    reason_value: string | null;
    reason_detail: string | null;
    exported_at: string;
    raw_values: string;
  }>(
    await ctx.engine.query(`select m.source_row, m.reason_code, m.reason_field, m.reason_value, m.reason_detail,
        m.exported_at, to_json(r) as raw_values
      from mapped as m join raw_rows as r using (source_row) where m.reason_code is not null order by m.source_row`),
  );
  const key = await ctx.secrets.pseudonymKey();
  const personColumns = new Set(
    (kindMapping.fields.person_id?.column ? [kindMapping.fields.person_id.column] : []).map((c) =>
      c.trim().toLowerCase(),
    ),
  );
  const privateColumns = new Set(kindMapping.private_columns.map((c) => c.trim().toLowerCase()));
  await ctx.engine.loadTextTable(
    'rejects_out',
    ['source_row', 'reason_code', 'message', 'raw_values', 'exported_at'],
    rows.map((r) => {
      const { source_row: _row, ...raw } = JSON.parse(r.raw_values) as Record<
        string,
        string | null
      >;
      const field = r.reason_field ?? '';
      const lookup = kindMapping.fields[field]?.lookup;
      const detail =
        r.reason_code === 'unmapped_value' && lookup
          ? `"${lookup}" (${path.basename(mapping.lookups[lookup]?.file ?? '')})`
          : r.reason_detail;
      return [
        String(r.source_row),
        r.reason_code,
        rejectMessage(r.reason_code, r.source_row, {
          label: field === '' ? '' : fieldLabel(kindMapping, field),
          value: r.reason_field === 'person_id' ? null : r.reason_value,
          detail,
        }),
        JSON.stringify(protectRawValues(raw, key, personColumns, privateColumns)),
        r.exported_at,
      ];
    }),
  );
  const file = path.join(target.work, 'rejects.parquet');
  await ctx.engine.run(
    `copy (select $source_system as source_system, $source_file as source_file, cast(source_row as integer) as source_row,
       $kind as kind, $network_code as network_code, reason_code, message, raw_values, cast(exported_at as timestamptz) as exported_at
       from rejects_out order by source_row) to ${sqlString(file)} (format parquet)`,
    {
      source_system: target.sourceSystem,
      source_file: target.sourceFile,
      kind: target.kind,
      network_code: target.networkCode,
    },
  );
  const rejects = rejectsKey(target.sourceSystem, target.hash);
  await ctx.curated.put(rejects, await readFile(file), 'application/vnd.apache.parquet');
  return rejects;
}

/**
 * Rejects keep the raw values to act on, but a person id only as its pseudonym
 * (`pseudonym:<clinician_key>`), and the mapping's private columns (names) not at all.
 */
export function protectRawValues(
  raw: Record<string, string | null>,
  key: Uint8Array,
  personColumns: ReadonlySet<string>,
  privateColumns: ReadonlySet<string>,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [column, value] of Object.entries(raw)) {
    const name = column.trim().toLowerCase();
    if (privateColumns.has(name)) out[column] = value === null ? null : '[removed]';
    else if (personColumns.has(name) && value?.trim()) {
      out[column] = `pseudonym:${clinicianKey(key, value)}`;
    } else out[column] = value;
  }
  return out;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
