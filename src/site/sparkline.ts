/**
 * A trend sparkline for a table cell: a small inline SVG line drawn in Node (no script, prints,
 * works with JavaScript off), with its first and last value in the accessible name. A NULL week
 * breaks the line rather than dropping to 0.
 *
 * Sparklines in one column share one y domain (`sharedDomain` over every row's values), so the
 * same height means the same change in every row: a 1-point wobble looks like 1 point, not like a
 * slide to the bottom of the cell.
 */
import { escapeHtml } from './html.js';

const WIDTH = 96;
const HEIGHT = 24;
const PAD = 2;

/** [lowest, highest] of every finite value of every series, or null when there is none. */
export function sharedDomain(
  series: readonly (readonly (number | null)[])[],
): [number, number] | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const values of series)
    for (const v of values)
      if (v !== null && Number.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
  return min <= max ? [min, max] : null;
}

/**
 * The sparkline of `values` (oldest first). `domain` is the column's shared [min, max]; without
 * it the line spans its own range (only for a sparkline that stands alone).
 */
export function sparklineSvg(
  values: readonly (number | null)[],
  label: string,
  format: (value: number) => string,
  domain?: readonly [number, number] | null,
): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return '<span class="no-data">no data</span>';
  const [min, max] = domain ?? [Math.min(...known), Math.max(...known)];
  const span = max - min || 1;
  const step = values.length > 1 ? (WIDTH - 2 * PAD) / (values.length - 1) : 0;
  const segments: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if ((segments.at(-1) ?? []).length > 0) segments.push([]);
      return;
    }
    const x = PAD + i * step;
    const y = HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD);
    segments.at(-1)?.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  const lines = segments
    .filter((s) => s.length > 0)
    .map((s) =>
      s.length === 1
        ? `<circle cx="${s[0]?.split(',')[0]}" cy="${s[0]?.split(',')[1]}" r="1.5"/>`
        : `<polyline points="${s.join(' ')}"/>`,
    )
    .join('');
  const first = known[0] as number;
  const last = known.at(-1) as number;
  const scale = domain ? `; scale ${format(min)} to ${format(max)}, shared by the column` : '';
  const name = `${label}: ${values.length} weeks, from ${format(first)} to ${format(last)}${scale}`;
  return `<svg class="sparkline" role="img" aria-label="${escapeHtml(name)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><title>${escapeHtml(name)}</title>${lines}</svg>`;
}
