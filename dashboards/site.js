// The site's browser script: draws the charts of a page that has any (with the vendored vega and
// vega-embed, loaded only by such pages: build-site.ts) and makes tables marked data-sortable
// sortable. Each chart container names the <script type="application/json"> holding its Vega
// spec (compiled from the Vega-Lite file at build time) and the dataset it reads, which the page
// carries once as JSON. A chart that cannot be drawn says so in place and never stops the others;
// without JavaScript every figure is still in its table. `ast: true` makes vega interpret chart
// expressions instead of compiling them with new Function, so the site runs under a
// Content-Security-Policy without 'unsafe-eval' (src/site/content-security-policy.ts).

function showProblem(container, problem) {
  container.textContent = `This chart could not be drawn (${problem}). The data table below has the same figures.`;
  container.dataset.rendered = 'failed';
}

/** Every dataset on the page: { name: rows }. */
function pageDatasets() {
  const datasets = {};
  for (const script of document.querySelectorAll('script[data-dataset]'))
    datasets[script.dataset.dataset] = JSON.parse(script.textContent);
  return datasets;
}

/** The spec with the named data source holding the rows (a copy: the page's JSON stays as it is). */
function withData(spec, name, rows) {
  const data = (spec.data ?? []).map((d) => (d.name === name ? { ...d, values: rows } : d));
  if (!data.some((d) => d.name === name)) throw new Error(`the chart reads no dataset ${name}`);
  return { ...spec, data };
}

/** Narrower than this (a phone), legends wrap into two columns so they are not cut off. */
const NARROW_CHART_PX = 560;

/** The spec with every legend in two columns (a copy). */
function withNarrowLegends(spec) {
  const walk = (node) => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out = {};
    for (const [key, value] of Object.entries(node))
      out[key] =
        key === 'legends' && Array.isArray(value)
          ? value.map((legend) => ({ ...legend, columns: 2 }))
          : walk(value);
    return out;
  };
  return walk(spec);
}

function drawCharts() {
  const charts = document.querySelectorAll('[data-chart]');
  if (charts.length === 0) return;
  let datasets;
  try {
    datasets = pageDatasets();
  } catch (error) {
    for (const container of charts)
      showProblem(container, `the data could not be read: ${error.message}`);
    console.error(error);
    return;
  }
  for (const container of charts) {
    let spec;
    try {
      const source = document.getElementById(container.dataset.chart);
      if (!source) throw new Error(`no spec element #${container.dataset.chart}`);
      const name = container.dataset.datasetName;
      if (!datasets[name]) throw new Error(`no dataset ${name} on the page`);
      spec = withData(JSON.parse(source.textContent), name, datasets[name]);
      if (container.clientWidth < NARROW_CHART_PX) spec = withNarrowLegends(spec);
    } catch (error) {
      showProblem(container, error.message);
      console.error(error);
      continue;
    }
    window
      .vegaEmbed(container, spec, { mode: 'vega', renderer: 'svg', actions: false, ast: true })
      .then(() => {
        container.dataset.rendered = 'true';
      })
      .catch((error) => {
        showProblem(container, error.message);
        console.error(error);
      });
  }
}

/** Column headings become buttons; cells sort by their data-sort value (numbers as numbers). */
function makeSortable(table) {
  const headers = [...table.tHead.rows[0].cells];
  headers.forEach((th, column) => {
    if (th.hasAttribute('data-nosort')) return;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.appendChild(button);
    th.setAttribute('aria-sort', 'none');
    button.addEventListener('click', () => {
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      for (const other of headers)
        if (other.hasAttribute('aria-sort')) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const body = table.tBodies[0];
      const value = (row) => {
        const cell = row.cells[column];
        return cell?.hasAttribute('data-sort') ? cell.dataset.sort : null;
      };
      const rows = [...body.rows].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        const nx = Number(x);
        const ny = Number(y);
        const order = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return ascending ? order : -order;
      });
      for (const row of rows) body.appendChild(row);
    });
  });
}

// Behind sign-in the index labels each entry with the grants that open it (data-grants, from
// src/site/site-access.ts); the edge sets the viewer's grants in the rotascope_grants cookie
// (joined with +). Entries none of whose grants the viewer holds are hidden, and ICB sections left
// with nothing. No cookie (the site is not behind the edge): nothing is hidden. Hiding is for
// tidiness only: the edge refuses those pages whatever the index shows.
function viewerGrants() {
  const entry = document.cookie.split('; ').find((c) => c.startsWith('rotascope_grants='));
  if (entry === undefined) return undefined;
  return new Set(decodeURIComponent(entry.slice('rotascope_grants='.length)).split('+'));
}

function hideWhatTheViewerCannotOpen() {
  const grants = viewerGrants();
  if (grants === undefined) return;
  for (const element of document.querySelectorAll('[data-grants]')) {
    const opens = element.dataset.grants.split(' ').some((grant) => grants.has(grant));
    if (opens) continue;
    // An ICB heading's link becomes its plain name (the heading stays for the networks under it).
    if (element.tagName === 'A') element.replaceWith(element.textContent);
    else element.hidden = true;
  }
  let shown = 0;
  for (const section of document.querySelectorAll('section.panel')) {
    const opens = section.querySelector('li:not([hidden])') !== null;
    section.hidden = !opens;
    if (opens) shown += 1;
  }
  const noAccess = document.querySelector('[data-no-access]');
  if (noAccess && shown === 0) noAccess.hidden = false;
}

window.addEventListener('DOMContentLoaded', () => {
  hideWhatTheViewerCannotOpen();
  for (const table of document.querySelectorAll('table[data-sortable]')) makeSortable(table);
  drawCharts();
});
