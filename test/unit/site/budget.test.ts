import { readFileSync } from 'node:fs';
/**
 * The budget tile and the year-to-date panel (src/site/budget.ts) on hand-made ytd rows. The
 * network's data starts in the week of 24 Aug 2026; the latest week is 23 Nov 2026, its 14th
 * Monday. From 23 Nov 2026 to 29 Mar 2027 (the last Monday of 2026/27): 7 + 31 + 31 + 28 + 29 =
 * 126 days = 18 weeks left. £658,000 spent so far, £47,000 a week over the last 8 weeks:
 * £658,000 + £47,000 x 18 = £1,504,000 projected. Agency: £90,000 so far at £6,000 a week:
 * £90,000 + £6,000 x 18 = £198,000. Before the data: 2026/27's first Monday is 6 April; 6 April
 * to 24 August is 24 + 31 + 30 + 31 + 24 = 140 days = 20 weeks with no data (20 + 14 + 18 = the
 * year's 52 Mondays); at £47,000 a week, about £940,000 not in the figures.
 */
import { describe, expect, it } from 'vitest';
import {
  budgetKpi,
  budgetNote,
  budgetSection,
  coverageFrom,
  weeksBeforeData,
} from '../../../src/site/budget.js';
import type { YtdRow } from '../../../src/site/site-data.js';

