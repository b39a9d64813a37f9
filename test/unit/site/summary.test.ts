import { describe, expect, it } from 'vitest';
import { pounds, type SummaryWeek, summarySentences } from '../../../src/site/summary.js';

const week = (overrides: Partial<SummaryWeek> = {}): SummaryWeek => ({
  fill_rate_shifts: 0.871,
  unfilled_hours: 12.5,
  demand_shifts: 100,
  agency_spend_pence: 1_234_000,
  agency_share_of_spend: 0.25,
  temporary_staffing_share: 0.3,
  ...overrides,
});

describe('summarySentences', () => {
  it('describes the week against the one before', () => {
    // 0.871 - 0.913 = -0.042 -> "fell 4.2 points"; agency 1,234,000p vs 1,045,763p:
    // (12,340 - 10,457.63) / 10,457.63 = +18.0% -> "rose 18%".
    const previous = week({ fill_rate_shifts: 0.913, agency_spend_pence: 1_045_763 });
    expect(summarySentences(week(), previous)).toEqual([
      'Fill rate fell 4.2 points to 87.1%.',
      '12.5 hours went unfilled.',
      'Agency spend rose 18% to £12,340 (25.0% of spend).',
      'Bank, locum and agency staff worked 30.0% of filled hours.',
    ]);
  });

  it('says what it cannot compare, and never shows a missing figure as 0', () => {
    expect(
      summarySentences(
        week({
          fill_rate_shifts: null,
          unfilled_hours: 1,
          agency_spend_pence: null,
          agency_share_of_spend: null,
          temporary_staffing_share: null,
        }),
      ),
    ).toEqual([
      'Fill rate: no data.',
      '1 hour went unfilled.',
      'Agency spend: no data (no agency shift had a cost).',
    ]);
    // No previous week: the figure alone.
    expect(summarySentences(week())[0]).toBe('Fill rate was 87.1%.');
    expect(summarySentences(week())[2]).toBe('Agency spend was £12,340 (25.0% of spend).');
  });

  it('handles no change, a rise from nothing, full cover and no demand', () => {
    const previous = week({ agency_spend_pence: 0 });
    const sentences = summarySentences(week({ unfilled_hours: 0 }), previous);
    expect(sentences.slice(0, 3)).toEqual([
      'Fill rate held at 87.1%.',
      'Every shift needed was filled.',
      'Agency spend was £12,340, from £0 (25.0% of spend).',
    ]);
    expect(summarySentences(week({ demand_shifts: 0 }))).toEqual([
      'No shifts were needed this week (no filled or unfilled shifts), so there is no fill rate.',
    ]);
  });

  it('writes pounds rounded to the pound with separators', () => {
    expect(pounds(1_234_050)).toBe('£12,341');
    expect(pounds(49)).toBe('£0');
    expect(pounds(0)).toBe('£0');
  });
});
