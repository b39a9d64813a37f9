/**
 * A chart on a page: the Vega-Lite spec from dashboards/ with its data bound by name, a text
 * description, and the same figures as a table for people who cannot see the chart.
 */
import { escapeHtml, jsonForScript } from './html.js';

export type Row = Record<string, unknown>;

export interface TableColumn {
  field: string;
  title: string;
  format: (value: unknown) => string;
  numeric?: boolean;
}

/** Bind rows to the spec's named data source (Vega-Lite `datasets`). */
export function bindData(
  spec: Record<string, unknown>,
  datasets: Record<string, Row[]>,
): Record<string, unknown> {
  const name = (spec.data as { name?: string } | undefined)?.name;
  if (!name || !datasets[name])
    throw new Error(`Spec needs data named ${String(name)}, which was not given`);
  return { ...spec, datasets: { [name]: datasets[name] } };
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
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function chartFigure(options: {
  id: string;
  title: string;
  spec: Record<string, unknown>;
  datasets: Record<string, Row[]>;
  table: string;
}): string {
  const { id, title, spec, datasets, table } = options;
  const description = String(spec.description ?? title);
  return `<figure class="panel" aria-labelledby="${id}-title">
<h2 id="${id}-title">${escapeHtml(title)}</h2>
<p id="${id}-desc">${escapeHtml(description)}</p>
<div class="chart" id="${id}" data-chart="${id}-spec" role="img" aria-describedby="${id}-desc"></div>
<script type="application/json" id="${id}-spec">${jsonForScript(bindData(spec, datasets))}</script>
<details><summary>Show the data as a table</summary>${table}</details>
</figure>`;
}
