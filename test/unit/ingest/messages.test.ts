import { describe, expect, it } from 'vitest';
import { rejectMessage } from '../../../src/ingest/messages.js';

describe('reject messages', () => {
  it('tells a coordinator what is wrong with the row, in their terms', () => {
    expect(rejectMessage('bad_date', 14, { date: '2026-02-30' }, null)).toBe(
      'Row 14: date "2026-02-30" is not a real date (use YYYY-MM-DD or DD/MM/YYYY).',
    );
    expect(rejectMessage('unknown_practice', 3, { practice_code: 'F99999' }, null)).toBe(
      'Row 3: practice "F99999" is not a known GP practice ODS code.',
    );
    expect(
      rejectMessage(
        'non_positive_hours',
        9,
        { start_time: '09:00', end_time: '10:00', break_minutes: '90' },
        '-0.5',
      ),
    ).toBe('Row 9: the shift 09:00-10:00 with a 90-minute break leaves -0.5 hours of work.');
    expect(rejectMessage('duplicate_shift_id', 40, { shift_id: 'S-1' }, '2')).toBe(
      'Row 40: shift_id "S-1" already appears on row 2 of this file.',
    );
    expect(rejectMessage('missing_field', 5, {}, 'shift_id')).toBe('Row 5: shift_id is empty.');
    expect(rejectMessage('missing_field', 5, {}, 'role, date')).toBe(
      'Row 5: role, date are empty.',
    );
    expect(rejectMessage('unknown_status', 2, { status: 'maybe' }, null)).toBe(
      'Row 2: status "maybe" is not one of filled, unfilled, cancelled.',
    );
  });

  it('still says something for a reason it does not know', () => {
    expect(rejectMessage('mystery', 1, {}, null)).toBe('Row 1: rejected (mystery).');
  });
});
