/**
 * The rota coordinator's panels on a network page: the open (unfilled) shifts of the next two
 * weeks and last week's unfilled shifts, by date, practice, session and role (from `open_shifts`,
 * docs/metrics.md), and how far ahead shifts are filled (late fills and median lead time, from
 * `lead_time`) with their trend. The windows come from the run date: "the next two weeks" are the
 * two weeks after the last complete week (this week and next), "last week" is the last complete
 * week. Pure.
 */
import { addDays } from '../calendar.js';
import { label } from '../labels.js';
import type { Reference } from '../reference/organisations.js';
import { dataTable, type Row, type TableColumn } from './chart.js';
import { panel, text } from './components.js';
import { displayName } from './display-name.js';
import {
  formatCount,
  formatDate,
  formatHours,
  formatPercent,
  formatWeekOf,
  NO_DATA,
} from './format.js';
import { escapeHtml } from './html.js';
import { publishedNumber } from './published-number.js';
import type { LeadTimeRow, OpenShiftRow } from './site-data.js';
import type { OpenShiftTotals } from './summary-band.js';

/** Weeks of lead-time trend the coordinator's table shows. */
export const LEAD_TIME_WEEKS = 8;

/** Sessions in the order of the day: core hours, then extended hours, then anything else. */
const SESSION_ORDER: Record<string, number> = { in_hours: 0, extended_hours: 1 };

const WEEKDAY = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'UTC' });

/** "2026-11-24" -> "Tue 24 Nov 2026". */
export function formatDay(date: unknown): string {
  const day = formatDate(date);
  if (day === NO_DATA) return day;
  return `${WEEKDAY.format(new Date(`${String(date).slice(0, 10)}T00:00:00Z`))} ${day}`;
}

/** A network's open shifts on dates in [from, to), ordered by date, practice, session, role. */
export function openShiftsBetween(
  rows: readonly OpenShiftRow[],
  from: string,
  to: string,
  reference: Reference,
): (OpenShiftRow & { practice_name: string })[] {
  return rows
    .filter((r) => r.shift_date.slice(0, 10) >= from && r.shift_date.slice(0, 10) < to)
    .map((r) => ({ ...r, practice_name: practiceLabel(reference, r.practice_code) }))
    .sort(
      (a, b) =>
        a.shift_date.localeCompare(b.shift_date) ||
        a.practice_name.localeCompare(b.practice_name) ||
        (SESSION_ORDER[a.session_type] ?? 9) - (SESSION_ORDER[b.session_type] ?? 9) ||
        label('role', a.role).localeCompare(label('role', b.role)),
    );
}

export function practiceLabel(reference: Reference, code: string): string {
  const name = reference.practices.get(code)?.name;
  return name ? displayName(name) : code;
}

export function openTotals(rows: readonly OpenShiftRow[]): OpenShiftTotals {
  return {
    shifts: rows.reduce((sum, r) => sum + r.unfilled_shifts, 0),
    hours: rows.reduce((sum, r) => sum + r.unfilled_hours, 0),
  };
}

/** The coordinator's windows for a last complete week (a Monday). */
export function coordinatorWindows(lastComplete: string) {
  const thisWeek = addDays(lastComplete, 7);
  return {
    lastWeek: { from: lastComplete, to: thisWeek },
    thisWeek: { from: thisWeek, to: addDays(thisWeek, 7) },
    nextWeek: { from: addDays(thisWeek, 7), to: addDays(thisWeek, 14) },
    nextTwoWeeks: { from: thisWeek, to: addDays(thisWeek, 14) },
  };
}

const SHIFT_COLUMNS: TableColumn[] = [
  { field: 'shift_date', title: 'Date', format: formatDay },
  { field: 'practice_name', title: 'Practice', format: text },
  { field: 'session', title: 'Session', format: text },
  { field: 'role_label', title: 'Role', format: text },
  { field: 'unfilled_shifts', title: 'Shifts', format: formatCount, numeric: true },
  { field: 'unfilled_hours', title: 'Hours', format: formatHours, numeric: true },
];

/** "3 shifts, 12 h". */
export function totalText(total: OpenShiftTotals): string {
  return `${formatCount(total.shifts)} shift${total.shifts === 1 ? '' : 's'}, ${formatHours(total.hours)}`;
}

/** A table of open shifts (with its total unless `total: false`), or `empty` when there are none. */
export function openShiftsTable(
  rows: readonly (OpenShiftRow & { practice_name: string })[],
  caption: string,
  empty: string,
  options: { total?: boolean } = {},
): string {
  if (rows.length === 0) return `<p class="no-data">${escapeHtml(empty)}</p>`;
  const shown: Row[] = rows.map((r) => ({
    ...r,
    session: label('session', r.session_type),
    role_label: label('role', r.role),
  }));
  const total = openTotals(rows);
  const sum = options.total === false ? '' : `<p>${escapeHtml(`${totalText(total)}.`)}</p>\n`;
  return `${sum}${dataTable(caption, SHIFT_COLUMNS, shown)}`;
}

