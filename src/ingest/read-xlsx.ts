/**
 * XLSX exports via exceljs: the sheet the mapping names, or else the one visible sheet with a
 * header row naming every required column (a hidden sheet of lookups or old data, or a notes sheet
 * before the roster, is passed over; two such sheets refuse the file rather than read one and
 * leave the other's rows out unsaid), or the first visible sheet when none has; the header row the
 * mapping names (or the first of the top 30 rows that names every required column, so title
 * rows above the table are fine). Cells become text as a coordinator sees them:
 * - date cells -> `YYYY-MM-DD`, time cells -> `HH:MM:SS`, date-times -> `YYYY-MM-DD HH:MM:SS`
 *   (Excel stores wall-clock time; exceljs hands it over as a UTC Date, read back with UTC getters),
 *   to the nearest second (a time saved as 0.70833 is 17:00:00, not 16:59:59);
 * - numbers as written (a date typed as a General number stays an Excel serial, 46342);
 * - the 1904 date system (a workbook property, Excel for Mac's old default): date cells are
 *   converted by exceljs with it; a number in a date or date-time column (`dateColumns`) is a
 *   1904 serial, so 1462 days are added to make it the 1900-system serial the rest of the
 *   pipeline reads (otherwise it would come out four years early);
 * - ISO date cells (`t="d"`) as date cells, and rows and cells without a reference in order
 *   (xlsx-repair.ts: exceljs reads neither);
 * - formulas -> their cached result (a `=HYPERLINK(...)` cell is its text, never evaluated; a
 *   saved 0 or FALSE, which exceljs keeps only on the cell, is read from there, and a saved ""
 *   is made an empty cell first, xlsx-repair.ts);
 * - rich text and hyperlinks -> their text; error cells -> `#N/A` and friends.
 * Blank rows are skipped (a row whose only values are formulas saving 0, FALSE or "" is blank:
 * a template's rows below the data); hidden rows are read, and counted (`hiddenRows`, a warning in the
 * ingest report), as are hidden columns the mapping reads that hold values (`hiddenColumns`:
 * hidden, or zero wide, named in a warning); `source_row` is the sheet row number minus the header row number. A
 * data row with a read cell merged into another cell (mergedCells), or holding a formula with no
 * saved result (unsavedFormula), is malformed.
 * The rows above the header row are handed back as title lines (cells joined by a space), for
 * `exported_at.title_line`.
 */
import ExcelJS from 'exceljs';
import {
  cleanColumnName,
  ExportShapeError,
  numberText,
  type TextRows,
  uniqueColumnNames,
} from './text-rows.js';
import { checkXlsxContainer, workbookDate1904 } from './xlsx-container.js';
import { repairWorkbook } from './xlsx-repair.js';

const HEADER_SEARCH_ROWS = 30;
/** Days from the 1900 system's day 0 (1899-12-30) to the 1904 system's (1904-01-01). */
const DAYS_1904 = 1462;

/** A sheet's rows, and what the ingest report warns of that only a workbook has. */
export interface XlsxRows extends TextRows {
  /** Columns the mapping reads that are hidden in the sheet and hold values (read all the same). */
  hiddenColumns?: string[];
}

