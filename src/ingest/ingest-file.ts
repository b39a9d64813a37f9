/**
 * One raw export, opened for ingest: its mapping (by the source system in its key), its rows read
 * into DuckDB as they are (read-export.ts), the hashes that name its curated output, and the export
 * time its rows fall back on. The rest (staging, checks, writing) is done for many files at once
 * by ingest-batch.ts. The raw object is only ever read.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ExportedAtSource } from '../curated/ingest-manifest.js';
import { tableRows } from '../engine/arrow-types.js';
import { ConfigError, UnreadableExportError } from '../errors.js';
import { exportedAtFromFileName, exportedAtFromTitle } from './exported-at.js';
import { type IngestContext, timed } from './ingest-context.js';
import type { KindMapping, SourceMapping } from './mapping.js';
import { FIELDS, referencedColumns } from './mapping-sql.js';
import { parseRawKey, type RawKey } from './raw-key.js';
import { type OtherKind, type PendingRows, type ReadExport, readExport } from './read-export.js';

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

/**
 * One raw export read and ready to join a batch (ingest-batch.ts): its mapping, its columns and
 * rows (not yet in DuckDB), and the export time its rows fall back on.
 */
export interface OpenedExport {
  key: string;
  /** The raw export's size in bytes (its bytes are not kept: the rows are, until loaded). */
  size: number;
  contentSha256: string;
  /** The hash in its curated keys and manifest (curatedHash). */
  hash: string;
  parsedKey: RawKey;
  mapping: SourceMapping;
  kindMapping: KindMapping;
  read: ReadExport;
  /** Its rows, not yet in DuckDB (IngestBatch loads them). */
  rows: PendingRows;
  /** The file's own export time, for rows that give none (fileExportedAt). */
  fallback: { at: Date; source: Exclude<ExportedAtSource, 'column'> };
  /** Staged in temp tables (a small export) or through views (a large one). */
  materialise: boolean;
  /** Seconds spent reading it. */
  readSeconds: number;
}

/**
 * Read one raw export (read-export.ts) with its mapping and fallback export time. Leaves DuckDB's
 * tables as they were: the rows go in when the file's batch is ingested. Raises
 * UnreadableExportError for a file that cannot be read at all.
 */
export async function openExport(
  ctx: IngestContext,
  key: string,
  body: Uint8Array,
  /** The body's SHA-256, when the caller has it already (ingest-all.ts). */
  contentSha256 = contentHash(body),
): Promise<OpenedExport> {
  const started = performance.now();
  const { parsedKey, mapping, kindMapping } = await mappingFor(ctx, key);
  const kind = parsedKey.kind;
  const hash = curatedHash(key, contentSha256);
  const columns = referencedColumns(kind, kindMapping);
  const { read, rows } = await timed(ctx, 'read', () =>
    readExport(ctx.engine, {
      key,
      body,
      formats: kindMapping.formats,
      requiredColumns: columns.required,
      expectedColumns: columns.expected,
      readColumns: columns.all,
      workDir: path.join(ctx.tmpDir, hash),
      dateColumns: Object.entries(kindMapping.fields).flatMap(([field, spec]) => {
        const type = FIELDS[kind][field]?.type;
        return spec.column && (type === 'date' || type === 'timestamp') ? [spec.column] : [];
      }),
      exportedAtJsonPath: kindMapping.exported_at?.json_path,
      otherKind: otherKindOf(parsedKey, mapping),
    }),
  );
  const fallback = await fileExportedAt(ctx, key, parsedKey.fileName, kindMapping, read);
  return {
    key,
    size: body.length,
    contentSha256,
    hash,
    parsedKey,
    mapping,
    kindMapping,
    read,
    rows,
    fallback,
    materialise: body.length <= (ctx.stageInTablesUpTo ?? STAGE_IN_TABLES_UP_TO),
    readSeconds: (performance.now() - started) / 1000,
  };
}

/** The mapping's other kind of export than the key's, if it describes one (read-export.ts). */
function otherKindOf(parsedKey: RawKey, mapping: SourceMapping): OtherKind | undefined {
  const kind = parsedKey.kind === 'shifts' ? 'availability' : 'shifts';
  const other = mapping[kind];
  if (!other) return undefined;
  return {
    kind,
    folder: `${parsedKey.sourceSystem}/${parsedKey.networkCode}/${kind}/`,
    formats: other.formats,
    requiredColumns: referencedColumns(kind, other).required,
  };
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
      await ctx.engine.query(`select cast(epoch_ms(${parse}(trim($t))) as double) as ms`, {
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

/**
 * Exports up to this size are staged into temp tables, larger ones through views (stagedViewSql).
 * 4 MB is about 30,000 rows of a generic CSV: well under 100 MB staged.
 */
export const STAGE_IN_TABLES_UP_TO = 4 * 1024 * 1024;
