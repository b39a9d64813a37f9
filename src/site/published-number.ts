/**
 * Numbers as the site publishes them. DuckDB sums doubles on several threads, so two runs over
 * the same data can differ in the last bit (460.2 in one, 460.20000000000005 in the next).
 * Published as they come, the downloads would show that noise and change between runs that
 * changed nothing, and a figure on the rounding edge (55.45 h shown to one decimal) could read
 * 55.4 in one run and 55.5 in the next. Every published number (datasets.ts `publishedRows`) and
 * every figure the site rounds for a page (format.ts and the few pages that round their own)
 * goes through publishedNumber first.
 */

/**
 * Significant digits a published fraction keeps: far beyond what any page shows (hours to three
 * decimals up to a million) and far above the noise of a sum (a few parts in 10^16).
 */
export const PUBLISHED_DIGITS = 9;

/** A number as published: integers as they are, fractions to PUBLISHED_DIGITS significant digits. */
export function publishedNumber(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const decimals = PUBLISHED_DIGITS - 1 - Math.floor(Math.log10(Math.abs(value)));
  if (decimals <= 0) return Math.round(value);
  // Dividing by an exact power of ten gives the double nearest the decimal (460.2, not noise).
  const scale = 10 ** Math.min(decimals, 22);
  return Math.round(value * scale) / scale;
}
