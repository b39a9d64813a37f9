import { describe, expect, it } from 'vitest';
import { readJsonRows } from '../../../src/ingest/read-json.js';
import { numberText } from '../../../src/ingest/text-rows.js';

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
