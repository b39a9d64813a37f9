/**
 * The CSV behind a chart, for download. Spreadsheet programs run a cell that starts with `=`, `+`,
 * `-` or `@` (or a tab or carriage return) as a formula, so a practice named `=HYPERLINK(...)` in a
 * rota export must not reach a commissioner's Excel as one. A cell that holds a separator followed
 * by a formula start (`X;=1+1`, `a,=b`, `x\t+1`) is also one when the file is opened in a locale
 * whose list separator is `;` (or re-imported with another delimiter): the text after the
 * separator becomes a cell of its own. Both kinds of text cell get a leading `'` (OWASP's CSV
 * injection advice), which the spreadsheet shows as text. Numbers are written as numbers (a
 * negative change stays -4.2); NULL is an empty cell, never 0.
 */
import { csvCell } from '../csv-cell.js';

export interface CsvColumn {
  field: string;
  title: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** A list separator (`;`, `,`, tab, line break), optional spaces, then a formula start. */
const FORMULA_AFTER_SEPARATOR = /[;,\t\r\n] *[=+\-@]/;

/** Whether a spreadsheet could run this text (or part of it) as a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text) || FORMULA_AFTER_SEPARATOR.test(text);
}

/** One cell: numbers as written by JS, text neutralised and quoted as needed. */
export function downloadCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  return csvCell(looksLikeFormula(text) ? `'${text}` : text);
}

/** A CSV file with a header row of column titles; lines end with CRLF, as RFC 4180 says. */
export function csvDownload(
  columns: readonly CsvColumn[],
  rows: readonly Record<string, unknown>[],
): string {
  const lines = [columns.map((c) => downloadCell(c.title)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => downloadCell(row[c.field])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
