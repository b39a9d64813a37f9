import { describe, expect, it } from 'vitest';
import { columnList } from '../../../src/ingest/column-list.js';

const KNOWN = ['Id', 'Date', 'Start', 'End', 'Break (min)', 'Cost', 'Employee'];

describe('columnList', () => {
  it('shows the columns the mapping reads and the ones near them, so a typo can be fixed', () => {
    expect(columnList(['Id', 'Date', 'Break (mins)', 'Cost (GBP)', 'employee'], KNOWN)).toBe(
      'Id, Date, Break (mins), Cost (GBP), employee',
    );
  });

  it('counts, without showing, names that are nothing like a column the mapping reads', () => {
    // A file with no header line: its first row of data is where the names should be.
    expect(
      columnList(['E1001', 'Dr Jane Smith', '09/11/2026', '08:00', 'GMC-7000024'], KNOWN),
    ).toBe(
      '5 columns not named here (none like a column the mapping reads: if its first line is a row of data, the header line is missing)',
    );
    expect(columnList(['Id', 'Dr Jane Smith', 'Date'], KNOWN)).toBe(
      'Id, Date and 1 other column not named here (nothing like a column the mapping reads)',
    );
    expect(columnList(['E1001', 'Dr Jane Smith', 'Date'], KNOWN)).toBe(
      'Date and 2 other columns not named here (nothing like a column the mapping reads: if its first line is a row of data, the header line is missing)',
    );
    // Short names are shown only when they are the mapping's own: E1 is not Id.
    expect(columnList(['E1', 'Id'], KNOWN)).toBe(
      'Id and 1 other column not named here (nothing like a column the mapping reads)',
    );
  });

  it('quotes a name with a comma or quote, and says how many more past sixty', () => {
    expect(columnList(['Cost, GBP'], KNOWN)).toBe('"Cost, GBP"');
    expect(
      columnList(
        Array.from({ length: 62 }, (_, i) => `Cost ${i}`),
        KNOWN,
      ),
    ).toMatch(/^Cost 0, .*Cost 59 and 2 more$/);
    expect(columnList([], KNOWN)).toBe('(no columns)');
  });

  it('writes a character that prints as nothing as its code point', () => {
    expect(columnList(['\u200bstatus', 'shift\u0000_id'], ['status', 'shift_id'])).toBe(
      '<U+200B>status, shift<U+0000>_id',
    );
  });
});
