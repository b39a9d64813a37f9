/**
 * Which week's report each network gets (issue 16: each network's own latest complete week; issue
 * 17: a chosen week). Rows are (network, week) pairs; the clock's last complete week is given.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { reportWeeksByNetwork } from '../../../src/site/site-data.js';

// A: 2026-10-19 (W43) to 2026-11-09 (W46), and a rota published ahead to 2026-11-30 (W49).
// B: 2026-10-19 (W43) to 2026-10-26 (W44) only (its exports stopped).
// C: only 2026-11-30 (W49), which has not ended by the clock below.
const rows = [
  ...['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-30'].map((w) => ({
    network_code: 'A',
    week_start: w,
  })),
  ...['2026-10-19', '2026-10-26'].map((w) => ({ network_code: 'B', week_start: w })),
  { network_code: 'C', week_start: '2026-11-30' },
];
// The clock is in week W48 (from 2026-11-23): the last complete week is W47, from 2026-11-16.
const lastComplete = '2026-11-16';

describe('reportWeeksByNetwork', () => {
  it("gives each network its own latest complete week, whatever the others' data says", () => {
    // A: its latest week <= 2026-11-16 is 2026-11-09 (its 2026-11-30 rota is not over yet).
    // B: its data ends 2026-10-26, so that week, not A's.
    // C: no week of its data has ended, so no report.
    expect(reportWeeksByNetwork(rows, { lastComplete })).toEqual(
      new Map([
        ['A', '2026-11-09'],
        ['B', '2026-10-26'],
      ]),
    );
  });

  it('gives a chosen week to every network whose data covers it', () => {
    // W44 (2026-10-26): A covers W43-W46, B W43-W44.
    expect(reportWeeksByNetwork(rows, { lastComplete, week: '2026-10-26' })).toEqual(
      new Map([
        ['A', '2026-10-26'],
        ['B', '2026-10-26'],
      ]),
    );
    // W46 (2026-11-09): only A; B's data ended in W44.
    expect(reportWeeksByNetwork(rows, { lastComplete, week: '2026-11-09' })).toEqual(
      new Map([['A', '2026-11-09']]),
    );
  });

  it('refuses a week that has not ended, or that no data covers, as a usage error', () => {
    const week = (w: string) => () => reportWeeksByNetwork(rows, { lastComplete, week: w });
    expect(week('2026-11-23')).toThrow(UsageError);
    expect(week('2026-11-23')).toThrow(
      'week 2026-W48 has not ended yet: the last complete week is 2026-W47',
    );
    expect(week('2026-10-12')).toThrow(
      'no data for week 2026-W42: the data covers 2026-W43 to 2026-W46',
    );
  });
});
