import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkXlsxContainer } from '../../../src/ingest/xlsx-container.js';

async function workbook(rows: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Rota');
  for (let i = 0; i < rows; i += 1) sheet.addRow([`S-${i}`, 'F84698', 380]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('checkXlsxContainer', () => {
  it('passes a workbook whose parts unpack within the limit', async () => {
    const body = await workbook(10);
    expect(() => checkXlsxContainer(body)).not.toThrow();
  });

  it('refuses a workbook whose parts unpack past the limit, from the zip directory alone', async () => {
    // 2,000 rows unpack to well over 100 kB (the sheet XML); the limit here is 100 kB.
    const body = await workbook(2000);
    expect(() => checkXlsxContainer(body, 100 * 1024 * 1024)).not.toThrow();
    expect(() => checkXlsxContainer(body, 100 * 1024)).toThrow(
      /^its parts unpack to \d+ MB, over the 0 MB a workbook may hold to be read in memory; export the rota as CSV/,
    );
  });

  it('says what a file named .xlsx is when it is no workbook', () => {
    const text = new TextEncoder().encode('Id,Date\n401,09/11/2026\n');
    expect(() => checkXlsxContainer(text)).toThrow(
      'it is text, not an XLSX workbook (a CSV saved under an .xlsx name?); give it the name its content has (.csv)',
    );
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(() => checkXlsxContainer(ole)).toThrow(
      /^it is a password-protected workbook or an old binary \.xls file/,
    );
    expect(() => checkXlsxContainer(Uint8Array.from([0, 1, 2, 3, 0xff]))).toThrow(
      'it is not an XLSX workbook (an XLSX file is a zip archive, and this is none)',
    );
  });
});
