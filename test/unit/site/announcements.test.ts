import { describe, expect, it } from 'vitest';
import { weeklyAnnouncements } from '../../../src/site/announcements.js';
import { reference, siteMetrics } from '../../fixtures/site/site-metrics.js';

describe('weeklyAnnouncements', () => {
  it('writes one message per network with its summary and the report link', () => {
    const messages = weeklyAnnouncements({
      networkWeek: siteMetrics().networkWeek,
      reference,
      weekStart: '2026-11-16',
      siteUrl: 'https://d1234.cloudfront.net',
    });
    expect(messages.map((m) => m.networkCode)).toEqual(['U00001', 'U00002']);
    const hill = messages[1];
    expect(hill?.subject).toBe('Rotascope weekly report 2026-W47: Hill Network');
    expect(hill?.icbCode).toBe('QXX');
    expect(hill?.message).toBe(
      [
        'Hill Network (U00002), week 2026-W47: 16 Nov 2026 to 22 Nov 2026.',
        '',
        'Fill rate fell 15.0 points to 45.0%.',
        '220 hours went unfilled.',
        'Agency spend was £12,000, from £0 (76.9% of spend).',
        'Bank, locum and agency staff worked 66.7% of filled hours.',
        '',
        'Report: https://d1234.cloudfront.net/reports/2026-W47/U00002/index.html',
      ].join('\n'),
    );
  });

  it('keeps subjects ASCII and under 100 characters, and says when a week had nothing', () => {
    const [first] = weeklyAnnouncements({
      networkWeek: siteMetrics().networkWeek,
      reference,
      weekStart: '2026-11-23',
      siteUrl: undefined,
    });
    expect(first?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(first?.message).toContain('No shifts were reported for this week');
    expect(first?.message).toContain('Report: reports/2026-W48/U00001/index.html');
  });
});
