/** What the JavaScript readers (XLSX, JSON) hand to DuckDB, and how they say a file is unusable. */

/** A header and text cells; each row starts with its source_row. */
export interface TextRows {
  columns: string[];
  rows: (string | null)[][];
}

/** The shape of a readable file is wrong (no header row, JSON not an array, missing sheet). */
export class ExportShapeError extends Error {
  override name = 'ExportShapeError';
}
