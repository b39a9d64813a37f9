import { describe, expect, it } from 'vitest';
import { rejectMessage } from '../../../src/ingest/messages.js';

const facts = (label: string, value: string | null, detail: string | null = null) => ({
  label,
  value,
  detail,
});

describe('reject messages', () => {
  it("name the export's own column and the value found there", () => {
    expect(rejectMessage('bad_date', 14, facts('date', '2026-02-30'))).toBe(
      'Row 14: date "2026-02-30" is not a real date (use YYYY-MM-DD or DD/MM/YYYY).',
    );
    expect(rejectMessage('unknown_practice', 3, facts('practice_code', 'F99999'))).toBe(
      'Row 3: practice_code "F99999" is not a known GP practice ODS code.',
    );
    expect(rejectMessage('unknown_status', 2, facts('Status', 'maybe'))).toBe(
      'Row 2: Status "maybe" is not one of filled, unfilled, cancelled.',
    );
    expect(rejectMessage('duplicate_shift_id', 40, facts('Id', 'S-1', '2'))).toBe(
      'Row 40: Id "S-1" already appears on row 2 of this file.',
    );
    expect(
      rejectMessage(
        'unmapped_value',
        7,
        facts('location', '99', '"locations" (rotacloud-locations.csv)'),
      ),
    ).toBe(
      'Row 7: location "99" is not in the lookup table "locations" (rotacloud-locations.csv).',
    );
    expect(rejectMessage('missing_person', 8, facts('Employee', null))).toBe(
      'Row 8: the shift is filled but Employee is empty.',
    );
  });

  it('list every empty required column at once', () => {
    expect(rejectMessage('missing_field', 5, facts('', null, 'shift_id'))).toBe(
      'Row 5: shift_id is empty.',
    );
    expect(rejectMessage('missing_field', 5, facts('', null, 'role, date'))).toBe(
      'Row 5: role, date are empty.',
    );
  });

  it('say how long a shift is when its length is the problem', () => {
    expect(rejectMessage('non_positive_hours', 9, facts('break_minutes', '90', '-0.5'))).toBe(
      'Row 9: the shift leaves -0.5 hours of work once its break (break_minutes "90") is taken off.',
    );
    // With no break, the times themselves: an end before the start said as such (it read as if
    // a break had been taken off), and a zero-length shift.
    expect(rejectMessage('non_positive_hours', 9, facts('', null, '-15'))).toBe(
      'Row 9: the shift ends before it starts (-15 hours); check its times and end date.',
    );
    expect(rejectMessage('non_positive_hours', 9, facts('', null, '0'))).toBe(
      'Row 9: the shift ends when it starts (0 hours).',
    );
    expect(rejectMessage('too_long', 9, facts('', null, '30'))).toBe(
      'Row 9: the shift lasts 30 hours, longer than 24.',
    );
    expect(rejectMessage('too_long', 2, facts('available_hours', null, '200'))).toBe(
      'Row 2: available_hours "200" is more than the 168 hours in a week.',
    );
  });

  it('say how the mapping reads a timestamp it declares a format for', () => {
    expect(
      rejectMessage(
        'bad_timestamp',
        4,
        facts(
          'start_time',
          '1794299400000',
          'seconds since 1970 (Unix time), e.g. 1794816000, not milliseconds',
        ),
      ),
    ).toBe(
      'Row 4: start_time "1794299400000" is not a date and time as the mapping reads it: seconds since 1970 (Unix time), e.g. 1794816000, not milliseconds.',
    );
    expect(rejectMessage('bad_timestamp', 4, facts('published_at', 'yesterday', null))).toBe(
      'Row 4: published_at "yesterday" is not a date and time (use YYYY-MM-DD HH:MM).',
    );
  });

  it('say what a number or date should have been', () => {
    expect(
      rejectMessage('out_of_range', 4, facts('Cost', '1e20', '£0 to £100,000 per shift')),
    ).toBe('Row 4: Cost "1e20" is out of range (allowed: £0 to £100,000 per shift).');
    expect(rejectMessage('ambiguous_number', 4, facts('Cost', '12,34', '.'))).toBe(
      'Row 4: Cost "12,34" is ambiguous: write 1,234.50 (or set "decimal": "," for this field in the mapping if the export writes 1.234,50).',
    );
    expect(rejectMessage('ambiguous_number', 4, facts('Cost', '1,234.50', ','))).toBe(
      `Row 4: Cost "1,234.50" does not fit the mapping's decimal comma (write 1.234,50).`,
    );
    expect(
      rejectMessage(
        'date_out_of_range',
        6,
        facts('date', '10/11/2062', '2015-01-01 to 2027-12-21'),
      ),
    ).toBe(
      'Row 6: date "10/11/2062" is outside the plausible dates 2015-01-01 to 2027-12-21 (check the year).',
    );
  });

  it('still says something for a reason it does not know', () => {
    expect(rejectMessage('mystery', 1, facts('', null))).toBe('Row 1: rejected (mystery).');
  });
});
