/**
 * How numbers read on the site. Missing values are "no data", never 0 or NaN; a value held back
 * for small numbers (passed as the string "suppressed") reads "suppressed". A figure is rounded
 * from its published value (published-number.ts), so a sum's last-bit noise never tips it.
 */
import { publishedNumber } from './published-number.js';

export const NO_DATA = 'no data';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

// Formatters are made once: `toLocaleString` with options builds a new Intl formatter on every
// call (61 us a date, against 1.6 us reused), which was half of a national site build.
const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const INSTANT = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** What a missing figure reads as: "suppressed" when a table marked it so, else "no data". */
function missing(value: unknown): string {
  return value === SUPPRESSED ? SUPPRESSED : NO_DATA;
}

/** 0.8712 -> "87.1%". */
export function formatPercent(ratio: unknown): string {
  return isNumber(ratio) ? `${publishedNumber(ratio * 100).toFixed(1)}%` : missing(ratio);
}

/**
 * The difference of two ratios in percentage points, to the tenth a page shows:
 * 0.913 - 0.871 -> 4.2. Every "points" figure on the site comes from here.
 */
export function pointsBetween(current: number, previous: number): number {
  return Math.round(publishedNumber((current - previous) * 1000)) / 10;
}

/** Change of a ratio in percentage points: 0.871 - 0.913 -> "down 4.2 points". */
export function formatPointsChange(current: unknown, previous: unknown): string {
  if (!isNumber(current)) return 'no comparison';
  if (!isNumber(previous)) return 'no data for the week before';
  const points = pointsBetween(current, previous);
  if (points === 0) return 'no change on previous week';
  return `${points > 0 ? 'up' : 'down'} ${Math.abs(points).toFixed(1)} points on previous week`;
}

export function formatCount(value: unknown): string {
  return isNumber(value) ? COUNT.format(Math.round(publishedNumber(value))) : missing(value);
}

export function formatHours(value: unknown): string {
  return isNumber(value) ? `${ONE_DECIMAL.format(publishedNumber(value))} h` : missing(value);
}

/**
 * "2026-11-16" -> "16 Nov 2026"; "2026-09-07" -> "7 Sep 2026". Months are the three letters the
 * charts use (`%b`): en-GB's Intl writes "Sept", which would differ from the chart axes.
 */
export function formatDate(date: unknown): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) return NO_DATA;
  return DATE.format(new Date(`${date.slice(0, 10)}T00:00:00Z`)).replace('Sept', 'Sep');
}

/** A week named by its Monday, as people read it: "2026-11-23" -> "week of 23 Nov 2026". */
export function formatWeekOf(monday: unknown): string {
  const date = formatDate(monday);
  return date === NO_DATA ? NO_DATA : `week of ${date}`;
}

/** The d3 time format of chart axes and tooltips, the same as `formatDate`: "7 Sep 2026". */
export const CHART_DATE_FORMAT = '%-d %b %Y';
/** A chart axis's short date: "7 Sep". */
export const CHART_SHORT_DATE_FORMAT = '%-d %b';

/** An instant shown in UK local time: "17 Nov 2026, 07:00". */
export function formatInstant(iso: unknown): string {
  if (typeof iso !== 'string') return NO_DATA;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return NO_DATA;
  return INSTANT.format(at);
}

/** A value not published because fewer than k clinicians are behind it (docs/metrics.md). */
export const SUPPRESSED = 'suppressed';

/** Pence as whole pounds: 1234050 -> "£12,341"; NULL -> "no data". */
export function formatPounds(pence: unknown): string {
  return isNumber(pence) ? `£${COUNT.format(Math.round(pence / 100))}` : missing(pence);
}

/** Change of an amount relative to the previous week: "up 18% on previous week". */
export function formatRelativeChange(current: unknown, previous: unknown): string {
  if (!isNumber(current)) return 'no comparison';
  if (!isNumber(previous)) return 'no data for the week before';
  if (previous === 0) return current === 0 ? 'no change on previous week' : 'up from £0';
  const change = Math.round(publishedNumber(((current - previous) / previous) * 100));
  if (change === 0) return 'no change on previous week';
  return `${change > 0 ? 'up' : 'down'} ${Math.abs(change)}% on previous week`;
}

/** Change in hours: "up 12.5 h on previous week". */
export function formatHoursChange(current: unknown, previous: unknown): string {
  if (!isNumber(current)) return 'no comparison';
  if (!isNumber(previous)) return 'no data for the week before';
  const change = Math.round(publishedNumber((current - previous) * 10)) / 10;
  if (change === 0) return 'no change on previous week';
  return `${change > 0 ? 'up' : 'down'} ${formatHours(Math.abs(change))} on previous week`;
}
