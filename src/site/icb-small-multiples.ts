/**
 * The ICB overview's "every network" view: one small server-rendered SVG per network (no chart
 * library, prints, works with JavaScript off), each with the network's weekly fill rate, the ICB's
 * pooled rate as a dashed line and the middle half of the ICB's networks as a grey band. Every
 * panel shares one y scale, so panels compare at a glance; the caller orders them (flagged
 * networks first). Readable at 30+ networks, where one chart of 30 lines is not.
 */
import { formatDate, formatPercent, formatWeekOf } from './format.js';
import { escapeHtml } from './html.js';
import { FLAG_LABELS, type IcbFlag } from './icb-flags.js';
import { sharedDomain } from './sparkline.js';

export interface MultipleSeries {
  code: string;
  name: string;
  href: string;
  /** Fill rate per week of `weeks`, NULL where the network has none. */
  values: (number | null)[];
  flags: IcbFlag[];
}

const WIDTH = 240;
const HEIGHT = 100;
const LEFT = 36;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 20;

/** The p-th quantile (0..1) of sorted values, interpolated linearly (spreadsheets' PERCENTILE). */
export function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const lowValue = sorted[low] as number;
  const high = sorted[Math.min(low + 1, sorted.length - 1)] as number;
  return lowValue + (high - lowValue) * (at - low);
}

/** Per week, the 25th and 75th percentile of the networks' rates; null with fewer than 3. */
export function middleHalf(networks: readonly (readonly (number | null)[])[], weeks: number) {
  return Array.from({ length: weeks }, (_, i) => {
    const rates = networks
      .map((v) => v[i])
      .filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v))
      .sort((a, b) => a - b);
    return rates.length < 3 ? null : ([quantile(rates, 0.25), quantile(rates, 0.75)] as const);
  });
}

/** The shared y domain, widened to whole 5 points and kept within 0-100%. */
export function multiplesDomain(series: readonly (readonly (number | null)[])[]): [number, number] {
  const [min, max] = sharedDomain(series) ?? [0, 1];
  // In twentieths (steps of 5 points), so the ends are exact: 19 / 20 is 0.95, not 0.9500000001.
  let low = Math.max(0, Math.floor(min * 20 + 1e-9));
  let high = Math.min(20, Math.ceil(max * 20 - 1e-9));
  if (high <= low) [low, high] = [Math.max(0, low - 1), Math.min(20, high + 1)];
  return [low / 20, high / 20];
}

function shortDate(week: string | undefined): string {
  return formatDate(week).replace(/ \d{4}$/, '');
}

