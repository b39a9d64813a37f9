/**
 * Read one raw export into DuckDB as it is: a `raw_rows` view with the export's own column names,
 * every value as text, and `source_row` (1-based data row; for XLSX the sheet row minus the
 * header row; for JSON the array index + 1). The format comes from the file extension and the
 * mapping's options for it. A file that cannot be read at all raises UnreadableExportError
 * naming the file and the problem.
 *
 * CSV is read by DuckDB's `read_csv` with the dialect its header line decides (read-csv.ts);
 * XLSX by exceljs and JSON by JSON.parse, both loaded through DuckDB's appender. Rows a reader
 * could not split into the header's fields (a ragged CSV line, a JSON element that is not an
 * object) are in `raw_rows` with every column empty, and in `raw_malformed` (source_row, detail)
 * to be rejected as `malformed_row`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { oneLineReason, UnreadableExportError } from '../errors.js';
import { type FileFormat, type Formats, formatOfFile } from './mapping.js';
import { findCsvHeader, readCsvRows } from './read-csv.js';
import { readJsonRows } from './read-json.js';
import { ExportShapeError } from './text-rows.js';
import { NotTextError, toUtf8 } from './to-utf8.js';

export interface ReadExport {
  format: FileFormat;
  /** The export's columns: lower-cased trimmed name -> the name as it appears. */
  columns: Map<string, string>;
  /** Rows in `raw_malformed` (rejected as malformed_row). */
  malformedRows: number;
  /** Text above the header: CSV title lines, XLSX cells of the rows above the header row. */
  titleLines: string[];
  /** JSON: the value at the mapping's `exported_at.json_path`, as text. */
  metadataExportedAt?: string | undefined;
}

export interface ReadRequest {
  key: string;
  body: Uint8Array;
  formats: Formats;
  /** Source columns every file must have (for XLSX: how the header row is recognised). */
  requiredColumns: readonly string[];
  /**
   * Other columns the mapping names (fields not marked optional): a file without one fails, as
   * a misspelt column would otherwise read as empty. Not checked for a JSON export of no rows,
   * which has no keys to check.
   */
  expectedColumns?: readonly string[];
  /** A scratch folder for this file. */
  workDir: string;
  /** XLSX: columns read as dates or date-times (a number there is an Excel serial day). */
  dateColumns?: readonly string[];
  /** JSON: dotted path of the export time in the document (`meta.exportedAt`). */
  exportedAtJsonPath?: string | undefined;
}

