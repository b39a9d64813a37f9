import { describe, expect, it } from 'vitest';
import {
  belowUsualFlag,
  type EnhancedAccessWeek,
  enhancedAccessFlag,
  fallingFlag,
  gapFlags,
  icbFlags,
  staleFlag,
  unfilledShareFlag,
} from '../../../src/site/icb-flags.js';
import type { CoverFigures } from '../../../src/site/site-data.js';
import { cover } from '../../fixtures/site/site-metrics.js';

/** Monday of week n (0-based) from 31 Aug 2026. */
function monday(n: number): string {
  return new Date(Date.UTC(2026, 7, 31 + 7 * n)).toISOString().slice(0, 10);
}

/** A week whose fill rate (shifts) is `percent`, with the other figures given. */
function week(n: number, percent: number | null, extra: Partial<CoverFigures> = {}): CoverFigures {
  return {
    ...cover(monday(n), 90, 10),
    fill_rate_shifts: percent === null ? null : percent / 100,
    ...extra,
  };
}

function weeks(percents: (number | null)[]): CoverFigures[] {
  return percents.map((p, i) => week(i, p));
}

describe('flags on the calendar', () => {
  it('does not count a run of falls across weeks with no data', () => {
    // 92, 90, 88, 86 with a week missing after 92: the falls 90 -> 88 -> 86 are two weeks
    // running, not three (before: 92 -> 90 counted across the gap).
    const gapped = [week(0, 92), week(2, 90), week(3, 88), week(4, 86)];
    expect(fallingFlag(gapped)).toBeNull();
    expect(fallingFlag([week(1, 92), ...gapped.slice(1)])?.sentence).toBe(
      'Fill rate fell 3 weeks running: 92.0% → 90.0% → 88.0% → 86.0%',
    );
  });

  it('takes the usual range from the 12 calendar weeks before, and Enhanced Access from the latest 4', () => {
    // Six steady weeks long ago, then a gap of 20 weeks: nothing in the 12 weeks before.
    const old = [90, 91, 90, 91, 90, 91].map((p, i) => week(i, p));
    expect(belowUsualFlag([...old, week(26, 70)])).toBeNull();
    expect(belowUsualFlag([...old, week(6, 70)])?.kind).toBe('below-usual');
    // Short in weeks 0, 1 and 2 but nothing since until week 9: only week 9 is recent.
    const shortWeeks = [ea(0, 1), ea(1, 1), ea(2, 1), ea(9, 12)];
    expect(enhancedAccessFlag(shortWeeks, monday(9))).toBeNull();
  });
});

describe('the network from issue 19', () => {
  // 13 weeks: w0 92.6, w1-w8 alternate 93.5 / 91.5, then 92.5 -> 88.7 -> 86.1 -> 83.8.
  const rates = [92.6, 93.5, 91.5, 93.5, 91.5, 93.5, 91.5, 93.5, 91.5, 92.5, 88.7, 86.1, 83.8];
  const network = rates.map((p, i) =>
    i === 12 ? week(i, p, { unfilled_hours: 157, demand_hours: 1080.5 }) : week(i, p),
  );
  // The ICB that week: 93.4% (9.6 points above 83.8%), 358.5 unfilled hours of 6,000 needed.
  const icbWeek = week(12, 93.4, { unfilled_hours: 358.5, demand_hours: 6000 });

  it('is flagged as falling, below its usual range and holding too many unfilled hours', () => {
    const flags = icbFlags({
      weeks: network,
      icbWeeks: [icbWeek],
      lastExport: '2026-11-30T07:00:00Z',
      now: new Date('2026-12-03T08:00:00Z'),
    });
    expect(flags).toEqual([
      // Falls: 92.5 -> 88.7 -> 86.1 -> 83.8 (3); 91.5 -> 92.5 before them is a rise. 8.7 points >= 2.
      {
        kind: 'falling',
        sentence: 'Fill rate fell 3 weeks running: 92.5% → 88.7% → 86.1% → 83.8%',
      },
      // The 12 weeks before: sum 92.6 + 4 x 93.5 + 4 x 91.5 + 92.5 + 88.7 + 86.1 = 1099.9, mean
      // 91.658. Squared deviations: 0.887 + 4 x 3.392 + 4 x 0.025 + 0.708 + 8.752 + 30.895 =
      // 54.909; / 11 = 4.992; SD 2.234 points; 2 SD = 4.468 > 2 points. Floor 91.658 - 4.468 =
      // 87.19 -> 87.2%; 83.8 < 87.2.
      {
        kind: 'below-usual',
        sentence:
          'Fill rate 83.8% is under its usual range: 87.2% or more, from the 12 weeks before (average 91.7%)',
      },
      // 157 / 358.5 = 43.8% of the unfilled hours; 1,080.5 / 6,000 = 18.0% of the hours needed;
      // 43.8% > 1.5 x 18.0% = 27.0%, and 157 h >= 37.5 h.
      {
        kind: 'unfilled-share',
        sentence:
          "Holds 157 h of the ICB's 358.5 h unfilled (43.8%), against 18.0% of the hours needed",
      },
      // 93.4 - 83.8 = 9.6 points: under the 10-point gap, so no gap flag; export 3 days old.
    ]);
  });
});

