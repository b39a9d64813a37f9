/**
 * The data behind a page's charts, as Arrow IPC (apache-arrow): embedded once per page (base64 in
 * a <script> element, so the charts draw from file:// where a browser will not fetch files) and
 * written next to the page as `data/<name>.arrow` and `data/<name>.csv` for download.
 */
import { tableFromJSON, tableToIPC } from 'apache-arrow';
import type { Row } from './chart.js';
import { csvDownload } from './csv-download.js';

/** Rows as an Arrow IPC stream: numbers as Float64, text dictionary-encoded, NULL kept. */
export function arrowIpc(rows: Row[]): Uint8Array {
  return tableToIPC(tableFromJSON(rows as Record<string, unknown>[]), 'stream');
}

/** A dataset for the browser script (dashboards/site.js) to decode and bind by name. */
export function datasetScript(name: string, ipc: Uint8Array): string {
  return `<script type="application/vnd.apache.arrow.stream" data-dataset="${name}">${Buffer.from(ipc).toString('base64')}</script>`;
}

/** The CSV of a dataset: every column, titled by its metric column name (docs/metrics.md). */
export function datasetCsv(rows: Row[]): string {
  const fields = rows[0] ? Object.keys(rows[0]) : [];
  return csvDownload(
    fields.map((field) => ({ field, title: field })),
    rows,
  );
}
