/**
 * The rota coordinator's panels: which open shifts fall in "the next two weeks" and "last week"
 * for a run date, their order, the empty states and the lead-time sentence.
 */
import { describe, expect, it } from 'vitest';
import {
  coordinatorPanels,
  coordinatorWindows,
  formatDay,
  formatLead,
  leadTimeSentence,
  openShiftsBetween,
  openTotals,
} from '../../../src/site/coordinator.js';
import type { LeadTimeRow, OpenShiftRow } from '../../../src/site/site-data.js';
import { reference } from '../../fixtures/site/site-metrics.js';

const row = (
  shift_date: string,
  practice_code: string,
  session_type: string,
  role: string,
  unfilled_shifts: number,
  unfilled_hours: number,
): OpenShiftRow => ({
  network_code: 'U00001',
  week_start: '2026-11-23',
  shift_date,
  practice_code,
  session_type,
  role,
  unfilled_shifts,
  unfilled_hours,
});

// P00001 is named `<script>...` (sorts before "Riverside Surgery", P00002).
const rows = [
  row('2026-11-24', 'P00002', 'in_hours', 'practice_nurse', 1, 7.5),
  row('2026-11-24', 'P00002', 'extended_hours', 'gp', 1, 2),
  row('2026-11-24', 'P00002', 'in_hours', 'gp', 2, 8),
  row('2026-11-23', 'P00002', 'in_hours', 'hca', 1, 4),
  row('2026-11-24', 'P00001', 'extended_hours', 'gp', 1, 3),
  row('2026-12-07', 'P00002', 'in_hours', 'gp', 9, 36), // outside the two weeks
  row('2026-11-22', 'P00002', 'in_hours', 'gp', 9, 36), // last week (a Sunday)
];

describe('coordinator panels', () => {
  it('takes the two weeks after the last complete week, and last week, from the run date', () => {
    expect(coordinatorWindows('2026-11-16')).toEqual({
      lastWeek: { from: '2026-11-16', to: '2026-11-23' },
      thisWeek: { from: '2026-11-23', to: '2026-11-30' },
      nextWeek: { from: '2026-11-30', to: '2026-12-07' },
      nextTwoWeeks: { from: '2026-11-23', to: '2026-12-07' },
    });
  });

  it('orders open shifts by date, practice name, core before extended hours, then role', () => {
    const ahead = openShiftsBetween(rows, '2026-11-23', '2026-12-07', reference);
    expect(ahead.map((r) => [r.shift_date, r.practice_code, r.session_type, r.role])).toEqual([
      ['2026-11-23', 'P00002', 'in_hours', 'hca'],
      ['2026-11-24', 'P00001', 'extended_hours', 'gp'],
      ['2026-11-24', 'P00002', 'in_hours', 'gp'],
      ['2026-11-24', 'P00002', 'in_hours', 'practice_nurse'],
      ['2026-11-24', 'P00002', 'extended_hours', 'gp'],
    ]);
    // 1 + 1 + 2 + 1 + 1 = 6 shifts; 4 + 3 + 8 + 7.5 + 2 = 24.5 h.
    expect(openTotals(ahead)).toEqual({ shifts: 6, hours: 24.5 });
  });

  it('shows plain-English labels, escaped names and the totals', () => {
    const html = coordinatorPanels({
      openShifts: rows,
      leadTime: [],
      reference,
      lastComplete: '2026-11-16',
    });
    expect(html).toContain(
      '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">Tue 24 Nov 2026</td><td class="nhsuk-table__cell">Riverside Surgery</td><td class="nhsuk-table__cell">Core hours</td><td class="nhsuk-table__cell">Practice nurse</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric num">1</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric num">7.5 h</td></tr>',
    );
    expect(html).toContain(
      '<td class="nhsuk-table__cell">Mon 23 Nov 2026</td><td class="nhsuk-table__cell">Riverside Surgery</td><td class="nhsuk-table__cell">Core hours</td><td class="nhsuk-table__cell">Healthcare assistant</td>',
    );
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('as the latest exports hold it: 6 shifts, 24.5 h.');
    // Nothing in the week of 30 Nov; last week's Sunday row is in its own panel.
    expect(html).toContain('<h3>This week, week of 23 Nov 2026: 6 shifts, 24.5 h</h3>');
    expect(html).toContain('No open shifts next week.');
    expect(html).toContain('Unfilled shifts last week (week of 16 Nov 2026)');
    expect(html).toContain('<td class="nhsuk-table__cell">Sun 22 Nov 2026</td>');
    expect(html).toContain('<p class="no-data">no data</p>'); // no lead-time rows
  });

  it('says so when nothing is open or nothing went unfilled', () => {
    const html = coordinatorPanels({
      openShifts: [],
      leadTime: [],
      reference,
      lastComplete: '2026-11-16',
    });
    expect(html).toContain('No open shifts in the next two weeks (23 Nov 2026 to 6 Dec 2026).');
    expect(html).toContain('No shifts went unfilled last week.');
    expect(html).not.toContain('<table');
  });

  it('sums up lead time and late fills with their trend', () => {
    const lead = (week_start: string, median: number | null, late: number | null, timed: number) =>
      ({
        network_code: 'U00001',
        week_start,
        filled_shifts: timed,
        timed_shifts: timed,
        median_lead_hours: median,
        late_fills: late,
        late_fill_share: late === null || timed === 0 ? null : late / timed,
      }) satisfies LeadTimeRow;
    expect(leadTimeSentence([lead('2026-11-02', 96, 1, 10), lead('2026-11-09', 30, 4, 10)])).toBe(
      // 30 h = 1.25 days -> "1.3 days"; 4 / 10 = 40%; 96 h = 4 days.
      'Last week filled shifts were published a median 1.3 days before they started; 4 of 10 fills with times (40.0%) came less than 48 hours before the start. In the week of 2 Nov 2026: 4.0 days and 10.0%.',
    );
    expect(leadTimeSentence([lead('2026-11-09', null, null, 0)])).toBe(
      'The exports give no publication and fill times, so lead times cannot be worked out.',
    );
    expect(formatLead(12)).toBe('12 h');
    expect(formatDay('2026-11-24')).toBe('Tue 24 Nov 2026');
  });
});