describe('fallingFlag', () => {
  it('needs 3 falls in a row', () => {
    expect(fallingFlag(weeks([95, 94, 92, 90]))?.sentence).toBe(
      'Fill rate fell 3 weeks running: 95.0% → 94.0% → 92.0% → 90.0%',
    );
    expect(fallingFlag(weeks([90, 95, 92, 90]))).toBeNull(); // 2 falls
    expect(fallingFlag(weeks([95, 94, 94, 90]))).toBeNull(); // a flat week ends the run
    expect(fallingFlag(weeks([95, 94, null, 92, 90]))).toBeNull(); // so does a week with no rate
  });

  it('needs 2 points in all, at the precision shown', () => {
    // 90.0 -> 89.5 -> 89.0 -> 88.1: 1.9 points. 90.0 -> ... -> 88.0: 2.0 points.
    expect(fallingFlag(weeks([90, 89.5, 89, 88.1]))).toBeNull();
    expect(fallingFlag(weeks([90, 89.5, 89, 88]))?.kind).toBe('falling');
    // 90.04 and 90.0 both show as 90.0%: not a fall, so the run starts at 90.0 (else 5 falls from 93).
    expect(fallingFlag(weeks([93, 90.04, 90, 88, 86, 84]))?.sentence).toBe(
      'Fill rate fell 3 weeks running: 90.0% → 88.0% → 86.0% → 84.0%',
    );
  });

  it('counts a longer run back to where it starts, and shortens a long path', () => {
    expect(fallingFlag(weeks([80, 97, 96, 95, 94, 93, 92]))?.sentence).toBe(
      'Fill rate fell 5 weeks running: 97.0% → … → 92.0%',
    );
  });
});

describe('belowUsualFlag', () => {
  it('uses a 2-point floor when the network is steady', () => {
    // 12 weeks at 90.0%: mean 90.0, SD 0, so the floor is 90.0 - 2 = 88.0.
    const steady = Array.from({ length: 12 }, () => 90);
    expect(belowUsualFlag(weeks([...steady, 88]))).toBeNull();
    expect(belowUsualFlag(weeks([...steady, 87.9]))?.sentence).toBe(
      'Fill rate 87.9% is under its usual range: 88.0% or more, from the 12 weeks before (average 90.0%)',
    );
  });

  it('uses 2 standard deviations when the network varies', () => {
    // 6 weeks 84, 96, 84, 96, 84, 96: mean 90, deviations +-6, variance 6 x 36 / 5 = 43.2,
    // SD 6.573; floor 90 - 13.145 = 76.855 -> 76.9%.
    const varied = [84, 96, 84, 96, 84, 96];
    expect(belowUsualFlag(weeks([...varied, 77]))).toBeNull();
    expect(belowUsualFlag(weeks([...varied, 76.8]))?.sentence).toBe(
      'Fill rate 76.8% is under its usual range: 76.9% or more, from the 6 weeks before (average 90.0%)',
    );
  });

  it('needs a fill rate in 6 of the weeks before, and only looks back 12 weeks', () => {
    expect(belowUsualFlag(weeks([90, 90, 90, 90, 90, 50]))).toBeNull();
    expect(belowUsualFlag(weeks([90, 90, null, 90, 90, 90, 50]))).toBeNull(); // 5 rates before
    // A week at 10% 13 weeks back is outside the window: the 12 before are steady at 90.
    const old = weeks([10, ...Array.from({ length: 12 }, () => 90), 87.9]);
    expect(belowUsualFlag(old)?.sentence).toContain('average 90.0%');
    expect(belowUsualFlag(weeks([90, 90, 90, 90, 90, 90, null]))).toBeNull();
  });
});

describe('unfilledShareFlag', () => {
  const icb = week(0, 90, { unfilled_hours: 200, demand_hours: 2000 });

  it('flags more than 1.5 times its share of demand, with 37.5 hours or more', () => {
    // Demand share 500 / 2000 = 25%; 1.5 x 25% = 37.5%; 37.5% of 200 h = 75 h.
    expect(
      unfilledShareFlag(week(0, 90, { unfilled_hours: 75, demand_hours: 500 }), icb),
    ).toBeNull();
    expect(
      unfilledShareFlag(week(0, 90, { unfilled_hours: 76, demand_hours: 500 }), icb)?.sentence,
    ).toBe("Holds 76 h of the ICB's 200 h unfilled (38.0%), against 25.0% of the hours needed");
  });

  it('ignores fewer than 37.5 unfilled hours, and an ICB with none', () => {
    // 37 h of 40 h unfilled is 92.5% against 5% of demand, but under 37.5 h.
    const small = week(0, 90, { unfilled_hours: 40, demand_hours: 2000 });
    expect(
      unfilledShareFlag(week(0, 90, { unfilled_hours: 37, demand_hours: 100 }), small),
    ).toBeNull();
    expect(
      unfilledShareFlag(week(0, 90, { unfilled_hours: 37.5, demand_hours: 100 }), small)?.kind,
    ).toBe('unfilled-share');
    expect(unfilledShareFlag(week(0, 90), week(0, 90, { unfilled_hours: 0 }))).toBeNull();
    expect(unfilledShareFlag(week(0, 90), undefined)).toBeNull();
  });
});

