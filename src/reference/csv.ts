/**
 * Reference CSV files (NHS mapping files, list-size extracts, lookups, rates and populations) read
 * with `csv-parse` (RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes,
 * CRLF, a byte-order mark), synchronously from text already read. Rota exports are read by DuckDB
 * instead (see src/ingest/). Not DuckDB here: these readers are pure (text in, rows out), take text
 * that may come from S3 through the object store, and run where DuckDB is not otherwise loaded
 * (the Lambda build's network -> ICB map, the metric parameters on Athena); loading DuckDB costs
 * about 1.1 s against about 25 ms for csv-parse (docs/architecture.md, "Dependencies").
 */
import { CsvError, parse } from 'csv-parse/sync';

/** The rows of a CSV text, as cells; blank lines skipped, rows may differ in length. */
export function parseCsv(text: string): string[][] {
  try {
    // Line ends may be mixed (a file edited on two systems): each of CRLF, LF, CR ends a row.
    return parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new Error('CSV ends inside a quoted field');
    }
    throw error;
  }
}

/** Rows as objects keyed by the header row (names trimmed; a missing cell is ''). */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows
    .filter((r) => r.some((cell) => cell !== ''))
    .map((r) => Object.fromEntries(header.map((name, i) => [name.trim(), r[i] ?? ''])));
}
