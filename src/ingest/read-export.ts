/**
 * Read one raw export as it is: its columns, and its rows ready for DuckDB (`loadRows`: a
 * `raw_rows` view with the export's own column names, every value as text, and `source_row`,
 * the 1-based data row; for XLSX the sheet row minus the header row; for JSON the array index +
 * 1). The format comes from the file extension and the mapping's options for it. A file that
 * cannot be read at all raises UnreadableExportError naming the file and the problem.
 *
 * Opening a file (`readExport`) is JavaScript only and leaves DuckDB as it was, so many files can
 * be opened before any is loaded: CSV is read by DuckDB's `read_csv` with the dialect its header
 * line decides (read-csv.ts), when loaded, and many CSV exports with one header can be read by one
 * `read_csv` (readCsvBatch); XLSX is parsed by exceljs and JSON by JSON.parse, and loaded
 * through DuckDB's appender. Rows a reader could not split into the header's fields (a ragged CSV
 * line, a JSON element that is not an object) are in `raw_rows` with every column empty, and in
 * `raw_malformed` (source_row, detail) to be rejected as `malformed_row`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportKind } from '../curated/ingest-manifest.js';
import { tableRows } from '../engine/arrow-types.js';
import { type DuckDbEngine, sqlString } from '../engine/duckdb-engine.js';
import { oneLineReason, UnreadableExportError } from '../errors.js';
import { columnList, similarColumns } from './column-list.js';
import { textMayRepeatHeader } from './header-repeats.js';
import { type FileFormat, type Formats, formatOfFile } from './mapping.js';
import {
  type CsvHeader,
  findCsvHeader,
  HEADER_SEARCH_LINES,
  readCsvRows,
  uniformLineEnds,
} from './read-csv.js';
import { readJsonRows } from './read-json.js';
import type { XlsxRows } from './read-xlsx.js';
import {
  ExportShapeError,
  type TextRows,
  type UnreadSheet,
  uniqueColumnNames,
} from './text-rows.js';
import { NotTextError, toUtf8 } from './to-utf8.js';

export interface ReadExport {
  format: FileFormat;
  /** The export's columns: lower-cased trimmed name -> the name as it appears. */
  columns: Map<string, string>;
  /** Rows in `raw_malformed` (rejected as malformed_row); known once the rows are loaded. */
  malformedRows: number;
  /** Text above the header: CSV title lines, XLSX cells of the rows above the header row. */
  titleLines: string[];
  /** JSON: the value at the mapping's `exported_at.json_path`, as text. */
  metadataExportedAt?: string | undefined;
  /** XLSX: visible sheets not read that hold rows (reported as a warning). */
  unreadSheets?: UnreadSheet[];
  /** XLSX: hidden data rows of the sheet read, which are read (reported as a warning). */
  hiddenRows?: number;
  /** XLSX: hidden columns the mapping reads that hold values, which are read (a warning). */
  hiddenColumns?: string[];
  /** Optional columns the mapping reads that the file lacks, with a near name it has (a warning). */
  similarColumns?: { mapped: string; found: string }[];
  /**
   * Whether a header line may come again among the rows (header-repeats.ts): false only for a
   * CSV export whose text after its header lacks one of the required column names, so a large
   * export with none is not read again to look.
   */
  headerMayRepeat: boolean;
}

/** An export's rows, read but not yet in DuckDB (loadRows puts them there). */
export type PendingRows =
  /** A CSV export with its header found: DuckDB reads it with that dialect. */
  | { kind: 'csv'; utf8: Uint8Array; header: CsvHeader }
  /** Rows the JavaScript readers parsed (XLSX, JSON). */
  | { kind: 'text'; rows: TextRows };

export interface OpenedRows {
  read: ReadExport;
  rows: PendingRows;
}

