// The site's browser script: draws every chart with the vendored vega-embed and makes tables
// marked data-sortable sortable. Each chart container names the <script type="application/json">
// that holds its Vega-Lite spec; the spec names its dataset, which the page carries once as
// base64 Arrow IPC (decoded with the vendored apache-arrow). A chart that cannot be drawn says so
// in place and never stops the others; without JavaScript every figure is still in its table.
// `ast: true` makes vega interpret chart expressions instead of compiling them with new Function,
// so the site runs under a Content-Security-Policy without 'unsafe-eval' (src/site/content-security-policy.ts).

function showProblem(container, problem) {
  container.textContent = `This chart could not be drawn (${problem}). The data table below has the same figures.`;
  container.dataset.rendered = 'failed';
}

/** Every dataset on the page, decoded once: { name: rows }. */
function pageDatasets() {
  const datasets = {};
  for (const script of document.querySelectorAll('script[data-dataset]')) {
    const binary = atob(script.textContent.trim());
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
    const table = window.Arrow.tableFromIPC(bytes);
    datasets[script.dataset.dataset] = table.toArray().map((row) => row.toJSON());
  }
  return datasets;
}

function drawCharts() {
  let datasets;
  try {
    datasets = pageDatasets();
  } catch (error) {
    for (const container of document.querySelectorAll('[data-chart]'))
      showProblem(container, `the data could not be read: ${error.message}`);
    console.error(error);
    return;
  }
  for (const container of document.querySelectorAll('[data-chart]')) {
    let spec;
    try {
      const source = document.getElementById(container.dataset.chart);
      if (!source) throw new Error(`no spec element #${container.dataset.chart}`);
      spec = JSON.parse(source.textContent);
      const name = spec.data?.name;
      if (!datasets[name]) throw new Error(`no dataset ${name} on the page`);
      spec.datasets = { [name]: datasets[name] };
    } catch (error) {
      showProblem(container, error.message);
      console.error(error);
      continue;
    }
    window
      .vegaEmbed(container, spec, { renderer: 'svg', actions: false, ast: true })
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
