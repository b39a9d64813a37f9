import { describe, expect, it } from 'vitest';
import { completeWeeksOnly } from '../../../src/site/complete-weeks.js';
import { siteMetrics } from '../../fixtures/site/site-metrics.js';

describe('completeWeeksOnly', () => {
  it('drops weekly rows after the last complete week and keeps open shifts and data quality whole', () => {
    const metrics = siteMetrics();
    // Fixture weeks 2, 9 and 16 Nov: with 9 Nov the last complete one, 16 Nov goes.
    const cut = completeWeeksOnly(metrics, '2026-11-09');
    expect([...new Set(cut.networkWeek.map((r) => r.week_start))]).toEqual([
      '2026-11-02',
      '2026-11-09',
    ]);
    expect(cut.icbWeek).toHaveLength(2);
    expect(cut.utilisation).toHaveLength(0); // all in the week of 16 Nov
    expect(cut.ytd.map((r) => r.week_start)).toEqual(['2026-11-02', '2026-11-09']);
    expect(cut.openShifts).toEqual(metrics.openShifts);
    expect(cut.dataQuality).toEqual(metrics.dataQuality);
    expect(metrics.networkWeek).toHaveLength(6); // the input is not changed
  });
});
