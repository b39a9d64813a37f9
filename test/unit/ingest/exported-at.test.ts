import { describe, expect, it } from 'vitest';
import { exportedAtFromFileName, exportedAtFromTitle } from '../../../src/ingest/exported-at.js';
import { parseMapping } from '../../../src/ingest/mapping.js';

describe('exported_at from a title line', () => {
  it.each([
    // 29 Oct 2026 is GMT (the clocks went back on 25 Oct): 07:15 local = 07:15Z.
    [['Exported 29/10/2026 07:15'], 'Exported {dd/MM/yyyy HH:mm}', '2026-10-29T07:15:00.000Z'],
    // In a CSV title line with quotes and trailing commas, ignoring case and spaces.
    [
      ['"Rota","EXPORTED  29/10/2026 07:15",,'],
      'Exported {dd/MM/yyyy HH:mm}',
      '2026-10-29T07:15:00.000Z',
    ],
    // 6 Jul 2026 is BST: 09:05 local = 08:05Z. Month names and unpadded numbers.
    [
      ['Roster', 'Exported 6 Jul 2026 9:05'],
      'Exported {d MMM yyyy H:mm}',
      '2026-07-06T08:05:00.000Z',
    ],
    [
      ['Generated: 2026-11-16 07:00:30 by Deputy'],
      'Generated: {yyyy-MM-dd HH:mm:ss}',
      '2026-11-16T07:00:30.000Z',
    ],
  ])('%j with %s is %s', (lines, pattern, expected) => {
    expect(exportedAtFromTitle(lines, pattern)?.toISOString()).toBe(expected);
  });

  it.each([
    [['Exported 31/02/2026 07:15'], 'a date that does not exist'],
    [['Exported 29/10/2026 25:15'], 'hour 25'],
    [['Printed 29/10/2026 07:15'], 'other words'],
    [[], 'no title lines'],
  ])('finds nothing in %j (%s)', (lines) => {
    expect(exportedAtFromTitle(lines, 'Exported {dd/MM/yyyy HH:mm}')).toBeUndefined();
  });
});

describe('the exported_at mapping option', () => {
  const mapping = (exportedAt: unknown) =>
    JSON.stringify({
      name: 'x',
      description: 'x',
      shifts: {
        formats: { csv: {} },
        exported_at: exportedAt,
        fields: {
          shift_id: { column: 'id' },
          practice_code: { column: 'p' },
          role: { column: 'r' },
          status: { column: 's' },
          start_at: { column: 'a' },
          end_at: { column: 'b' },
        },
      },
    });

  it('takes a title_line, a json_path, or both', () => {
    expect(() =>
      parseMapping('x.json', mapping({ title_line: 'Exported {dd/MM/yyyy}' })),
    ).not.toThrow();
    expect(() =>
      parseMapping('x.json', mapping({ json_path: 'meta.at', format: 'unix_seconds' })),
    ).not.toThrow();
  });

  it('says what is wrong with a pattern without one {...}, or an empty option', () => {
    expect(() => parseMapping('x.json', mapping({ title_line: 'Exported dd/MM/yyyy' }))).toThrow(
      'shifts.exported_at.title_line: give one {...} date-time format',
    );
    expect(() => parseMapping('x.json', mapping({}))).toThrow(
      'give "title_line", "json_path" or both',
    );
  });
});

describe('exported_at from a file name', () => {
  it.each([
    // 16 Nov 2026 is GMT: 07:00 local = 07:00Z.
    ['shifts-2026-11-16T0700.json', '2026-11-16T07:00:00.000Z'],
    ['roster_20261116_070000.xlsx', '2026-11-16T07:00:00.000Z'],
    // A period of two dates has no time in it: the second date's year was read as 20:26:11.
    ['rota_2026-11-23_2026-11-29.csv', undefined],
    ['rota_2026-11-16.csv', undefined],
  ])('%s -> %s', (name, expected) => {
    expect(exportedAtFromFileName(name)?.toISOString()).toBe(expected);
  });
});
