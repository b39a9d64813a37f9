/**
 * A chart as an SVG string, drawn in Node (no browser): the weekly report embeds its charts inline
 * so that it prints and opens offline without scripts. The spec is the same Vega-Lite file the
 * interactive pages use, with its data bound by name (chart.ts bindData); width "container" (which
 * needs a page) becomes a fixed width that fits A4 portrait.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { bindData, type Row } from './chart.js';

/** Pixels across an A4 page's printable width at 96 dpi, less margins. */
export const REPORT_CHART_WIDTH = 640;

export async function renderChartSvg(
  spec: Record<string, unknown>,
  datasets: Record<string, Row[]>,
  width = REPORT_CHART_WIDTH,
): Promise<string> {
  const bound = bindData(spec, datasets);
  const sized = bound.width === 'container' ? { ...bound, width } : bound;
  const vega = compile(sized as unknown as TopLevelSpec).spec;
  // No loader: every dataset is inline, so nothing is fetched (the site must work offline).
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