/** Lead time in days when it is a day or more: 30 h -> "1.3 days", 12 h -> "12 h". */
export function formatLead(hours: unknown): string {
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return NO_DATA;
  return hours >= 24 ? `${publishedNumber(hours / 24).toFixed(1)} days` : formatHours(hours);
}

/** One sentence on the trend of late fills and lead time over the weeks shown. */
export function leadTimeSentence(rows: readonly LeadTimeRow[]): string {
  const timed = rows.filter((r) => r.timed_shifts > 0 && r.median_lead_hours !== null);
  const last = rows.at(-1);
  if (!last || timed.length === 0)
    return 'The exports give no publication and fill times, so lead times cannot be worked out.';
  if (last.timed_shifts === 0 || last.median_lead_hours === null)
    return 'Last week’s exports give no publication and fill times.';
  const first = timed[0] as LeadTimeRow;
  const trend =
    first === last
      ? ''
      : ` In the week of ${formatDate(first.week_start)}: ${formatLead(first.median_lead_hours)} and ${formatPercent(first.late_fill_share)}.`;
  return `Last week filled shifts were published a median ${formatLead(last.median_lead_hours)} before they started; ${formatCount(
    last.late_fills,
  )} of ${formatCount(last.timed_shifts)} fills with times (${formatPercent(
    last.late_fill_share,
  )}) came less than 48 hours before the start.${trend}`;
}

export interface CoordinatorInput {
  openShifts: readonly OpenShiftRow[];
  leadTime: readonly LeadTimeRow[];
  reference: Reference;
  /** Monday of the last complete week at the run date. */
  lastComplete: string;
}

/** The coordinator's three panels: open next two weeks, unfilled last week, lead times. */
export function coordinatorPanels(input: CoordinatorInput): string {
  const { openShifts, leadTime, reference, lastComplete } = input;
  const w = coordinatorWindows(lastComplete);
  const last = openShiftsBetween(openShifts, w.lastWeek.from, w.lastWeek.to, reference);
  const week = (name: string, window: { from: string; to: string }) => {
    const rows = openShiftsBetween(openShifts, window.from, window.to, reference);
    const sum = rows.length === 0 ? '' : `: ${totalText(openTotals(rows))}`;
    return `<h3>${escapeHtml(`${name}, ${formatWeekOf(window.from)}${sum}`)}</h3>
${openShiftsTable(
  rows,
  `Open shifts ${name.toLowerCase()} by date, practice, session and role`,
  `No open shifts ${name.toLowerCase()}.`,
  { total: false },
)}`;
  };
  const total = openTotals(
    openShiftsBetween(openShifts, w.nextTwoWeeks.from, w.nextTwoWeeks.to, reference),
  );
  const upcoming = panel(
    'open-shifts',
    'Open shifts in the next two weeks',
    total.shifts === 0
      ? `<p class="no-data">No open shifts in the next two weeks (${escapeHtml(formatDate(w.nextTwoWeeks.from))} to ${escapeHtml(
          formatDate(addDays(w.nextTwoWeeks.to, -1)),
        )}).</p>`
      : `<p>Unfilled shifts on the published rota from ${escapeHtml(formatDate(w.nextTwoWeeks.from))} to ${escapeHtml(
          formatDate(addDays(w.nextTwoWeeks.to, -1)),
        )}, as the latest exports hold it: ${escapeHtml(formatCount(total.shifts))} shifts, ${escapeHtml(
          formatHours(total.hours),
        )}.</p>
${week('This week', w.thisWeek)}
${week('Next week', w.nextWeek)}`,
  );
  const unfilled = panel(
    'unfilled-last-week',
    `Unfilled shifts last week (week of ${formatDate(w.lastWeek.from)})`,
    openShiftsTable(
      last,
      'Unfilled shifts last week by date, practice, session and role',
      'No shifts went unfilled last week.',
    ),
  );
  const trend = leadTime.filter((r) => r.week_start <= lastComplete).slice(-LEAD_TIME_WEEKS);
  const lead = panel(
    'lead-time',
    'How far ahead shifts are filled',
    trend.length === 0
      ? `<p class="no-data">${NO_DATA}</p>`
      : `<p>${escapeHtml(leadTimeSentence(trend))}</p>
${dataTable(
  'Lead time and late fills by week, newest first',
  [
    { field: 'week_start', title: 'Week starting', format: formatDate },
    {
      field: 'timed_shifts',
      title: 'Fills with times',
      format: formatCount,
      numeric: true,
    },
    {
      field: 'median_lead_hours',
      title: 'Median lead time',
      format: formatLead,
      numeric: true,
    },
    {
      field: 'late_fills',
      title: 'Late fills (under 48 h)',
      format: formatCount,
      numeric: true,
    },
    { field: 'late_fill_share', title: 'Late share', format: formatPercent, numeric: true },
  ],
  [...trend].reverse(),
)}`,
  );
  return `${upcoming}\n${unfilled}\n${lead}`;
}