export async function readXlsxRows(
  body: Uint8Array,
  options: { sheet?: string | undefined; header_row?: number | undefined },
  requiredColumns: readonly string[],
  dateColumns: readonly string[] = [],
  /**
   * Columns the mapping reads: a data row with a merged cell, or a formula with no saved result,
   * in one is malformed.
   */
  readColumns?: readonly string[],
): Promise<XlsxRows> {
  checkXlsxContainer(body);
  // ISO date cells and rows or cells without references, which exceljs misreads or refuses.
  const readable = repairWorkbook(body).body;
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(
      Buffer.from(
        readable.buffer,
        readable.byteOffset,
        readable.byteLength,
      ) as unknown as ArrayBuffer,
    );
  } catch (error) {
    throw new ExportShapeError(
      `it is not a readable XLSX workbook: it is damaged, or written in a way the reader does not follow (${(error as Error).message || 'the file is truncated'}); open and save it in Excel, or export CSV`,
    );
  }
  const sheets = workbook.worksheets;
  // exceljs reads the 1904 flag only as "1"; written "true", its date cells came out 1,462 days
  // early, and are moved on here (DateSystem.shiftMs).
  const flagMissed = workbook.properties?.date1904 !== true && workbookDate1904(body) === true;
  const dates: DateSystem = {
    date1904: workbook.properties?.date1904 === true || flagMissed,
    shiftMs: flagMissed ? DAYS_1904 * 86_400_000 : 0,
  };
  const { date1904 } = dates;
  // Sheets read while looking for the roster (rosterSheet), so the chosen one is not read twice.
  const read = new Map<ExcelJS.Worksheet, ReturnType<typeof sheetRows>>();
  const sheet = options.sheet
    ? sheets.find((s) => s.name.trim().toLowerCase() === options.sheet?.trim().toLowerCase())
    : rosterSheet(sheets, requiredColumns, options.header_row === undefined, (s) => {
        const rows = sheetRows(s, dates);
        read.set(s, rows);
        return rows.rowTexts;
      });
  if (!sheet) {
    throw new ExportShapeError(
      options.sheet
        ? `the workbook has no sheet named "${options.sheet}" (sheets: ${sheets.map((s) => s.name).join(', ') || 'none'})`
        : 'the workbook has no sheets',
    );
  }
  const { rowTexts, rowValues, unsaved, hidden } = read.get(sheet) ?? sheetRows(sheet, dates);
  const headerRow = options.header_row ?? findHeaderRow(rowTexts, requiredColumns);
  if (headerRow === undefined) {
    throw new ExportShapeError(
      `sheet "${sheet.name}" has no header row naming ${requiredColumns.join(', ')} in its first ${HEADER_SEARCH_ROWS} rows`,
    );
  }
  const header = rowTexts.get(headerRow);
  if (!header) throw new ExportShapeError(`sheet "${sheet.name}" row ${headerRow} is empty`);
  const columns = uniqueColumnNames(header);
  const wantedDates = new Set(dateColumns.map((c) => c.trim().toLowerCase()));
  const serialColumns = date1904
    ? header.flatMap((name, c) =>
        wantedDates.has(cleanColumnName(name ?? '').toLowerCase()) ? [c] : [],
      )
    : [];
  const isRead = readColumnTest(columns, readColumns);
  const problems = mergedCells(sheet, headerRow, columns, isRead);
  for (const [rowNumber, formulas] of unsaved) {
    const [column, formula] = formulas.find(([c]) => isRead(c)) ?? [];
    if (rowNumber <= headerRow || column === undefined || problems.has(rowNumber)) continue;
    if (!rowTexts.has(rowNumber)) continue;
    problems.set(
      rowNumber,
      `its "${columns[column - 1]}" cell (${columnLetters(column)}${rowNumber}) is a formula with no saved result (${formula}), so its value is not known; open the file in Excel and save it, so the results are saved`,
    );
  }
  const malformed: { sourceRow: number; detail: string }[] = [];
  const rows: (string | null)[][] = [];
  const titleLines: string[] = [];
  for (const [rowNumber, cells] of rowTexts) {
    if (rowNumber < headerRow) {
      titleLines.push(cells.filter((c) => c !== null && c.trim() !== '').join(' '));
      continue;
    }
    if (rowNumber === headerRow) continue;
    const row: (string | null)[] = [String(rowNumber - headerRow)];
    const problem = problems.get(rowNumber);
    if (problem) {
      // Its cells all empty, as every malformed row's are (text-rows.ts).
      malformed.push({ sourceRow: rowNumber - headerRow, detail: problem });
      rows.push([...row, ...columns.map(() => null)]);
      continue;
    }
    for (let c = 0; c < columns.length; c += 1) row.push(cells[c] ?? null);
    for (const c of serialColumns) {
      const value = rowValues.get(rowNumber)?.[c + 1];
      const serial = typeof value === 'number' ? value : formulaNumber(value);
      if (serial !== undefined && serial >= 0) row[c + 1] = String(serial + DAYS_1904);
    }
    rows.push(row);
  }
  const unreadSheets = sheets
    .filter((s) => s !== sheet && s.state !== 'hidden' && s.state !== 'veryHidden')
    .map((s) => ({ name: s.name, rows: (read.get(s) ?? sheetRows(s, dates)).rowTexts.size }))
    .filter((s) => s.rows > 0);
  // Hidden data rows are read (a row is a row), and counted for the ingest report's warning.
  const hiddenRows = [...hidden].filter((r) => r > headerRow).length;
  const hiddenColumns = hiddenReadColumns(sheet, rowTexts, headerRow, columns, isRead);
  return {
    columns,
    rows,
    titleLines,
    malformed,
    unreadSheets,
    ...(hiddenRows > 0 ? { hiddenRows } : {}),
    ...(hiddenColumns.length > 0 ? { hiddenColumns } : {}),
  };
}

