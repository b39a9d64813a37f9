import { describe, expect, it } from 'vitest';
import {
  addDays,
  financialYearStart,
  isoWeekday,
  isoWeekLabel,
  isoWeekMonday,
  lastCompleteWeekStart,
  londonDate,
  weekStart,
} from '../../src/calendar.js';

describe('calendar', () => {
  it('finds the Monday of an ISO week, Sunday belonging to the week before', () => {
    expect(weekStart('2026-11-16')).toBe('2026-11-16'); // Monday
    expect(weekStart('2026-11-22')).toBe('2026-11-16'); // Sunday
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(isoWeekday('2026-11-22')).toBe(6);
  });

  it('labels ISO weeks, including a week 53 that spills into January', () => {
    expect(isoWeekLabel('2026-11-16')).toBe('2026-W47');
    expect(isoWeekLabel('2026-01-01')).toBe('2026-W01'); // Thursday: week 1 of 2026
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53'); // Friday after a Thursday-start year
    expect(isoWeekLabel('2025-12-29')).toBe('2026-W01');
  });

  it('adds days across month, year and clock-change boundaries', () => {
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26'); // clocks go back 25 Oct
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2027-01-04', -7)).toBe('2026-12-28');
  });

  it('rejects dates that do not exist', () => {
    expect(() => weekStart('2026-02-30')).toThrow('Not a calendar date');
    expect(() => weekStart('16/11/2026')).toThrow('Not a calendar date');
  });

  it('takes the local London date, which differs from UTC in summer just after midnight', () => {
    // 23:30 UTC on Sunday 2 Aug 2026 is 00:30 BST on Monday 3 Aug.
    expect(londonDate(new Date('2026-08-02T23:30:00Z'))).toBe('2026-08-03');
    expect(londonDate(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-06');
  });

  it('finds the last complete week in London time', () => {
    // Saturday 21 Nov 2026: the week of 16 Nov is not over, so the last complete week began 9 Nov.
    expect(lastCompleteWeekStart(new Date('2026-11-21T12:00:00Z'))).toBe('2026-11-09');
    // Monday 23 Nov 00:05 GMT: the week of 16 Nov has just ended.
    expect(lastCompleteWeekStart(new Date('2026-11-23T00:05:00Z'))).toBe('2026-11-16');
    // Sunday 2 Aug 23:30 UTC is already Monday in London.
    expect(lastCompleteWeekStart(new Date('2026-08-02T23:30:00Z'))).toBe('2026-07-27');
  });

  it('starts the NHS financial year on 1 April', () => {
    expect(financialYearStart('2026-03-31')).toBe('2025-04-01');
    expect(financialYearStart('2026-04-01')).toBe('2026-04-01');
    expect(financialYearStart('2027-01-15')).toBe('2026-04-01');
  });
});

describe('isoWeekMonday', () => {
  it('is the Monday of the ISO week, the inverse of isoWeekLabel', () => {
    expect(isoWeekMonday('2026-W46')).toBe('2026-11-09');
    expect(isoWeekMonday('2026-W01')).toBe('2025-12-29'); // week 1 holds the year's first Thursday
    expect(isoWeekMonday('2026-W53')).toBe('2026-12-28'); // 2026 has 53 ISO weeks
    expect(isoWeekLabel(isoWeekMonday('2027-W10'))).toBe('2027-W10');
  });

  it('rejects text that is not an ISO week, and weeks that do not exist', () => {
    expect(() => isoWeekMonday('2026-46')).toThrow('Not an ISO week');
    expect(() => isoWeekMonday('2025-W53')).toThrow('No such ISO week: 2025-W53');
    expect(() => isoWeekMonday('2026-W00')).toThrow('No such ISO week');
  });
});