export async function readExport(engine: DuckDbEngine, request: ReadRequest): Promise<ReadExport> {
  const { key, body, formats } = request;
  const format = formatOfFile(key);
  if (!format || !formats[format]) {
    const accepted = (Object.keys(formats) as FileFormat[]).map((f) => `.${f}`).join(' or ');
    throw new UnreadableExportError(
      key,
      `this source system's exports are ${accepted} files, not ${path.extname(key) || 'a file without an extension'}`,
    );
  }
  let noKeys = false;
  let malformedRows = 0;
  let titleLines: string[] = [];
  let metadataExportedAt: string | undefined;
  try {
    if (format === 'csv') {
      const read = await readCsv(
        engine,
        request,
        formats.csv?.delimiter,
        formats.csv?.encoding ?? 'auto',
      );
      malformedRows = read.malformed;
      titleLines = read.titleLines;
    } else {
      const rows =
        format === 'xlsx'
          ? await (await import('./read-xlsx.js')).readXlsxRows(
              body,
              formats.xlsx ?? {},
              request.requiredColumns,
              request.dateColumns ?? [],
            )
          : readJsonRows(decode(body, 'auto'), formats.json?.path, request.requiredColumns, {
              exportedAtPath: request.exportedAtJsonPath,
            });
      noKeys = format === 'json' && rows.rows.length === 0;
      await engine.loadTextTable('raw_table', ['source_row', ...rows.columns], rows.rows);
      await engine.run(
        'create or replace temp view raw_rows as select * replace (cast(source_row as integer) as source_row) from raw_table',
      );
      const malformed = rows.malformed ?? [];
      malformedRows = malformed.length;
      titleLines = rows.titleLines ?? [];
      metadataExportedAt = rows.metadata;
      if (malformedRows > 0) {
        await engine.loadTextTable(
          'raw_malformed',
          ['source_row', 'detail'],
          malformed.map((m) => [String(m.sourceRow), m.detail]),
        );
      }
    }
  } catch (error) {
    if (error instanceof UnreadableExportError) throw error;
    if (error instanceof NotTextError || error instanceof ExportShapeError) {
      throw new UnreadableExportError(key, error.message);
    }
    throw new UnreadableExportError(key, oneLineReason(error), { cause: error });
  }
  const columns = new Map(
    tableRows<{ column_name: string }>(
      await engine.query('select column_name from (describe raw_rows)'),
    )
      .filter((c) => c.column_name !== 'source_row')
      .map((c) => [c.column_name.trim().toLowerCase(), c.column_name]),
  );
  const missing = request.requiredColumns.filter((c) => !columns.has(c.trim().toLowerCase()));
  if (missing.length > 0) {
    throw new UnreadableExportError(
      key,
      `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the file has: ${columnList(columns)}`,
    );
  }
  const absent = noKeys
    ? []
    : [...new Set(request.expectedColumns ?? [])].filter(
        (c) => !columns.has(c.trim().toLowerCase()),
      );
  if (absent.length > 0) {
    throw new UnreadableExportError(
      key,
      `mapping names column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `"${c}"`).join(', ')}; ` +
        `the file has: ${columnList(columns)} (fix the column name in the mapping, or mark the field "optional": true if exports may leave it out)`,
    );
  }
  return { format, columns, malformedRows, titleLines, metadataExportedAt };
}

/** The file's own column names for a message: at most 60, quoted when they hold a comma. */
function columnList(columns: Map<string, string>): string {
  const names = [...columns.values()].map((c) => (/[,"]/.test(c) ? JSON.stringify(c) : c));
  if (names.length === 0) return '(no columns)';
  const shown = names.slice(0, 60).join(', ');
  return names.length > 60 ? `${shown} and ${names.length - 60} more` : shown;
}

function decode(body: Uint8Array, encoding: 'auto' | 'utf-8' | 'windows-1252'): Uint8Array {
  return toUtf8(body, encoding).bytes;
}

async function readCsv(
  engine: DuckDbEngine,
  request: ReadRequest,
  delimiter: string | undefined,
  encoding: 'auto' | 'utf-8' | 'windows-1252',
): Promise<{ malformed: number; titleLines: string[] }> {
  const utf8 = decode(request.body, encoding);
  const header = findCsvHeader(utf8, request.requiredColumns, delimiter);
  if (header) return readCsvRows(engine, utf8, header, request.workDir);
  // No line names every required column: let DuckDB sniff, so the file's own columns are known
  // and readExport says which are missing.
  const localFile = path.join(request.workDir, 'export.csv');
  await writeFile(localFile, utf8);
  const delim = delimiter ? `, delim = ${sqlString(delimiter)}` : '';
  const load = (options: string) =>
    engine.run(
      `create or replace temp table raw_file as select * from read_csv(${sqlString(localFile)}, all_varchar = true, header = true, auto_detect = true${delim}${options})`,
    );
  try {
    await load('');
  } catch (error) {
    // DuckDB refuses a record over 2 MB (max_line_size). Such a file is still a readable CSV (a
    // huge notes cell): read it again allowing a record as long as the whole file. Only then,
    // so ordinary exports keep DuckDB's default buffers.
    if (!/maximum line size/i.test(String((error as Error)?.message))) throw error;
    await load(`, max_line_size = ${utf8.byteLength + 1}`);
  }
  await engine.run(
    'create or replace temp view raw_rows as select cast(rowid + 1 as integer) as source_row, * from raw_file',
  );
  return { malformed: 0, titleLines: [] };
}
