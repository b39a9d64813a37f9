// Draws every chart on the page with the vendored vega-embed. Each chart container names the
// <script type="application/json"> element that holds its Vega-Lite spec (data already bound).
window.addEventListener('DOMContentLoaded', () => {
  for (const container of document.querySelectorAll('[data-chart]')) {
    const source = document.getElementById(container.dataset.chart);
    if (!source) continue;
    const spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(container, spec, { renderer: 'svg', actions: false })
      .then(() => {
        container.dataset.rendered = 'true';
      })
      .catch((error) => {
        container.textContent = `This chart could not be drawn (${error.message}). The data table below has the same figures.`;
        console.error(error);
      });
  }
});
