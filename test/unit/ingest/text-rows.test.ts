import { describe, expect, it } from 'vitest';
import { readJsonRows } from '../../../src/ingest/read-json.js';
import { cleanColumnName, numberText, uniqueColumnNames } from '../../../src/ingest/text-rows.js';

describe('numberText', () => {
  it('writes a typed number so that it reads one way only', () => {
    // Three decimals after one to three digits read as a thousands separator in text.
    expect([380.005, 12.345, -7.125, 0.125].map(numberText)).toEqual([
      '380.0050',
      '12.3450',
      '-7.1250',
      '0.1250',
    ]);
    // Anything else as JavaScript writes it.
    expect([380, 380.5, 1380.567, 7.12345, 1794299400].map(numberText)).toEqual([
      '380',
      '380.5',
      '1380.567',
      '7.12345',
      '1794299400',
    ]);
  });

  it('is how JSON numbers are read', () => {
    const { rows } = readJsonRows(new TextEncoder().encode('[{"cost": 380.005}]'), undefined);
    expect(rows).toEqual([['1', '380.0050']]);
  });
});

describe('cleanColumnName', () => {
  it('drops what prints as nothing and makes white space one space', () => {
    expect(
      [
        '\u200bcost_gbp',
        'status\u200b',
        'published\u2060_at',
        'break_\u00adminutes',
        '\ufeffshift_id',
        'Total\u00a0Cost',
        ' Total \t Cost ',
        'role\u0007',
        'cafe\u0301',
      ].map(cleanColumnName),
    ).toEqual([
      'cost_gbp',
      'status',
      'published_at',
      'break_minutes',
      'shift_id',
      'Total Cost',
      'Total Cost',
      'role',
      'caf\u00e9',
    ]);
  });

  it('names a column that is another one once cleaned as its repeat', () => {
    expect(uniqueColumnNames(['cost_gbp', '\u200bCost_GBP', '\u200b'])).toEqual([
      'cost_gbp',
      'Cost_GBP_2',
      'column_3',
    ]);
  });
});
