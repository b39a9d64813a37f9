import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import {
  DEFAULT_EXTENDED_HOURS,
  extendedHoursSql,
  parseExtendedHours,
} from '../../../src/ingest/session-rule.js';

describe('extended-hours rule', () => {
  it('reads the default: Mon-Fri 18:30-20:00 and Saturday 09:00-17:00', () => {
    expect(parseExtendedHours(DEFAULT_EXTENDED_HOURS)).toEqual([
      { days: [1, 2, 3, 4, 5], from: '18:30', to: '20:00' },
      { days: [6], from: '09:00', to: '17:00' },
    ]);
  });

  it('takes other windows, any case, and none at all', () => {
    expect(parseExtendedHours('Sat-Sun 08:00-12:00;  WED 18:00-21:00')).toEqual([
      { days: [6, 7], from: '08:00', to: '12:00' },
      { days: [3], from: '18:00', to: '21:00' },
    ]);
    expect(parseExtendedHours('')).toEqual([]);
  });

  it.each([
    'weekdays 18:30-20:00',
    'fri-mon 18:30-20:00',
    'mon 20:00-18:30',
    'mon 18:30-24:00',
    'mon 6pm-8pm',
  ])('refuses "%s" with a message showing the expected form', (text) => {
    expect(() => parseExtendedHours(text)).toThrow(ConfigError);
    expect(() => parseExtendedHours(text)).toThrow(/not like "mon-fri 18:30-20:00"/);
  });

  it('becomes one SQL condition per window (start inclusive, end exclusive)', () => {
    expect(extendedHoursSql(parseExtendedHours('sat 09:00-17:00'), 's')).toBe(
      "(isodow(s) in (6) and cast(s as time) >= time '09:00' and cast(s as time) < time '17:00')",
    );
    expect(extendedHoursSql([], 's')).toBe('false');
  });
});