function path(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
) {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function panelSvg(
  series: MultipleSeries,
  weeks: readonly string[],
  icb: readonly (number | null)[],
  band: ReturnType<typeof middleHalf>,
  domain: readonly [number, number],
): string {
  const [min, max] = domain;
  const step = weeks.length > 1 ? (WIDTH - LEFT - RIGHT) / (weeks.length - 1) : 0;
  const x = (i: number) => LEFT + i * step;
  const y = (v: number) => TOP + ((max - v) / (max - min)) * (HEIGHT - TOP - BOTTOM);
  const bandPoints = band.flatMap((b, i) => (b ? [[i, b] as const] : []));
  const bandPath =
    bandPoints.length > 1
      ? `<path class="band" d="M${bandPoints.map(([i, b]) => `${x(i).toFixed(1)},${y(b[1]).toFixed(1)}`).join('L')}L${[
          ...bandPoints,
        ]
          .reverse()
          .map(([i, b]) => `${x(i).toFixed(1)},${y(b[0]).toFixed(1)}`)
          .join('L')}Z"/>`
      : '';
  const lastIndex = series.values.findLastIndex((v) => v !== null && Number.isFinite(v));
  const last = series.values[lastIndex] ?? null;
  const firstIndex = series.values.findIndex((v) => v !== null && Number.isFinite(v));
  const first = series.values[firstIndex] ?? null;
  const icbLast = lastIndex >= 0 ? (icb[lastIndex] ?? null) : null;
  const name =
    last === null || first === null
      ? `Fill rate of ${series.name}: no data`
      : `Fill rate of ${series.name}: ${formatPercent(first)} in the ${formatWeekOf(weeks[firstIndex])} to ${formatPercent(last)} in the ${formatWeekOf(weeks[lastIndex])}${icbLast === null ? '' : `; the ICB ${formatPercent(icbLast)} that week`}`;
  const grid = [max, min]
    .map(
      (v) =>
        `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="axis" x="${LEFT - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(`${Math.round(v * 100)}%`)}</text>`,
    )
    .join('');
  const dates = `<text class="axis" x="${LEFT}" y="${HEIGHT - 4}">${escapeHtml(shortDate(weeks[0]))}</text><text class="axis" x="${WIDTH - RIGHT}" y="${HEIGHT - 4}" text-anchor="end">${escapeHtml(shortDate(weeks.at(-1)))}</text>`;
  const dot =
    last === null
      ? ''
      : `<circle class="network" cx="${x(lastIndex).toFixed(1)}" cy="${y(last).toFixed(1)}" r="3"/>`;
  return `<svg class="multiple-chart" role="img" aria-label="${escapeHtml(name)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="xMidYMid meet"><title>${escapeHtml(name)}</title>${grid}${bandPath}<path class="icb" d="${path(icb, x, y)}"/><path class="network" d="${path(series.values, x, y)}"/>${dot}${dates}</svg>`;
}

/** The legend, once above the panels: what each line and the band are. */
const LEGEND = `<ul class="multiples-legend" aria-label="Key">
<li><svg aria-hidden="true" width="24" height="10"><line class="network" x1="0" x2="24" y1="5" y2="5"/></svg> the network's fill rate</li>
<li><svg aria-hidden="true" width="24" height="10"><line class="icb" x1="0" x2="24" y1="5" y2="5"/></svg> the ICB as a whole (pooled)</li>
<li><svg aria-hidden="true" width="24" height="10"><rect class="band" width="24" height="10"/></svg> the middle half of the ICB's networks</li>
</ul>`;

/** A panel per network, in the order given, each with its flags in words. */
export function smallMultiples(options: {
  weeks: readonly string[];
  /** The ICB's pooled fill rate per week of `weeks`. */
  icb: readonly (number | null)[];
  networks: readonly MultipleSeries[];
}): string {
  const { weeks, icb, networks } = options;
  if (weeks.length === 0 || networks.length === 0) return '<p class="no-data">no data</p>';
  const band = middleHalf(
    networks.map((n) => n.values),
    weeks.length,
  );
  const domain = multiplesDomain([
    ...networks.map((n) => n.values),
    icb,
    band.flatMap((b) => (b ? [...b] : [])),
  ]);
  const items = networks.map((n) => {
    const last = n.values.findLast((v) => v !== null && Number.isFinite(v)) ?? null;
    const tags = n.flags
      .map((f) => `<strong class="flag-tag">${escapeHtml(FLAG_LABELS[f.kind])}</strong>`)
      .join(' ');
    return `<li class="multiple${n.flags.length ? ' flagged' : ''}" data-filter-item data-name="${escapeHtml(`${n.name} ${n.code}`.toLowerCase())}" data-flags="${escapeHtml(n.flags.map((f) => f.kind).join(' '))}">
<h3 class="multiple-title"><a href="${escapeHtml(n.href)}">${escapeHtml(n.name)}</a></h3>
<p class="multiple-latest">Latest ${escapeHtml(formatPercent(last))}</p>
${panelSvg(n, weeks, icb, band, domain)}${tags ? `\n<p class="multiple-flags">${tags}</p>` : ''}
</li>`;
  });
  return `${LEGEND}
<p class="multiples-scale">Every panel runs from ${Math.round(domain[0] * 100)}% to ${Math.round(domain[1] * 100)}%, ${escapeHtml(formatWeekOf(weeks[0]))} to ${escapeHtml(formatWeekOf(weeks.at(-1)))}.</p>
<ul class="multiples">
${items.join('\n')}
</ul>`;
}
