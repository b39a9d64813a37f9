import { describe, expect, it } from 'vitest';
import {
  formatHours,
  formatHoursChange,
  formatPercent,
  formatPointsChange,
} from '../../../src/site/format.js';
import { publishedNumber } from '../../../src/site/published-number.js';

describe('publishedNumber', () => {
  it('takes the last-bit noise of a parallel sum off a fraction', () => {
    // The two values two runs of the same data published for one week (issue 21's note).
    expect(publishedNumber(460.20000000000005)).toBe(460.2);
    expect(publishedNumber(460.2)).toBe(460.2);
    expect(publishedNumber(0.1 + 0.2)).toBe(0.3);
    expect(publishedNumber(-(0.1 + 0.2))).toBe(-0.3);
  });

  it('keeps nine significant digits of any fraction, large or small', () => {
    expect(publishedNumber(2 / 3)).toBe(0.666666667);
    expect(publishedNumber(75.33333333333333)).toBe(75.3333333);
    expect(publishedNumber(1234567.123456)).toBe(1234567.12);
    expect(publishedNumber(123456789.5)).toBe(123456790);
    expect(publishedNumber(0.000123456789123)).toBe(0.000123456789);
  });

  it('leaves integers and non-finite numbers as they are', () => {
    expect(publishedNumber(35186)).toBe(35186);
    expect(publishedNumber(-4)).toBe(-4);
    expect(publishedNumber(0)).toBe(0);
    expect(publishedNumber(Number.NaN)).toBeNaN();
    expect(publishedNumber(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('figures on a rounding edge', () => {
  it('read the same from sums that differ only in their last bit', () => {
    // 55 h 27 min is 55.45 h; a sum of thirds of an hour on several threads can land either side.
    expect(formatHours(55.449999999999996)).toBe(formatHours(55.45));
    expect(formatHours(55.45)).toBe('55.5 h');
    expect(formatPercent(0.9544999999999999)).toBe(formatPercent(0.9545));
    expect(formatPointsChange(0.9545, 0.95)).toBe(formatPointsChange(0.9544999999999999, 0.95));
    expect(formatHoursChange(55.449999999999996, 50)).toBe(formatHoursChange(55.45, 50));
  });
});
