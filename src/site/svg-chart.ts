/**
 * A chart as an SVG string, drawn in Node (no browser): the weekly report embeds its charts inline
 * so that it prints and opens offline without scripts. The spec is the same Vega-Lite file the
 * interactive pages use, with its data given by name; width "container" (which needs a page)
 * becomes a fixed width that fits a phone, and beside its table on A4 portrait. Each spec is compiled, parsed and made into a view
 * once per width, and the view is reused with new data (17 ms a chart compiling every time, 7 ms
 * with the compiled spec cached, less again without building a view per chart). Renders of one
 * view run one after another.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { datasetName, type Row, withSiteDates } from './chart.js';
import { publishedRows } from './datasets.js';

/**
 * Pixels across the whole drawing (axes and legend included): what a phone (390 px) has left
 * after the page's margins and panel padding, so the report's charts are shown at the size they
 * were drawn there (12 px text stays 12 px); on wider screens and on A4 they sit beside their
 * table at the same size. One drawing per chart: a second, wider one doubled the report's build
 * time (7 ms a render).
 */
export const REPORT_CHART_WIDTH = 330;

interface CachedView {
  view: View;
  /** The last render queued on this view: the next one waits for it. */
  queue: Promise<unknown>;
}

const views = new WeakMap<Record<string, unknown>, Map<number, CachedView>>();

function cachedView(spec: Record<string, unknown>, width: number): CachedView {
  let byWidth = views.get(spec);
  if (!byWidth) {
    byWidth = new Map();
    views.set(spec, byWidth);
  }
  let cached = byWidth.get(width);
  if (!cached) {
    // "fit": the whole drawing (axes and legend included) is `width` across, so it is shown at the
    // size it was drawn and its 12 px text stays 12 px.
    // Legends in two columns, so a legend of four engagements fits the narrow drawing.
    const config = (spec.config ?? {}) as Record<string, unknown>;
    const sized =
      spec.width === 'container'
        ? {
            ...spec,
            width,
            autosize: { type: 'fit-x', contains: 'padding' },
            config: { ...config, legend: { ...(config.legend as object), columns: 2 } },
          }
        : spec;
    // No loader: the data is given at render time, so nothing is fetched (the site is offline).
    const view = new View(parse(compile(withSiteDates(sized) as unknown as TopLevelSpec).spec), {
      renderer: 'none',
    });
    cached = { view, queue: Promise.resolve() };
    byWidth.set(width, cached);
  }
  return cached;
}

/**
 * The drawing's gradient and clip ids (`id="gradient_4"`, `url(#gradient_4)`), renamed
 * `<prefix>-0`, `<prefix>-1`, ... in order of first use. Vega numbers them from counters shared
 * by every drawing in the process, so the same chart came out with other ids (and other bytes)
 * depending on how many charts the build had drawn before; and two drawings inlined in one page
 * must not share an id. The prefix names the drawing within its page.
 */
export function localSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/(id="|url\(#)(gradient_\d+|clip\d+)(?=[")])/g, (_m, before, id) => {
    let local = ids.get(id);
    if (local === undefined) {
      local = `${prefix}-${ids.size}`;
      ids.set(id, local);
    }
    return `${before}${local}`;
  });
}

/**
 * The chart drawn as SVG from these datasets. `idPrefix` names the drawing's gradient and clip
 * ids (localSvgIds): unique within the page that inlines it.
 */
export async function renderChartSvg(
  spec: Record<string, unknown>,
  datasets: Record<string, Row[]>,
  idPrefix: string,
  width = REPORT_CHART_WIDTH,
): Promise<string> {
  const name = datasetName(spec);
  const rows = datasets[name];
  if (!rows) throw new Error(`Spec needs data named ${name}, which was not given`);
  const cached = cachedView(spec, width);
  const render = cached.queue.then(() => {
    // Copies (Vega marks each row it is given), with fractions as published (datasets.ts), so
    // the last-bit noise of a sum does not move a point in the drawing.
    cached.view.data(
      name,
      publishedRows(rows).map((r) => ({ ...r })),
    );
    return cached.view.toSVG().then((svg) => localSvgIds(svg, idPrefix));
  });
  cached.queue = render.catch(() => undefined);
  return render;
}
