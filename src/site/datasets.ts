/**
 * The data behind a page's charts: embedded once per page as JSON in a <script> element (so the
 * charts draw from file://, where a browser will not fetch files, and the page needs no Arrow
 * decoder: 193 KB of script saved) and written next to the page as `data/<name>.arrow` (Arrow
 * IPC, apache-arrow) and `data/<name>.csv` for download.
 */
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import type { Row } from './chart.js';
import { csvDownload } from './csv-download.js';
import { jsonForScript } from './html.js';

/** Rows as an Arrow IPC stream: numbers as Float64, text dictionary-encoded, NULL kept. */
export function arrowIpc(rows: Row[]): Uint8Array {
  return tableToIPC(tableFromJSON(rows as Record<string, unknown>[]), 'stream');
}

/**
 * A dataset for the browser script (dashboards/site.js) to bind by name: JSON, with BigInt
 * values (DuckDB's 64-bit integers) as numbers.
 */
export function datasetScript(name: string, rows: Row[]): string {
  const json = jsonForScript(rows, (_key, value) =>
    typeof value === 'bigint' ? Number(value) : value,
  );
  return `<script type="application/json" data-dataset="${name}">${json}</script>`;
}

/** The CSV of a dataset: every column, titled by its metric column name (docs/metrics.md). */
export function datasetCsv(rows: Row[]): string {
  const fields = rows[0] ? Object.keys(rows[0]) : [];
  return csvDownload(
    fields.map((field) => ({ field, title: field })),
    rows,
  );
}
