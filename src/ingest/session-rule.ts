/**
 * The session-type rule (DESIGN §3.1): when a source does not say whether a shift is in core or
 * extended hours, a shift is `extended_hours` when it starts inside one of these windows
 * (Europe/London), else `in_hours`. Configurable because networks' extended-access hours differ:
 * `ROTASCOPE_EXTENDED_HOURS="mon-fri 18:30-20:00; sat 09:00-17:00"` (the default).
 */
import { ConfigError } from '../errors.js';

export interface ExtendedHoursWindow {
  /** ISO weekdays, 1 = Monday ... 7 = Sunday. */
  days: number[];
  /** Start times from (inclusive) and to (exclusive), HH:MM. */
  from: string;
  to: string;
}

export const DEFAULT_EXTENDED_HOURS = 'mon-fri 18:30-20:00; sat 09:00-17:00';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WINDOW = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export function parseExtendedHours(text: string): ExtendedHoursWindow[] {
  const windows = text
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  return windows.map((part) => {
    const m = WINDOW.exec(part);
    const first = DAYS.indexOf(m?.[1] ?? '');
    const last = m?.[2] ? DAYS.indexOf(m[2]) : first;
    const from = m?.[3] ?? '';
    const to = m?.[4] ?? '';
    if (!m || first < 0 || last < first || !CLOCK.test(from) || !CLOCK.test(to) || to <= from) {
      throw new ConfigError(
        `Extended hours window "${part}" is not like "mon-fri 18:30-20:00" (days mon..sun, times HH:MM, from before to)`,
      );
    }
    return { days: DAYS.slice(first, last + 1).map((_, i) => first + i + 1), from, to };
  });
}

/** A DuckDB boolean expression: does the local start `local` (a TIMESTAMP) fall in a window? */
export function extendedHoursSql(windows: readonly ExtendedHoursWindow[], local: string): string {
  if (windows.length === 0) return 'false';
  return windows
    .map(
      (w) =>
        `(isodow(${local}) in (${w.days.join(', ')}) and cast(${local} as time) >= time '${w.from}' and cast(${local} as time) < time '${w.to}')`,
    )
    .join(' or ');
}