export interface ReadRequest {
  key: string;
  body: Uint8Array;
  formats: Formats;
  /** Source columns every file must have (for XLSX: how the header row is recognised). */
  requiredColumns: readonly string[];
  /** Every column the mapping reads (JSON: an object at one is a malformed row). */
  readColumns?: readonly string[];
  /**
   * Other columns the mapping names (fields not marked optional): a file without one fails, as
   * a misspelt column would otherwise read as empty. Not checked for a JSON export of no rows,
   * which has no keys to check.
   */
  expectedColumns?: readonly string[];
  /** A scratch folder for this file, made and removed by the reader if it needs one. */
  workDir: string;
  /** XLSX: columns read as dates or date-times (a number there is an Excel serial day). */
  dateColumns?: readonly string[];
  /** JSON: dotted path of the export time in the document (`meta.exportedAt`). */
  exportedAtJsonPath?: string | undefined;
  /**
   * The source system's other kind of export (availability for a shifts file, and the reverse),
   * when its mapping describes one: a refused file whose header names every column that kind
   * requires is said to be one, with the folder it goes in (otherKindNote).
   */
  otherKind?: OtherKind | undefined;
}

export interface OtherKind {
  kind: ExportKind;
  /** Where its exports go: `<source_system>/<network_code>/<kind>/`. */
  folder: string;
  formats: Formats;
  requiredColumns: readonly string[];
}

export async function readExport(engine: DuckDbEngine, request: ReadRequest): Promise<OpenedRows> {
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
  let titleLines: string[] = [];
  let unreadSheets: UnreadSheet[] = [];
  let hiddenRows = 0;
  let hiddenColumns: string[] = [];
  let metadataExportedAt: string | undefined;
  let rows: PendingRows;
  let names: string[];
  try {
    if (format === 'csv') {
      const utf8 = uniformLineEnds(decode(body, formats.csv?.encoding ?? 'auto'));
      const header = findCsvHeader(utf8, request.requiredColumns, formats.csv?.delimiter);
      const otherCsv = request.otherKind?.formats.csv;
      if (!header && request.otherKind && otherCsv) {
        // A header line of the other kind's columns: the file is in the wrong kind's folder.
        const found = findCsvHeader(utf8, request.otherKind.requiredColumns, otherCsv.delimiter);
        if (found) {
          throw new UnreadableExportError(
            key,
            missingMessage(request, uniqueColumnNames(found.names)),
          );
        }
      }
      if (!header) {
        // No line names every required column: let DuckDB sniff, so the file's own columns are
        // known and the message below says which are missing.
        names = await sniffCsvColumns(engine, utf8, formats.csv?.delimiter, request.workDir);
        const found = columnMap(names);
        if (request.requiredColumns.every((c) => found.has(c.trim().toLowerCase()))) {
          throw new UnreadableExportError(
            key,
            `no line among the first ${HEADER_SEARCH_LINES} splits into every required column (${request.requiredColumns.join(', ')}) with one delimiter; the file has: ${columnList([...found.values()], knownColumns(request))}`,
          );
        }
        throw new UnreadableExportError(key, missingMessage(request, names));
      }
      rows = { kind: 'csv', utf8, header };
      names = uniqueColumnNames(header.names);
      titleLines = header.titleLines;
    } else {
      const text: XlsxRows =
        format === 'xlsx'
          ? await (await import('./read-xlsx.js')).readXlsxRows(
              body,
              formats.xlsx ?? {},
              request.requiredColumns,
              request.dateColumns ?? [],
              request.readColumns,
            )
          : readJsonRows(decode(body, 'auto'), formats.json?.path, request.requiredColumns, {
              exportedAtPath: request.exportedAtJsonPath,
              readColumns: request.readColumns,
            });
      noKeys = format === 'json' && text.rows.length === 0;
      rows = { kind: 'text', rows: text };
      names = text.columns;
      titleLines = text.titleLines ?? [];
      metadataExportedAt = text.metadata;
      unreadSheets = text.unreadSheets ?? [];
      hiddenRows = text.hiddenRows ?? 0;
      hiddenColumns = text.hiddenColumns ?? [];
    }
  } catch (error) {
    if (error instanceof UnreadableExportError) throw error;
    if (error instanceof ExportShapeError && format === 'xlsx') {
      const note = await otherKindInWorkbook(request);
      throw new UnreadableExportError(key, note ? `${error.message}; ${note}` : error.message);
    }
    if (error instanceof NotTextError || error instanceof ExportShapeError) {
      throw new UnreadableExportError(key, error.message);
    }
    throw new UnreadableExportError(key, oneLineReason(error), { cause: error });
  }
  const columns = columnMap(names);
  const missing = request.requiredColumns.filter((c) => !columns.has(c.trim().toLowerCase()));
  if (missing.length > 0) {
    throw new UnreadableExportError(key, missingMessage(request, names));
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
        `the file has: ${columnList([...columns.values()], knownColumns(request))} (fix the column name in the mapping, or mark the field "optional": true if exports may leave it out)`,
    );
  }
  const similar = noKeys
    ? []
    : similarColumns(
        [...new Set(request.readColumns ?? [])].filter((c) => !columns.has(c.trim().toLowerCase())),
        [...columns.values()],
        knownColumns(request),
      );
  const malformedRows = rows.kind === 'text' ? (rows.rows.malformed?.length ?? 0) : 0;
  const headerMayRepeat =
    rows.kind === 'text' ||
    textMayRepeatHeader(rows.utf8, rows.header.dataStart, request.requiredColumns, columns);
  return {
    read: {
      format,
      columns,
      malformedRows,
      titleLines,
      metadataExportedAt,
      headerMayRepeat,
      ...(unreadSheets.length > 0 ? { unreadSheets } : {}),
      ...(hiddenRows > 0 ? { hiddenRows } : {}),
      ...(hiddenColumns.length > 0 ? { hiddenColumns } : {}),
      ...(similar.length > 0 ? { similarColumns: similar } : {}),
    },
    rows,
  };
}

