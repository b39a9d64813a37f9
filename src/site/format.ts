/**
 * How numbers read on the site. Missing values are "no data", never 0 or NaN.
 */
export const NO_DATA = 'no data';

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** 0.8712 -> "87.1%". */
export function formatPercent(ratio: unknown): string {
  return isNumber(ratio) ? `${(ratio * 100).toFixed(1)}%` : NO_DATA;
}

/** Change of a ratio in percentage points: 0.871 - 0.913 -> "down 4.2 points". */
export function formatPointsChange(current: unknown, previous: unknown): string {
  if (!isNumber(current)) return 'no comparison';
  if (!isNumber(previous)) return 'no previous week';
  const points = Math.round((current - previous) * 1000) / 10;
  if (points === 0) return 'no change on previous week';
  return `${points > 0 ? 'up' : 'down'} ${Math.abs(points).toFixed(1)} points on previous week`;
}

export function formatCount(value: unknown): string {
  return isNumber(value) ? Math.round(value).toLocaleString('en-GB') : NO_DATA;
}

export function formatHours(value: unknown): string {
  return isNumber(value)
    ? `${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} h`
    : NO_DATA;
}

/** "2026-11-16" -> "16 Nov 2026". */
export function formatDate(date: unknown): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(date)) return NO_DATA;
  return new Date(`${date.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** An instant shown in UK local time: "17 Nov 2026, 07:00". */
export function formatInstant(iso: unknown): string {
  if (typeof iso !== 'string') return NO_DATA;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return NO_DATA;
  return at.toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