/** The shipped spec: the section compiles it to Vega, so a stand-in without marks would not do. */
const SPEC = JSON.parse(
  readFileSync(new URL('../../../dashboards/network-ytd.vl.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The latest week, with no budget; `budget(...)` adds them. */
const LATEST: YtdRow = {
  network_code: 'U60865',
  financial_year_start: '2026-04-01',
  week_start: '2026-11-23',
  spend_pence: 4_700_000,
  ytd_spend_pence: 65_800_000,
  ytd_agency_pence: 9_000_000,
  data_start_week: '2026-08-24',
  weeks_with_data: 14,
  run_rate_weeks: 8,
  run_rate_pence: 4_700_000,
  remaining_weeks: 18,
  projected_outturn_pence: 150_400_000,
  budget_pence: null,
  budget_variance_pence: null,
  projected_agency_outturn_pence: 19_800_000,
  agency_budget_pence: null,
  agency_budget_variance_pence: null,
};

/** The row with a budget (and agency budget) in pounds; variances = projected - budget. */
function budget(row: YtdRow, pounds: number, agencyPounds: number | null = null): YtdRow {
  const pence = pounds * 100;
  const agency = agencyPounds === null ? null : agencyPounds * 100;
  return {
    ...row,
    budget_pence: pence,
    budget_variance_pence: (row.projected_outturn_pence ?? 0) - pence,
    agency_budget_pence: agency,
    agency_budget_variance_pence:
      agency === null ? null : (row.projected_agency_outturn_pence ?? 0) - agency,
  };
}

describe('budgetKpi', () => {
  it('says how far over budget the projected outturn is, and the agency budget', () => {
    // £1,504,000 - £1,400,000 = £104,000 over; agency £198,000 - £200,000 = £2,000 under.
    expect(budgetKpi([budget(LATEST, 1_400_000, 200_000)])).toEqual({
      label: 'Budget 2026/27',
      value: '£104,000 over budget',
      change:
        'Projected outturn £1,504,000 against £1,400,000 budget; agency projected £198,000, £2,000 under its £200,000 budget; leaves out the 20 weeks before the data starts (about £940,000 at this rate)',
      raw: 10_400_000,
      cue: { tone: 'bad', word: 'Over budget', hidden: ' on the projected outturn' },
    });
  });

  it('says under budget in words, and on budget when it rounds to £0', () => {
    // £1,504,000 - £1,600,000 = -£96,000.
    const under = budgetKpi([budget(LATEST, 1_600_000)]);
    expect([under?.value, under?.change, under?.raw]).toEqual([
      '£96,000 under budget',
      'Projected outturn £1,504,000 against £1,600,000 budget; leaves out the 20 weeks before the data starts (about £940,000 at this rate)',
      -9_600_000,
    ]);
    // 40p over a £1,504,000 budget.
    const on = budget({ ...LATEST, projected_outturn_pence: 150_400_040 }, 1_504_000);
    expect(budgetKpi([on])?.value).toBe('on budget');
    expect(budgetKpi([on])?.cue?.word).toBe('On budget');
    expect(under?.cue?.word).toBe('Within budget');
  });

  it('without a budget, gives the spend so far, from the week the data starts, and the projection', () => {
    expect(budgetKpi([LATEST])).toEqual({
      label: 'Spend 2026/27',
      value: '£658,000',
      change: 'from week of 24 Aug 2026 (data starts); projected outturn £1,504,000; no budget set',
      raw: 65_800_000,
    });
  });

  it('reads the latest of the rows, and nothing when there are none', () => {
    const earlier = budget({ ...LATEST, week_start: '2026-11-16' }, 1);
    expect(budgetKpi([earlier, LATEST])?.label).toBe('Spend 2026/27');
    expect(budgetKpi([])).toBeUndefined();
  });
});

describe('weeksBeforeData', () => {
  it('counts the year’s Mondays before the data starts', () => {
    expect(weeksBeforeData(LATEST)).toBe(20);
    expect(weeksBeforeData({ ...LATEST, data_start_week: '2026-04-06' })).toBe(0);
    // 1 April 2024 was a Monday: the year's first week starts on 1 April itself.
    const y2024 = { ...LATEST, financial_year_start: '2024-04-01' };
    expect(weeksBeforeData({ ...y2024, data_start_week: '2024-04-01' })).toBe(0);
    expect(weeksBeforeData({ ...y2024, data_start_week: '2024-04-08' })).toBe(1);
  });
});

describe('coverageFrom', () => {
  it('counts from 1 April when the data starts in the year’s first week', () => {
    // 2026/27's first Monday is 6 April, 5 days after 1 April.
    expect(coverageFrom({ ...LATEST, data_start_week: '2026-04-06' })).toBe('since 1 Apr 2026');
    expect(coverageFrom({ ...LATEST, data_start_week: '2026-04-13' })).toBe(
      'from week of 13 Apr 2026 (data starts)',
    );
  });
});

describe('budgetNote', () => {
  it('says where the data starts, the run rate it projects from and the budgets', () => {
    expect(budgetNote([budget(LATEST, 1_400_000, 200_000)])).toBe(
      '£658,000 spent in 2026/27 from week of 24 Aug 2026 (data starts) to week of 23 Nov 2026 ' +
        '(14 weeks with data). At £47,000 a week (the mean of the last 8 weeks with data) for the ' +
        '18 weeks left to 31 Mar 2027, the projected outturn is £1,504,000. The 20 weeks of ' +
        '2026/27 before the data starts are not in these figures (about £940,000 at the same ' +
        'rate). Against the £1,400,000 budget that is £104,000 over; counting the weeks before ' +
        'the data at the same rate, about £1,044,000 over. Agency: £90,000 spent, projected ' +
        '£198,000, £2,000 under the £200,000 agency budget, leaving out the weeks before the ' +
        'data starts.',
    );
  });

  it('in the last week of the year, the outturn is the spend; no budget is said so', () => {
    // The week of Monday 30 March 2026, 2025/26's last, data from 6 April 2025 (its first week).
    const last: YtdRow = {
      ...LATEST,
      financial_year_start: '2025-04-01',
      week_start: '2026-03-30',
      data_start_week: '2025-04-07',
      weeks_with_data: 52,
      ytd_spend_pence: 200_000_000,
      remaining_weeks: 0,
      projected_outturn_pence: 200_000_000,
    };
    expect(budgetNote([last])).toBe(
      '£2,000,000 spent in 2025/26 since 1 Apr 2025 to week of 30 Mar 2026 (52 weeks with data). ' +
        'This is the last week of 2025/26: the outturn is the spend, £2,000,000. ' +
        'No budget is set for 2025/26.',
    );
  });

  it('says plainly over or under when the data covers the whole year so far', () => {
    // Data from 6 April, 2026/27's first Monday: nothing is left out.
    const whole = budget({ ...LATEST, data_start_week: '2026-04-06' }, 1_600_000);
    expect(budgetNote([whole])).toContain(
      '£658,000 spent in 2026/27 since 1 Apr 2026 to week of 23 Nov 2026',
    );
    expect(budgetNote([whole])).toContain('That is £96,000 under the £1,600,000 budget.');
    expect(budgetNote([whole])).not.toContain('before the data');
  });

  it('counts the weeks before the data at the run rate, which can turn under into over', () => {
    // £96,000 under a £1,600,000 budget; + £940,000 for the 20 weeks before: £844,000 over.
    expect(budgetNote([budget(LATEST, 1_600_000)])).toContain(
      'Against the £1,600,000 budget that is £96,000 under; counting the weeks before the data at the same rate, about £844,000 over.',
    );
  });

  it('rounds the estimate for the weeks before the data to the nearest £1,000', () => {
    // £46,994 a week x 20 weeks = £939,880: about £940,000. Budget £1,400,000: £1,504,000 is
    // £104,000 over, + £939,880 = £1,043,880: about £1,044,000 over.
    const rate = budget({ ...LATEST, run_rate_pence: 4_699_400 }, 1_400_000);
    expect(budgetNote([rate])).toContain('(about £940,000 at the same rate)');
    expect(budgetNote([rate])).toContain('at the same rate, about £1,044,000 over.');
    expect(budgetKpi([rate])?.change).toContain('(about £940,000 at this rate)');
  });

  it('names the weeks the rate is the mean of, at the start of the data', () => {
    const first = { ...LATEST, weeks_with_data: 1, run_rate_weeks: 1 };
    const third = { ...LATEST, weeks_with_data: 3, run_rate_weeks: 3 };
    expect(budgetNote([first])).toContain('(the mean of the one week with data)');
    expect(budgetNote([third])).toContain('(the mean of the 3 weeks with data)');
  });
});

describe('budgetSection', () => {
  const headers = (html: string) =>
    [...html.matchAll(/<th scope="col"[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);

  it('shows no budget columns without a budget', () => {
    const html = budgetSection(SPEC, [LATEST]);
    expect(html).toContain(
      '<h2 class="nhsuk-heading-m" id="ytd-title">Spend this financial year</h2>',
    );
    expect(html).toContain('from week of 24 Aug 2026 (data starts)');
    expect(headers(html)).toEqual([
      'Week starting',
      'Spent this week',
      'Spent so far',
      'Projected outturn',
    ]);
  });

  it('adds the budget, and the agency columns with an agency budget, newest week first', () => {
    const earlier = { ...LATEST, week_start: '2026-11-16', ytd_spend_pence: 61_100_000 };
    const html = budgetSection(SPEC, [
      budget(earlier, 1_400_000, 200_000),
      budget(LATEST, 1_400_000, 200_000),
    ]);
    expect(html).toContain(
      '<h2 class="nhsuk-heading-m" id="ytd-title">Spend this financial year against budget</h2>',
    );
    expect(headers(html)).toEqual([
      'Week starting',
      'Spent this week',
      'Spent so far',
      'Projected outturn',
      'Budget',
      'Agency spent so far',
      'Projected agency outturn',
      'Agency budget',
    ]);
    expect(html.indexOf('£658,000')).toBeLessThan(html.indexOf('£611,000'));
    expect(html).toContain('Against the £1,400,000 budget that is £104,000 over;');
  });

  it('says "no data" without rows', () => {
    const html = budgetSection(SPEC, []);
    expect(html).toContain('No data for this chart.');
    expect(html).not.toMatch(/NaN|undefined/);
  });
});
