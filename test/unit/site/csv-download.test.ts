import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';
import { csvDownload, downloadCell } from '../../../src/site/csv-download.js';

describe('csvDownload', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(downloadCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(downloadCell('+44 20')).toBe("'+44 20");
    expect(downloadCell('-1+1')).toBe("'-1+1");
    expect(downloadCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(downloadCell('\t=1')).toBe("'\t=1");
    expect(downloadCell('\r=1')).toBe(`"'\r=1"`);
    // A separator then a formula start: a cell of its own where `;` is the list separator.
    expect(downloadCell('X;=1+1')).toBe("'X;=1+1");
    expect(downloadCell('X,=1+1')).toBe(`"'X,=1+1"`);
    expect(downloadCell('X; +1')).toBe("'X; +1");
    expect(downloadCell('X;@SUM(A1)')).toBe("'X;@SUM(A1)");
    // Otherwise text stays as it is; numbers stay numbers, a negative one included.
    expect(downloadCell('A=B')).toBe('A=B');
    expect(downloadCell('Smith; Jones')).toBe('Smith; Jones');
    expect(downloadCell(-4.2)).toBe('-4.2');
    expect(downloadCell(null)).toBe('');
    expect(downloadCell(Number.NaN)).toBe('');
  });

  it('matches the golden file for a chart download', async () => {
    const csv = csvDownload(
      [
        { field: 'practice', title: 'Practice' },
        { field: 'week_start', title: 'Week starting' },
        { field: 'fill_rate', title: 'Fill rate' },
        { field: 'change', title: 'Change (points)' },
        { field: 'spend', title: 'Agency spend (£)' },
      ],
      [
        {
          practice: 'Bromley-by-Bow Health',
          week_start: '2026-11-16',
          fill_rate: 0.871,
          change: -4.2,
          spend: 12340,
        },
        {
          practice: '=cmd|"/c calc"!A1',
          week_start: '2026-11-16',
          fill_rate: null,
          change: null,
          spend: 0,
        },
        {
          practice: 'Mile End;=1+1',
          week_start: '2026-11-16',
          fill_rate: 0.5,
          change: 1.5,
          spend: 100,
        },
        {
          practice: 'Smith, Jones & "Partners"',
          week_start: '2026-11-16',
          fill_rate: 1,
          change: 0,
          spend: null,
        },
      ],
    );
    const golden = await readFile(
      path.join(packageRoot, 'test/fixtures/site/download.golden.csv'),
      'utf8',
    );
    expect(csv).toBe(golden);
  });
});