/** The columns as ReadExport holds them: lower-cased trimmed name -> the name as it appears. */
function columnMap(names: readonly string[]): Map<string, string> {
  return new Map(
    names
      .filter((c) => c !== 'source_row' && c !== 'file_id')
      .map((c) => [c.trim().toLowerCase(), c]),
  );
}

function missingMessage(request: ReadRequest, names: readonly string[]): string {
  const columns = columnMap(names);
  const missing = request.requiredColumns.filter((c) => !columns.has(c.trim().toLowerCase()));
  const start = `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  const other = request.otherKind;
  if (other?.requiredColumns.every((c) => columns.has(c.trim().toLowerCase()))) {
    return `${start}; ${otherKindNote(request, other)}`;
  }
  return `${start}; the file has: ${columnList([...columns.values()], knownColumns(request))}`;
}

/**
 * What a refused file whose header names every column the other kind requires is: `this looks
 * like a shifts export (its header names shift_id, date, start_time, end_time, ...); shifts
 * exports go in generic/U60865/shifts/`, naming the columns that kind requires and this one does
 * not read (mapping names, so no value of the file is echoed). Without it the message listed the
 * file's columns and said its header line might be missing.
 */
function otherKindNote(request: ReadRequest, other: OtherKind): string {
  const own = new Set(knownColumns(request).map((c) => c.trim().toLowerCase()));
  const telling = other.requiredColumns.filter((c) => !own.has(c.trim().toLowerCase()));
  const named = telling.length > 0 ? telling : other.requiredColumns;
  const shown = `${named.slice(0, 4).join(', ')}${named.length > 4 ? ', ...' : ''}`;
  const article = other.kind === 'availability' ? 'an' : 'a';
  return `this looks like ${article} ${other.kind} export (its header names ${shown}); ${other.kind} exports go in ${other.folder}`;
}

/**
 * For a workbook the reader refused (no header row naming the required columns, say): the
 * other kind's note when a sheet has a header row naming every column that kind requires. Reads
 * the workbook again, on this failure path only.
 */
async function otherKindInWorkbook(request: ReadRequest): Promise<string | undefined> {
  const other = request.otherKind;
  if (!other?.formats.xlsx) return undefined;
  try {
    const { readXlsxRows } = await import('./read-xlsx.js');
    const read = await readXlsxRows(request.body, other.formats.xlsx, other.requiredColumns);
    const columns = columnMap(read.columns);
    return request.requiredColumns.every((c) => columns.has(c.trim().toLowerCase()))
      ? undefined
      : otherKindNote(request, other);
  } catch {
    return undefined;
  }
}

/** Every column the mapping names, which a refused file's message may show (column-list.ts). */
function knownColumns(request: ReadRequest): string[] {
  return [
    ...request.requiredColumns,
    ...(request.readColumns ?? []),
    ...(request.expectedColumns ?? []),
  ];
}

/**
 * Put one opened export's rows in DuckDB: `raw_rows` (and `raw_malformed`), replacing the
 * previous file's. Returns the number of malformed rows.
 */
export async function loadRows(
  engine: DuckDbEngine,
  rows: PendingRows,
  workDir: string,
): Promise<number> {
  if (rows.kind === 'csv') {
    return (await readCsvRows(engine, rows.utf8, rows.header, workDir)).malformed;
  }
  const { columns, rows: cells, malformed = [] } = rows.rows;
  await engine.loadTextTable('raw_table', ['source_row', ...columns], cells);
  await engine.run(
    'create or replace temp view raw_rows as select * replace (cast(source_row as integer) as source_row) from raw_table',
  );
  if (malformed.length > 0) {
    await engine.loadTextTable(
      'raw_malformed',
      ['source_row', 'detail'],
      malformed.map((m) => [String(m.sourceRow), m.detail]),
    );
  }
  return malformed.length;
}

/**
 * Drop the tables `raw_rows` reads (whichever loadRows made: one CSV segment, the CSV segments
 * joined, or the JavaScript readers' rows), so a large export's text does not stay in memory
 * once nothing needs it. `raw_rows` and the views over it cannot be read afterwards.
 */
export async function dropLoadedRows(engine: DuckDbEngine): Promise<void> {
  await engine.run(
    'drop table if exists csv_segment_0; drop table if exists raw_file; drop table if exists raw_table',
  );
}

/**
 * The same rows without their data, once loadRows has put them in DuckDB: the kind and the CSV
 * header stay (they decide which batch a file joins), the text and cells go.
 */
export function releasedRows(rows: PendingRows): PendingRows {
  return rows.kind === 'csv'
    ? { ...rows, utf8: new Uint8Array(0) }
    : { kind: 'text', rows: { ...rows.rows, rows: [], malformed: [] } };
}

function decode(body: Uint8Array, encoding: 'auto' | 'utf-8' | 'windows-1252'): Uint8Array {
  return toUtf8(body, encoding).bytes;
}

/** The columns DuckDB's sniffer finds in a CSV without a recognisable header (for the message). */
async function sniffCsvColumns(
  engine: DuckDbEngine,
  utf8: Uint8Array,
  delimiter: string | undefined,
  workDir: string,
): Promise<string[]> {
  await mkdir(workDir, { recursive: true });
  try {
    const localFile = path.join(workDir, 'export.csv');
    await writeFile(localFile, utf8);
    const delim = delimiter ? `, delim = ${sqlString(delimiter)}` : '';
    const describe = async (options: string) =>
      tableRows<{ column_name: string }>(
        await engine.query(
          `select column_name from (describe select * from read_csv(${sqlString(localFile)}, all_varchar = true, header = true, auto_detect = true${delim}${options}))`,
        ),
      ).map((c) => c.column_name);
    try {
      return await describe('');
    } catch (error) {
      // DuckDB refuses a record over 2 MB (max_line_size). Such a file is still a readable CSV (a
      // huge notes cell): read it again allowing a record as long as the whole file.
      if (!/maximum line size/i.test(String((error as Error)?.message))) throw error;
      return describe(`, max_line_size = ${utf8.byteLength + 1}`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