/**
 * The read columns hidden in the sheet (`<col hidden="1">`, or zero wide) that hold a value below
 * the header, by name. They are read like the others, as hidden rows are: a coordinator who hid
 * an old cost column may not know its values count, so the ingest report names them.
 */
function hiddenReadColumns(
  sheet: ExcelJS.Worksheet,
  rowTexts: Map<number, (string | null)[]>,
  headerRow: number,
  columns: readonly string[],
  isRead: (column: number) => boolean,
): string[] {
  const hidden = columns.flatMap((name, i) => {
    const column = sheet.getColumn(i + 1);
    return isRead(i + 1) && (column.hidden || column.width === 0) ? [{ name, i }] : [];
  });
  if (hidden.length === 0) return [];
  return hidden
    .filter(({ i }) =>
      [...rowTexts].some(([r, cells]) => r > headerRow && (cells[i] ?? '').trim() !== ''),
    )
    .map(({ name }) => name);
}

/**
 * Data rows with a cell of a read column merged into another cell (a cost or a clinician merged
 * over two rows, say), by row number -> why. exceljs gives such a cell its merge's first cell's
 * value, though the file holds it empty: a shift merged under a filled one was read as filled,
 * by the same clinician, at the same cost, counted twice. Neither reading is sure, so the row is
 * malformed, saying which cells to unmerge. Merges above or in the header row are left alone.
 */
function mergedCells(
  sheet: ExcelJS.Worksheet,
  headerRow: number,
  columns: readonly string[],
  isRead: (column: number) => boolean,
): Map<number, string> {
  const found = new Map<number, string>();
  const merges = Object.values(
    (sheet as unknown as { _merges?: Record<string, MergeRange> })._merges ?? {},
  );
  if (merges.length === 0) return found;
  for (const m of merges) {
    const { top, left, bottom, right } = m.model;
    for (let r = Math.max(top, headerRow + 1); r <= bottom; r += 1) {
      if (found.has(r)) continue;
      for (let c = left; c <= right; c += 1) {
        if ((r === top && c === left) || !isRead(c)) continue;
        const first = `${columnLetters(left)}${top}`;
        const range = `${first}:${columnLetters(right)}${bottom}`;
        found.set(
          r,
          `its "${columns[c - 1]}" cell (${columnLetters(c)}${r}) is part of the merged cells ${range}, so it shows ${first}'s value rather than its own; unmerge them so each row has its own value`,
        );
        break;
      }
    }
  }
  return found;
}

