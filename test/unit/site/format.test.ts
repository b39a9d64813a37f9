import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDate,
  formatHours,
  formatInstant,
  formatPercent,
  formatPointsChange,
  formatWeekOf,
} from '../../../src/site/format.js';

describe('formatting', () => {
  it('shows missing values as "no data", never 0 or NaN', () => {
    for (const missing of [null, undefined, Number.NaN]) {
      expect(formatPercent(missing)).toBe('no data');
      expect(formatCount(missing)).toBe('no data');
      expect(formatHours(missing)).toBe('no data');
    }
    expect(formatDate(null)).toBe('no data');
    expect(formatInstant('nonsense')).toBe('no data');
  });

  it('formats percentages and their change in points', () => {
    expect(formatPercent(0.8712)).toBe('87.1%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPointsChange(0.871, 0.913)).toBe('down 4.2 points on previous week');
    expect(formatPointsChange(0.9, 0.85)).toBe('up 5.0 points on previous week');
    expect(formatPointsChange(0.9, 0.9)).toBe('no change on previous week');
    expect(formatPointsChange(0.9, null)).toBe('no data for the week before');
    expect(formatPointsChange(null, 0.9)).toBe('no comparison');
  });

  it('formats counts, hours, dates and UK local times', () => {
    expect(formatCount(12340)).toBe('12,340');
    expect(formatHours(24.5)).toBe('24.5 h');
    expect(formatDate('2026-11-16')).toBe('16 Nov 2026');
    // As the charts' %-d %b: no leading zero, "Sep" not en-GB's "Sept".
    expect(formatDate('2026-09-07')).toBe('7 Sep 2026');
    expect(formatWeekOf('2026-11-23')).toBe('week of 23 Nov 2026');
    expect(formatWeekOf(null)).toBe('no data');
    expect(formatInstant('2026-11-17T07:00:00.000Z')).toBe('17 Nov 2026, 07:00');
    expect(formatInstant('2026-08-17T06:00:00.000Z')).toBe('17 Aug 2026, 07:00'); // BST
  });
});
