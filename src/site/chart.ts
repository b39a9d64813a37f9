/**
 * A chart on a page: the Vega-Lite spec from dashboards/ (its data named, not inline), a text
 * description, download links for the data behind it, and the same figures as a table for people
 * who cannot see the chart. The page carries each named dataset once, as Arrow IPC (datasets.ts);
 * the browser script binds it to every chart that names it.
 */
import { escapeHtml, jsonForScript } from './html.js';

export type Row = Record<string, unknown>;

export interface TableColumn {
  field: string;
  title: string;
  format: (value: unknown) => string;
  numeric?: boolean;
}

/** The name of the dataset a spec reads (`data: { name }`), or an error naming the spec. */
export function datasetName(spec: Record<string, unknown>): string {
  const name = (spec.data as { name?: string } | undefined)?.name;
  if (!name) throw new Error(`Spec "${String(spec.description)}" has no named data source`);
  return name;
}

/** The spec `dashboards/<name>.vl.json` from a build's specs, or an error naming the file. */
export function requireSpec(
  specs: Record<string, Record<string, unknown>>,
  name: string,
): Record<string, unknown> {
  const found = specs[name];
  if (!found) throw new Error(`No chart spec dashboards/${name}.vl.json`);
  return found;
}

export function dataTable(caption: string, columns: TableColumn[], rows: Row[]): string {
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`)
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.format(row[c.field]))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="nhsuk-table"><caption class="nhsuk-table__caption">${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Links to the CSV and Arrow files of a dataset, next to the page (`data/<name>.*`). */
export function downloadLinks(name: string, what: string): string {
  return `<p class="downloads">Download ${escapeHtml(what)}: <a href="data/${escapeHtml(name)}.csv" download>CSV</a> · <a href="data/${escapeHtml(name)}.arrow" download>Arrow</a></p>`;
}

export interface ChartOptions {
  id: string;
  title: string;
  /** The spec with the site theme as its config (dashboards/theme.json). */
  spec: Record<string, unknown>;
  /** The rows of the spec's dataset: none means "no data" in place of the chart. */
  rows: Row[];
  table: string;
  /** Extra text under the description, already safe HTML. */
  note?: string;
}

export function chartFigure(options: ChartOptions): string {
  const { id, title, spec, rows, table, note } = options;
  const name = datasetName(spec);
  const description = String(spec.description ?? title);
  const chart =
    rows.length === 0
      ? `<p class="no-data">No data for this chart.</p>`
      : `<div class="chart" id="${id}" data-chart="${id}-spec" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc"></div>
<script type="application/json" id="${id}-spec">${jsonForScript(spec)}</script>
${downloadLinks(name, 'the data behind this chart')}`;
  return `<figure class="panel" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(title)}</h2>
<p id="${id}-desc">${escapeHtml(description)}</p>${note ? `\n<p>${note}</p>` : ''}
${chart}
<details><summary>Show the data as a table</summary>${table}</details>
</figure>`;
}
