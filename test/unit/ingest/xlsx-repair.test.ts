import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isoCellText, repairSheetXml, repairWorkbook } from '../../../src/ingest/xlsx-repair.js';

describe('isoCellText', () => {
  it('writes an ISO date cell as read-xlsx.ts writes a date cell', () => {
    expect(
      [
        '2026-11-10T00:00:00',
        '2026-11-10',
        '1899-12-30T08:30:00',
        '1899-12-31T08:30',
        '1904-01-01T17:00:00',
        '09:00:00',
        '12:30',
        '2026-10-20T10:00:00.000Z',
        '2026-10-20T10:00:00+01:00',
        'not a date',
      ].map(isoCellText),
    ).toEqual([
      '2026-11-10',
      '2026-11-10',
      '08:30:00',
      '08:30:00',
      '17:00:00',
      '09:00:00',
      '12:30:00',
      '2026-10-20 10:00:00',
      '2026-10-20 10:00:00+01:00',
      undefined,
    ]);
  });
});

describe('repairSheetXml', () => {
  it('gives rows and cells their references in order, and ISO date cells their text', () => {
    const xml =
      '<sheetData><row><c t="s"><v>0</v></c><c/><c t="d"><v>2026-11-10T00:00:00</v></c></row>' +
      '<row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row><row/></sheetData>';
    expect(repairSheetXml(xml)).toEqual({
      xml:
        '<sheetData><row r="1"><c t="s" r="A1"><v>0</v></c><c r="B1"/><c t="inlineStr" r="C1"><is><t>2026-11-10</t></is></c></row>' +
        '<row r="5"><c r="C5"><v>1</v></c><c r="D5"><v>2</v></c></row><row r="6"/></sheetData>',
      isoDateCells: 1,
      references: 6,
      emptyStrings: 0,
    });
  });

  it('makes formulas saving an empty string empty cells, and leaves the others', () => {
    const xml =
      '<row r="2"><c r="A2" s="3" t="str"><f>IF(1,"",0)</f><v></v></c><c r="B2" t="str"><f t="shared" si="0"/><v/></c>' +
      '<c r="C2"><f>4*95</f><v></v></c><c r="D2" t="str"><f>"x"</f></c><c r="E2"><f>0*1</f><v>0</v></c></row>';
    expect(repairSheetXml(xml)).toEqual({
      xml:
        '<row r="2"><c r="A2" s="3"/><c r="B2"/>' +
        '<c r="C2"><f>4*95</f><v></v></c><c r="D2" t="str"><f>"x"</f></c><c r="E2"><f>0*1</f><v>0</v></c></row>',
      isoDateCells: 0,
      references: 0,
      emptyStrings: 2,
    });
  });

  it('hands a workbook that needs neither on byte for byte', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Rota').addRow(['shift_id', new Date(Date.UTC(2026, 10, 10))]);
    const body = new Uint8Array(await book.xlsx.writeBuffer());
    expect(repairWorkbook(body).body).toBe(body);
  });
});
