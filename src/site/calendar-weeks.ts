/**
 * Weekly rows on the calendar. A metric table has a row only for a week with data, so "the row
 * before" may be a month before, and a comparison "on the previous week" or a run of weeks would
 * silently join weeks that are not neighbours. These give the week before by date, and a series
 * with a hole (undefined) for each week without a row. Pure.
 */
import { addDays } from '../calendar.js';

interface Weekly {
  week_start: string;
}

/** The row of the calendar week before `row`'s, or undefined when that week has no row. */
export function weekBefore<T extends Weekly>(
  rows: readonly T[],
  row: T | undefined,
): T | undefined {
  if (!row) return undefined;
  const before = addDays(row.week_start, -7);
  return rows.find((r) => r.week_start === before);
}

/**
 * `rows` (oldest first) as one entry per calendar week from the first row's week to the last's,
 * undefined for a week without a row; with `weeks`, only the latest that many calendar weeks.
 */
export function onCalendar<T extends Weekly>(
  rows: readonly T[],
  weeks?: number,
): (T | undefined)[] {
  const last = rows.at(-1);
  const first = rows[0];
  if (!last || !first) return [];
  const byWeek = new Map(rows.map((r) => [r.week_start, r]));
  const out: (T | undefined)[] = [];
  for (let week = last.week_start; week >= first.week_start; week = addDays(week, -7)) {
    if (weeks !== undefined && out.length === weeks) break;
    out.unshift(byWeek.get(week));
  }
  return out;
}