/** Whether the sheet's column (1-based) is one the mapping reads (every column if none given). */
function readColumnTest(
  columns: readonly string[],
  readColumns: readonly string[] | undefined,
): (column: number) => boolean {
  const read = readColumns && new Set(readColumns.map((c) => c.trim().toLowerCase()));
  return (column) => {
    const name = columns[column - 1];
    return name !== undefined && (!read || read.has(name.trim().toLowerCase()));
  };
}

interface MergeRange {
  model: { top: number; left: number; bottom: number; right: number };
}

/** A column's letters: 1 -> A, 27 -> AA. */
function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** A sheet's non-blank rows as text, by row number (and their values, for the 1904 system). */
function sheetRows(sheet: ExcelJS.Worksheet, dates: DateSystem) {
  const rowTexts = new Map<number, (string | null)[]>();
  const rowValues = new Map<number, ExcelJS.CellValue[]>();
  /** Non-blank rows hidden in the sheet (by a filter, or by hand). */
  const hidden = new Set<number>();
  /** Row number -> its formula cells with no saved result: [column (1-based), formula]. */
  const unsaved = new Map<number, [number, string][]>();
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = (row.values as ExcelJS.CellValue[]).map((v, c) => withFalsyResult(v, row, c));
    const cells: (string | null)[] = [];
    /** Whether a cell shows something other than a formula's 0 or FALSE. */
    let shown = false;
    for (let c = 1; c < values.length; c += 1) {
      const text = cellText(values[c], dates);
      cells.push(text);
      if (text !== null && text.trim() !== '' && !isFalsyResult(values[c])) shown = true;
      const formula = unsavedFormula(values[c]);
      if (formula !== undefined)
        unsaved.set(rowNumber, [...(unsaved.get(rowNumber) ?? []), [c, formula]]);
    }
    // A row of nothing but formulas with no saved result, or saving 0, FALSE or "" (a template's
    // rows below the data: =IF(A10="",0,...) filled down) is as blank as it looks.
    if (shown) {
      rowTexts.set(rowNumber, cells);
      if (row.hidden) hidden.add(rowNumber);
      if (dates.date1904) rowValues.set(rowNumber, values);
    }
  });
  return { rowTexts, rowValues, unsaved, hidden };
}

/**
 * A formula cell's value with its saved 0 or FALSE: exceljs keeps a formula's result in the
 * cell's value only when it is truthy (the cell's `result` has it), so `=0*1` saving 0 read as a
 * formula with no saved result and its row was rejected as malformed (an audit: 3 of 4 rows).
 */
function withFalsyResult(value: ExcelJS.CellValue, row: ExcelJS.Row, column: number) {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (!('formula' in value || 'sharedFormula' in value)) return value;
  if ((value as { result?: unknown }).result !== undefined) return value;
  const result = row.getCell(column).result as unknown;
  return result === 0 || result === false ? ({ ...value, result } as ExcelJS.CellValue) : value;
}

/** Whether a cell is a formula saving 0 or FALSE. */
function isFalsyResult(value: ExcelJS.CellValue): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  const result = (value as { result?: unknown }).result;
  return ('formula' in value || 'sharedFormula' in value) && (result === 0 || result === false);
}

/**
 * The formula of a cell that has one but no saved result (a workbook written by a tool that does
 * not calculate, and never opened in Excel): its value is unknown, not empty.
 */
function unsavedFormula(value: ExcelJS.CellValue): string | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  if (!('formula' in value || 'sharedFormula' in value)) return undefined;
  const { result, formula, sharedFormula } = value as {
    result?: unknown;
    formula?: string;
    sharedFormula?: string;
  };
  if (result !== undefined && result !== null) return undefined;
  // A shared formula's first cell may have been made its plain value (xlsx-repair.ts).
  if (formula !== undefined) return `=${formula}`;
  return sharedFormula ? `=shared with ${sharedFormula}` : 'a shared formula';
}

