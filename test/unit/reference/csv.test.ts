import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from '../../../src/reference/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    const text = 'A,B\r\n"BIRTLEY, OXFORD TERR",1\n"ST. PAUL\'S ""WAY""","two\nlines"\n';
    expect(parseCsv(text)).toEqual([
      ['A', 'B'],
      ['BIRTLEY, OXFORD TERR', '1'],
      ['ST. PAUL\'S "WAY"', 'two\nlines'],
    ]);
  });

  it('drops a byte-order mark and reads a last line without a newline', () => {
    expect(parseCsv('\uFEFFA,B\n1,2')).toEqual([
      ['A', 'B'],
      ['1', '2'],
    ]);
  });

  it('refuses a file that ends inside quotes', () => {
    expect(() => parseCsv('A\n"open')).toThrow('CSV ends inside a quoted field');
  });

  it('keys records by header and skips blank lines', () => {
    expect(parseCsvRecords(' A ,B\n1,2\n\n3\n')).toEqual([
      { A: '1', B: '2' },
      { A: '3', B: '' },
    ]);
  });
});
