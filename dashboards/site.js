// Draws every chart on the page with the vendored vega-embed. Each chart container names the
// <script type="application/json"> element that holds its Vega-Lite spec (data already bound).
// A chart that cannot be drawn says so in place and never stops the others.
function showProblem(container, problem) {
  container.textContent = `This chart could not be drawn (${problem}). The data table below has the same figures.`;
  container.dataset.rendered = 'failed';
}

window.addEventListener('DOMContentLoaded', () => {
  for (const container of document.querySelectorAll('[data-chart]')) {
    const source = document.getElementById(container.dataset.chart);
    let spec;
    try {
      if (!source) throw new Error(`no spec element #${container.dataset.chart}`);
      spec = JSON.parse(source.textContent);
    } catch (error) {
      showProblem(container, error.message);
      console.error(error);
      continue;
    }
    window
      .vegaEmbed(container, spec, { renderer: 'svg', actions: false })
      .then(() => {
        container.dataset.rendered = 'true';
      })
      .catch((error) => {
        showProblem(container, error.message);
        console.error(error);
      });
  }
});