/**
 * The sheet to read when the mapping names none: the one visible sheet whose header the search
 * finds (`byHeader`; not when the mapping fixes the header row), else the first visible sheet
 * (whose missing header is then the file's error), else the first. Two or more visible sheets
 * with the header refuse the file: reading one would leave the others' rows out with no word.
 */
function rosterSheet(
  sheets: ExcelJS.Worksheet[],
  required: readonly string[],
  byHeader: boolean,
  rowsOf: (sheet: ExcelJS.Worksheet) => Map<number, (string | null)[]>,
): ExcelJS.Worksheet | undefined {
  const visible = sheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
  // A header anywhere in a sheet (below 30 rows of notes, say) makes it a roster too.
  const withHeader = byHeader
    ? visible.filter(
        (s) => findHeaderRow(rowsOf(s), required, Number.POSITIVE_INFINITY) !== undefined,
      )
    : [];
  if (withHeader.length > 1) {
    throw new ExportShapeError(
      `the workbook has ${withHeader.length} sheets with a header naming ${required.join(', ')} (${withHeader.map((s) => `"${s.name}"`).join(', ')}); export one sheet per file, or name the sheet to read in the mapping (formats.xlsx.sheet)`,
    );
  }
  return withHeader[0] ?? visible[0] ?? sheets[0];
}

/** The cached number of a formula cell, if it is one. */
function formulaNumber(value: ExcelJS.CellValue): number | undefined {
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  const result = (value as { result?: unknown }).result;
  return typeof result === 'number' ? result : undefined;
}

function findHeaderRow(
  rows: Map<number, (string | null)[]>,
  required: readonly string[],
  searchRows = HEADER_SEARCH_ROWS,
): number | undefined {
  const wanted = required.map((c) => c.trim().toLowerCase());
  for (const [rowNumber, cells] of rows) {
    if (rowNumber > searchRows) break;
    const names = new Set(cells.map((c) => cleanColumnName(c ?? '').toLowerCase()));
    if (wanted.every((w) => names.has(w))) return rowNumber;
  }
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function cellText(value: ExcelJS.CellValue, dates: DateSystem = NO_1904): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return dateText(value, dates);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return null;
    return cellText(result as ExcelJS.CellValue, dates);
  }
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue, dates);
  return JSON.stringify(value);
}

/**
 * The workbook's date system, and milliseconds to add to exceljs's dates: 1,462 days when the
 * workbook writes its 1904 flag as "true", which exceljs does not read (readXlsxRows).
 */
interface DateSystem {
  date1904: boolean;
  shiftMs: number;
}

const NO_1904: DateSystem = { date1904: false, shiftMs: 0 };

function dateText(read: Date, { date1904, shiftMs }: DateSystem): string {
  if (Number.isNaN(read.getTime())) return '';
  const d = toSecond(read.getTime() + shiftMs);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  // A time alone is a fraction of day 0, whose date depends on the workbook's date system.
  if (date === (date1904 ? '1904-01-01' : '1899-12-30')) return time;
  // Day 1 at midnight is a time cell holding 1, as Excel stores a typed 24:00: keep its clock, so
  // a time column reads it as day 1's 00:00, the midnight ending the day (parse_time_of).
  if (time === '00:00:00' && date !== (date1904 ? '1904-01-02' : '1899-12-31')) return date;
  return `${date} ${time}`;
}

/**
 * A date cell's instant to the nearest second, as parse_time reads a day fraction written as
 * text: a time saved with few decimals (17:00 as 0.70833, 16:59:59.712) is 17:00:00, where
 * truncating made it 16:59:59 and every such shift a fraction of a second short. A time that
 * would round over midnight into the next day (23:59:59.6) is truncated instead, so it stays on
 * its day.
 */
function toSecond(ms: number): Date {
  const rounded = Math.round(ms / 1000) * 1000;
  const day = (t: number) => Math.floor(t / 86_400_000);
  return new Date(day(rounded) === day(ms) ? rounded : Math.floor(ms / 1000) * 1000);
}