describe('gapFlags', () => {
  it('flags 10 or more points under the ICB and 15 or more points more agency', () => {
    const icb = week(0, 94.2, { agency_share_of_spend: 0.148 });
    expect(gapFlags(week(0, 84.2, { agency_share_of_spend: 0.3 }), icb)).toEqual([
      {
        kind: 'below-icb',
        sentence: "Fill rate 10.0 points below the ICB's (84.2% against 94.2%)",
      },
      {
        kind: 'agency-above-icb',
        sentence: "Agency share of spend 15.2 points above the ICB's (30.0% against 14.8%)",
      },
    ]);
    expect(gapFlags(week(0, 84.3, { agency_share_of_spend: 0.297 }), icb)).toEqual([]);
    expect(gapFlags(week(0, null, { agency_share_of_spend: null }), icb)).toEqual([]);
  });
});

describe('staleFlag', () => {
  const now = new Date('2026-11-23T08:00:00Z');
  it('flags an export more than 8 days old, or none', () => {
    expect(staleFlag('2026-11-15T08:00:00Z', now)).toBeNull(); // 8 days
    expect(staleFlag('2026-11-03T07:00:00Z', now)?.sentence).toBe(
      'Latest rota export 3 Nov 2026, 20 days ago (more than 8)',
    );
    expect(staleFlag(null, now)?.sentence).toBe('No rota export received');
  });
});

/**
 * An Enhanced Access week n: 60 min per 1,000 x 12,000 patients = 12 h required; `filled` hours
 * in the windows; `required` null when the population is unknown or partial.
 */
function ea(n: number, filled: number, required: number | null = 12): EnhancedAccessWeek {
  if (required === null)
    return {
      week_start: monday(n),
      filled_hours: filled,
      required_hours: null,
      shortfall_hours: null,
      meets_minimum: null,
    };
  return {
    week_start: monday(n),
    filled_hours: filled,
    required_hours: required,
    shortfall_hours: Math.max(required - filled, 0),
    meets_minimum: filled >= required,
  };
}

describe('enhancedAccessFlag', () => {
  it('flags a shortfall in the latest week, with the hours and the short weeks of the last 4', () => {
    // Weeks 0-4: 12.5, 11, 12, 13, 11.2 h against 12: short in weeks 1 and 4; the latest 4 are
    // weeks 1-4, so 2 short of 4; the latest is 12 - 11.2 = 0.8 h short.
    const weeks = [ea(0, 12.5), ea(1, 11), ea(2, 12), ea(3, 13), ea(4, 11.2)];
    expect(enhancedAccessFlag(weeks, monday(4))).toEqual({
      kind: 'ea-short',
      sentence:
        'Enhanced Access 11.2 h filled of the 12 h required, 0.8 h short in the latest week (short in 2 of the latest 4 weeks)',
    });
  });

  it('flags 3 short weeks of the latest 4 even when the latest met the minimum', () => {
    const weeks = [ea(0, 10), ea(1, 9), ea(2, 11.9), ea(3, 12)];
    expect(enhancedAccessFlag(weeks, monday(3))).toEqual({
      kind: 'ea-short',
      sentence:
        'Enhanced Access short in 3 of the latest 4 weeks, though it met the minimum in the latest week',
    });
  });

  it('does not flag 2 short weeks of 4 with the latest met, nor weeks whose minimum is unknown', () => {
    expect(enhancedAccessFlag([ea(0, 10), ea(1, 9), ea(2, 12), ea(3, 12)], monday(3))).toBeNull();
    // Population partial: no minimum, never short, however few hours.
    const unknown = [ea(0, 0, null), ea(1, 0, null), ea(2, 0, null), ea(3, 0, null)];
    expect(enhancedAccessFlag(unknown, monday(3))).toBeNull();
  });

  it('reads the week the network is shown at: no row for it, no flag; later weeks are ignored', () => {
    expect(enhancedAccessFlag([ea(0, 1), ea(1, 1)], monday(2))).toBeNull();
    expect(enhancedAccessFlag([ea(0, 12), ea(1, 1)], monday(0))).toBeNull();
    expect(enhancedAccessFlag([ea(0, 1)], undefined)).toBeNull();
  });

  it('is one of icbFlags, before the stale flag', () => {
    const flags = icbFlags({
      weeks: [week(0, 90)],
      icbWeeks: [week(0, 90)],
      lastExport: null,
      now: new Date('2026-09-03T08:00:00Z'),
      enhancedAccess: [ea(0, 6)],
    });
    expect(flags.map((f) => f.kind)).toEqual(['ea-short', 'stale']);
  });
});
