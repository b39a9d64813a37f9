/**
 * The network page's summary band: sentences and tiles with context (previous week, ICB, the
 * network's own range) and a good/bad cue in words, on hand-made weeks checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { changeCue } from '../../../src/site/kpis.js';
import {
  agencyKpis,
  coverKpi,
  openKpi,
  summaryBand,
  summarySentences,
  versusIcb,
  versusRange,
} from '../../../src/site/summary-band.js';
import { cover } from '../../fixtures/site/site-metrics.js';

/** Weeks of 100 shifts with `filled` filled; the last one also 10 agency shifts. */
const weeks = [92, 95, 90, 88].map((filled, i) =>
  cover(`2026-11-${String(2 + 7 * i).padStart(2, '0')}`, filled, 100 - filled, i === 3 ? 10 : 0),
);
// The ICB that week: 186 of 200 filled = 93%; agency 10 of 186 shifts.
const icbWeek = cover('2026-11-23', 186, 14, 10);
const open = {
  total: { shifts: 7, hours: 26 },
  thisWeek: { shifts: 6, hours: 22 },
  nextWeek: { shifts: 1, hours: 4 },
};

describe('summary band', () => {
  it('compares cover with the previous week, the ICB and its own range', () => {
    const kpi = coverKpi(weeks, icbWeek);
    expect(kpi.value).toBe('88.0%');
    // 88 - 90 = -2 points: worse, arrow down.
    expect(kpi.change).toBe('down 2.0 points on previous week');
    expect(kpi.cue).toEqual({
      tone: 'bad',
      word: 'Worse',
      hidden: ' than the previous week',
      direction: 'down',
    });
    // 88 - 93 = -5 points; 88 is the lowest of 92, 95, 90, 88.
    expect(kpi.context).toEqual([
      '5.0 points below the ICB (93.0%)',
      'lowest in 4 weeks (88.0% to 95.0%)',
    ]);
  });

  it('compares with the calendar week before, not the last week that had data', () => {
    // 2, 9 and 23 Nov: no export covered 16 Nov. 88% on 23 Nov is not "down 2 points on the
    // previous week" (90% was three weeks back, not the week before).
    const gap = [weeks[0], weeks[1], weeks[3]].filter((w) => w !== undefined);
    const kpi = coverKpi(gap, icbWeek);
    expect(kpi.change).toBe('no data for the week before');
    expect(kpi.cue).toBeUndefined();
    const [sentence] = summarySentences({ name: 'Net', weeks: gap, icbWeek, open });
    expect(sentence).not.toMatch(/on the week before/);
    expect(agencyKpis(gap, icbWeek).map((k) => k.change)).toEqual([
      'no data for the week before',
      'no data for the week before',
    ]);
  });

  it('says where a value sits in its range, and nothing with fewer than 3 weeks', () => {
    const pct = (v: unknown) => `${v}`;
    expect(versusRange([0.9, 0.95, 0.92], pct)).toBe('within its 3-week range (0.9 to 0.95)');
    expect(versusRange([0.9, 0.95, 0.96], pct)).toBe('highest in 3 weeks (0.9 to 0.96)');
    expect(versusRange([0.9, 0.9, 0.9], pct)).toBe('the same in all 3 weeks');
    expect(versusRange([0.9, 0.95], pct)).toBeUndefined();
    // Only the last 12 weeks count: 0.1 thirteen weeks back is out of range.
    expect(versusRange([0.1, ...Array(11).fill(0.5), 0.4], pct)).toBe(
      'lowest in 12 weeks (0.4 to 0.5)',
    );
    expect(versusIcb(0.9, 0.9)).toBe('level with the ICB (90.0%)');
    expect(versusIcb(0.931, 0.9)).toBe('3.1 points above the ICB (90.0%)');
    expect(versusIcb(null, 0.9)).toBeUndefined();
  });

  it('calls a fall in agency spend and share better, and a change that rounds to nothing no change', () => {
    const [spend, share] = agencyKpis(weeks, icbWeek);
    // 10 agency shifts x £400 = £4,000, from £0 the week before.
    expect(spend?.value).toBe('£4,000');
    expect(spend?.cue?.word).toBe('Worse');
    expect(spend?.cue?.direction).toBe('up');
    // Share: 400,000 / (400,000 + 78 x 24,000 = 2,272,000) = 17.61%; ICB 400,000 / (400,000 +
    // 176 x 24,000 = 4,624,000) = 8.65%: 17.61 - 8.65 = 9.0 points above.
    expect(share?.value).toBe('17.6%');
    expect(share?.context).toEqual(['9.0 points above the ICB (8.7%)']);
    expect(changeCue(100, 150, { lowerIsBetter: true, step: 1, against: 'x' })?.word).toBe(
      'Better',
    );
    expect(changeCue(0.9004, 0.9, { lowerIsBetter: false, step: 0.001, against: 'x' })?.tone).toBe(
      'neutral',
    );
    expect(
      changeCue(null, 0.9, { lowerIsBetter: false, step: 0.001, against: 'x' }),
    ).toBeUndefined();
  });

  it('counts open shifts ahead, all filled when none', () => {
    const kpi = openKpi(open);
    expect(kpi.value).toBe('7');
    expect(kpi.change).toBe('26 h still to fill');
    expect(kpi.context).toEqual(['this week 6, next week 1']);
    expect(kpi.cue?.word).toBe('To fill');
    const none = { shifts: 0, hours: 0 };
    expect(openKpi({ total: none, thisWeek: none, nextWeek: none }).cue?.word).toBe('All filled');
  });

  it('says the answer in two sentences', () => {
    expect(summarySentences({ name: 'Network 8', weeks, icbWeek, open })).toEqual([
      'In the week of 23 Nov 2026, Network 8 filled 88.0% of its shifts (88 of 100): down 2.0 points on the week before, 5.0 points below the ICB, lowest in 4 weeks.',
      '7 shifts are still open in the next two weeks (26 h). Agency spend was £4,000, 17.6% of spend.',
    ]);
    expect(
      summarySentences({ name: 'N', weeks: [cover('2026-11-23', 0, 0)], icbWeek: undefined, open }),
    ).toEqual([
      'In the week of 23 Nov 2026, N needed no shifts.',
      '7 shifts are still open in the next two weeks (26 h).',
    ]);
    expect(summarySentences({ name: 'N', weeks: [], icbWeek: undefined, open })[0]).toBe(
      'There is no complete week of data for N yet.',
    );
  });

  it('renders the cue as a word in an NHS tag with hidden text, and adds extra tiles last', () => {
    const html = summaryBand({
      name: 'N',
      weeks,
      icbWeek,
      open,
      extra: [
        {
          label: 'Budget',
          value: '£20,000 over',
          change: 'projected',
          raw: 2_000_000,
          cue: { tone: 'bad', word: 'Over budget' },
        },
      ],
    });
    expect(html).toContain(
      '<strong class="nhsuk-tag nhsuk-tag--red tile-cue"><span aria-hidden="true">▼ </span>Worse<span class="nhsuk-u-visually-hidden"> than the previous week</span></strong>',
    );
    expect(html.match(/<li class="tile">/g)).toHaveLength(5);
    expect(html.lastIndexOf('Over budget')).toBeGreaterThan(html.indexOf('Agency share of spend'));
  });
});
