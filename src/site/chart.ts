/**
 * A chart on a page: the Vega-Lite spec from dashboards/ (its data named, not inline), compiled
 * to Vega here at build time (so the browser loads vega and vega-embed, not the 250 KB vega-lite
 * compiler), a text description, download links for the data behind it, and the same figures as
 * a table for people who cannot see the chart (and for keyboard users: chart tooltips need a
 * mouse, the table does not). The page carries each named dataset once, as JSON (datasets.ts);
 * the browser script binds it to every chart that names it.
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_SHORT_DATE_FORMAT } from './format.js';
import { escapeHtml, jsonForScript } from './html.js';

export type Row = Record<string, unknown>;

export interface TableColumn {
  field: string;
  title: string;
  format: (value: unknown) => string;
  numeric?: boolean;
  /** Left out of the table when every row's value is 0 or missing (a column of zeros is noise). */
  onlyIfAnyNonZero?: boolean;
}

/**
 * Dates in charts read as in tables ("7 Sep", not "07 Sep"): every d3 time `format` in a spec
 * with a zero-padded day (`%d`) gets the unpadded one (`%-d`). Specs stay as their owners wrote
 * them; this is applied when a page or report uses them.
 */
export function withSiteDates<T>(spec: T): T {
  if (Array.isArray(spec)) return spec.map(withSiteDates) as T;
  if (spec === null || typeof spec !== 'object') return spec;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    out[key] =
      key === 'format' && typeof value === 'string'
        ? value.replace('%d %b', CHART_SHORT_DATE_FORMAT).replaceAll('%d', '%-d')
        : withSiteDates(value);
  }
  return out as T;
}

const compiled = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/**
 * The Vega spec of a (themed) Vega-Lite spec, compiled once per spec object: what the page
 * embeds. Its named data source stays empty; the browser script fills it from the page's dataset.
 */
export function vegaSpec(spec: Record<string, unknown>): Record<string, unknown> {
  let out = compiled.get(spec);
  if (!out) {
    out = compile(withSiteDates(spec) as unknown as TopLevelSpec).spec as unknown as Record<
      string,
      unknown
    >;
    compiled.set(spec, out);
  }
  return out;
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

const isZeroOrMissing = (value: unknown) =>
  value === null || value === undefined || value === 0 || value === 0n;

/**
 * An NHS.UK table (numbers right-aligned under right-aligned headings) inside its own scrolling
 * region, so a wide table scrolls sideways on a phone and the page does not; the region is
 * focusable and named by the caption so keyboard users can scroll it.
 */
export function dataTable(caption: string, columns: TableColumn[], rows: Row[]): string {
  const shown = columns.filter(
    (c) => !c.onlyIfAnyNonZero || rows.some((row) => !isZeroOrMissing(row[c.field])),
  );
  const head = shown
    .map(
      (c) =>
        `<th scope="col" class="nhsuk-table__header${c.numeric ? ' nhsuk-table__header--numeric num' : ''}">${escapeHtml(c.title)}</th>`,
    )
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr class="nhsuk-table__row">${shown.map((c) => `<td class="nhsuk-table__cell${c.numeric ? ' nhsuk-table__cell--numeric num' : ''}">${escapeHtml(c.format(row[c.field]))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-scroll" role="region" aria-label="${escapeHtml(caption)}" tabindex="0"><table class="nhsuk-table"><caption class="nhsuk-table__caption nhsuk-table__caption--s">${escapeHtml(caption)}</caption><thead class="nhsuk-table__head"><tr class="nhsuk-table__row">${head}</tr></thead><tbody class="nhsuk-table__body">\n${body}\n</tbody></table></div>`;
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
      : `<div class="chart" id="${id}" data-chart="${id}-spec" data-dataset-name="${escapeHtml(name)}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc"></div>
<script type="application/json" id="${id}-spec">${jsonForScript(vegaSpec(spec))}</script>
${downloadLinks(name, 'the data behind this chart')}`;
  return `<figure class="panel" aria-labelledby="${id}-title">
<h2 class="nhsuk-heading-m" id="${id}-title">${escapeHtml(title)}</h2>
<p id="${id}-desc">${escapeHtml(description)}</p>${note ? `\n<p>${note}</p>` : ''}
${chart}
<details><summary>Show the data as a table</summary>${table}</details>
</figure>`;
}
