/**
 * Dates as NHS rotas see them: local dates in Europe/London, ISO weeks starting Monday, the NHS
 * financial year starting 1 April. Local dates are `YYYY-MM-DD` strings; arithmetic on them is
 * done at UTC midnight, where no clock change can interfere.
 */
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtcMidnight(date: string): Date {
  const match = ISO_DATE.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new Error(`Not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return parsed;
}

export function addDays(date: string, days: number): string {
  return new Date(toUtcMidnight(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. */
export function isoWeekday(date: string): number {
  return (toUtcMidnight(date).getUTCDay() + 6) % 7;
}

/** The Monday of the ISO week containing `date`. */
export function weekStart(date: string): string {
  return addDays(date, -isoWeekday(date));
}

/** ISO week label, e.g. `2026-W46`. */
export function isoWeekLabel(date: string): string {
  const thursday = addDays(weekStart(date), 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(weekStart(`${year}-01-04`), 3);
  const week =
    1 +
    Math.round(
      (toUtcMidnight(thursday).getTime() - toUtcMidnight(firstThursday).getTime()) / (7 * DAY_MS),
    );
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week label: `2026-W46` -> `2026-11-09`; an error for a week that does not exist. */
export function isoWeekMonday(label: string): string {
  const match = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!match) throw new RangeError(`Not an ISO week (YYYY-Www): ${label}`);
  const monday = addDays(weekStart(`${match[1]}-01-04`), (Number(match[2]) - 1) * 7);
  if (Number(match[2]) < 1 || isoWeekLabel(monday) !== label)
    throw new RangeError(`No such ISO week: ${label}`);
  return monday;
}

/** The local (Europe/London) calendar date of an instant. */
export function londonDate(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return parts; // en-CA formats as YYYY-MM-DD
}

/** Wall-clock formatters by IANA zone, made once each (building one costs about 60 us). */
const ZONE_PARTS = new Map<string, Intl.DateTimeFormat>();

/**
 * Milliseconds a time zone (IANA name) is ahead of UTC at an instant, from the runtime's zone
 * data. Throws a RangeError for a zone the runtime does not know.
 */
export function zoneOffsetMs(zone: string, instant: Date | number): number {
  let format = ZONE_PARTS.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    ZONE_PARTS.set(zone, format);
  }
  const at = typeof instant === 'number' ? instant : instant.getTime();
  const p = Object.fromEntries(
    format.formatToParts(at).map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const asUtc = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** Milliseconds Europe/London is ahead of UTC at an instant (0 or 3,600,000). */
function londonOffsetMs(instant: Date): number {
  return zoneOffsetMs('Europe/London', instant);
}

/**
 * The instant of a Europe/London wall-clock time. In the repeated hour of October the earlier
 * (BST) instant is chosen; a time in the skipped hour of March is read as GMT.
 */
export function fromZonedWallClock(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const bst = new Date(wall - 3_600_000);
  if (londonOffsetMs(bst) === 3_600_000) return bst;
  return new Date(wall);
}

/** Monday of the last ISO week that has fully ended in Europe/London at `now`. */
export function lastCompleteWeekStart(now: Date): string {
  return addDays(weekStart(londonDate(now)), -7);
}

/** First day (1 April) of the NHS financial year containing `date`. */
export function financialYearStart(date: string): string {
  toUtcMidnight(date);
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? `${year}-04-01` : `${year - 1}-04-01`;
}
