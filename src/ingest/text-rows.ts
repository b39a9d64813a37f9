/** What the JavaScript readers (XLSX, JSON) hand to DuckDB, and how they say a file is unusable. */

/** A header and text cells; each row starts with its source_row. */
export interface TextRows {
  columns: string[];
  rows: (string | null)[][];
  /** Rows that are not records of the header's fields (their cells all empty in `rows`). */
  malformed?: { sourceRow: number; detail: string }[];
  /** XLSX: the text of the rows above the header row, one line per row. */
  titleLines?: string[];
  /** JSON: the envelope's export time (`exported_at.json_path`), as text. */
  metadata?: string | undefined;
  /** XLSX: visible sheets other than the one read that hold non-blank rows (a warning). */
  unreadSheets?: UnreadSheet[];
  /** XLSX: data rows of the sheet read that are hidden in it (read all the same; a warning). */
  hiddenRows?: number;
}

/** A visible sheet of a workbook that was not read, and how many non-blank rows it holds. */
export interface UnreadSheet {
  name: string;
  rows: number;
}

/** The shape of a readable file is wrong (no header row, JSON not an array, missing sheet). */
export class ExportShapeError extends Error {
  override name = 'ExportShapeError';
}

/**
 * A column name as the mappings read it: composed (NFC), every run of white space (a no-break
 * space, a tab) one space, without characters that print as nothing (a zero-width space or joiner,
 * a word joiner, a soft hyphen, direction marks: Unicode category Cf; control characters), trimmed.
 * A header cell `\u200bcost_gbp` is `cost_gbp`: kept as written, the column went unread and every
 * cost was lost without a word (an audit found it). Header cells only; values have their own rules.
 */
export function cleanColumnName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim();
}

/**
 * Column names DuckDB can hold side by side: cleaned (cleanColumnName), a blank one named
 * `column_N` (its position), a repeat suffixed `_2`, `_3` (ignoring case, as DuckDB and the
 * mappings do), and never `source_row` or `file_id`, the readers' own row number and the file's
 * place in its ingest batch (an export's `source_row` becomes `source_row_2`).
 */
export function uniqueColumnNames(names: readonly (string | null)[]): string[] {
  const taken = new Set(['source_row', 'file_id']);
  return names.map((name, i) => {
    const base = (name === null ? '' : cleanColumnName(name)) || `column_${i + 1}`;
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n += 1) candidate = `${base}_${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/**
 * A number from a typed cell (an XLSX number cell, a JSON number) as text the number parsers
 * read as that number and nothing else. `380.005` or `7.125` written as text is ambiguous (a
 * thousands separator, in the other decimal form: ambiguous_number), but a typed cell has no
 * separators, so such a number gets a trailing 0 (`380.0050`), which reads one way only.
 */
export function numberText(n: number): string {
  const text = String(n);
  return /^-?\d{1,3}\.\d{3}$/.test(text) ? `${text}0` : text;
}
