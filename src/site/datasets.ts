/**
 * The data behind a page's charts: embedded once per page as JSON in a <script> element (so the
 * charts draw from file://, where a browser will not fetch files, and the page needs no Arrow
 * decoder: 193 KB of script saved) and written next to the page as `data/<name>.arrow` (Arrow
 * IPC, apache-arrow) and `data/<name>.csv` for download.
 */
import { Dictionary, type Field, Table, tableFromJSON, tableToIPC, Vector } from 'apache-arrow';
import type { Row } from './chart.js';
import { csvDownload } from './csv-download.js';
import { jsonForScript } from './html.js';
import { publishedNumber } from './published-number.js';

/** A dataset's rows as published: the same rows, with fractions through publishedNumber. */
export function publishedRows(rows: readonly Row[]): Row[] {
  return rows.map((row) => {
    let copy: Row | undefined;
    for (const [key, value] of Object.entries(row)) {
      if (typeof value !== 'number' || Number.isInteger(value)) continue;
      copy ??= { ...row };
      copy[key] = publishedNumber(value);
    }
    return copy ?? row;
  });
}

/**
 * Rows as an Arrow IPC stream: numbers as Float64, text dictionary-encoded, NULL kept. The types
 * are apache-arrow's own inference (`tableFromJSON`), but each dictionary's id is its column's
 * place in this file: apache-arrow numbers dictionaries from one counter per process, so the same
 * rows came out as different bytes depending on how many files the build had made before.
 */
export function arrowIpc(rows: Row[]): Uint8Array {
  const inferred = tableFromJSON(rows as Record<string, unknown>[]);
  const columns = inferred.schema.fields.map((field: Field, id) => {
    const { name, type } = field;
    const vector = inferred.getChildAt(id) as Vector;
    if (!(type instanceof Dictionary)) return [name, vector] as const;
    // The same data and dictionary, under a type that carries this file's id.
    const own = new Dictionary(type.dictionary, type.indices, id, type.isOrdered);
    return [name, new Vector(vector.data.map((data) => data.clone(own)))] as const;
  });
  return tableToIPC(new Table(Object.fromEntries(columns)), 'stream');
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
