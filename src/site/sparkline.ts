/**
 * A trend sparkline for a table cell: a small inline SVG line drawn in Node (no script, prints,
 * works with JavaScript off), with its first and last value in the accessible name. A NULL week
 * breaks the line rather than dropping to 0.
 */
import { escapeHtml } from './html.js';

const WIDTH = 96;
const HEIGHT = 24;
const PAD = 2;

export function sparklineSvg(
  values: readonly (number | null)[],
  label: string,
  format: (value: number) => string,
): string {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return '<span class="no-data">no data</span>';
  const min = Math.min(...known);
  const max = Math.max(...known);
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
  const name = `${label}: ${values.length} weeks, from ${format(first)} to ${format(last)}`;
  return `<svg class="sparkline" role="img" aria-label="${escapeHtml(name)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><title>${escapeHtml(name)}</title>${lines}</svg>`;
}
