/**
 * Three ways of writing a worksheet that the XLSX standard (ECMA-376) allows and exceljs does not
 * read, put into the form it reads before it opens the workbook:
 * - **ISO date cells** (`<c t="d"><v>2026-11-10T00:00:00</v></c>`: Excel's Strict Open XML, and
 *   openpyxl with `iso_dates`): exceljs took the number before the first dash, so every date read
 *   as the year 2026, every time as 1899 and the rows were rejected as out of range (an audit).
 *   Each becomes a text cell holding what read-xlsx.ts makes of a date cell: `YYYY-MM-DD`,
 *   `HH:MM:SS` for a time alone (on day 0 or 1, 1899-12-30/31 or 1904-01-01), else
 *   `YYYY-MM-DD HH:MM:SS` (an offset kept, `Z` dropped: Excel's times are wall-clock). A value that
 *   is not ISO stays the text it is, for the parsers to reject with their reason.
 * - **Rows and cells without a reference** (`r` is optional: a row is the one after the row
 *   before, a cell the column after the cell before, as the standard says): exceljs refused the
 *   workbook ("Invalid row number"). Each gets its reference.
 * - **Formulas saving an empty string** (`<c t="str"><f>IF(N5="unfilled","",4*95)</f><v></v>`,
 *   as Excel writes them): exceljs reads no result from an empty `<v>`, so the cell read as a
 *   formula with no saved result and its row was rejected as malformed (an audit). Each becomes an
 *   empty cell, which is what it shows. (A saved 0 or FALSE, which exceljs keeps only on the
 *   cell's `result`, is read there: read-xlsx.ts.) A formula with no `<v>`, or an empty `<v>` in a
 *   cell that is not a string (openpyxl's unsaved formula), is left as it is: its value is not
 *   known.
 * Only worksheets needing either are rewritten, and then the archive is written again around them
 * (the other parts copied as stored); any other workbook is handed on byte for byte.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { type DirectoryEntry, storedEntry, unpackEntry, zipEntries } from './xlsx-container.js';

export interface RepairedWorkbook {
  body: Uint8Array;
  /** ISO date cells turned into text, and rows or cells given their reference. */
  isoDateCells: number;
  references: number;
  /** Formula cells saving an empty string, made empty cells. */
  emptyStrings: number;
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
/** An opening row or cell tag without an `r` attribute. */
const UNREFERENCED = /<(?:\w+:)?(?:row|c)(?=[\s/>])(?![^>]*\sr\s*=)[^>]*>/;
const ISO_DATE_CELL = /<(?:\w+:)?c\s[^>]*\bt\s*=\s*["']d["']/;
/**
 * A formula (closed, or a shared one's `<f .../>`) then an empty saved value (emptyString decides
 * per cell whether it is a string's).
 */
const EMPTY_RESULT =
  /(?:<\/(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*\/>)\s*<(?:\w+:)?v(?:\s*\/>|>\s*<\/(?:\w+:)?v>)/;

export function repairWorkbook(body: Uint8Array): RepairedWorkbook {
  const entries = zipEntries(body);
  const repaired: RepairedWorkbook = { body, isoDateCells: 0, references: 0, emptyStrings: 0 };
  if (!entries) return repaired;
  const rewritten = new Map<DirectoryEntry, Buffer>();
  for (const entry of entries) {
    if (!WORKSHEET.test(entry.name)) continue;
    const xml = unpackEntry(body, entry)?.toString('utf8');
    if (
      xml === undefined ||
      !(ISO_DATE_CELL.test(xml) || UNREFERENCED.test(xml) || EMPTY_RESULT.test(xml))
    ) {
      continue;
    }
    const sheet = repairSheetXml(xml);
    if (sheet.isoDateCells + sheet.references + sheet.emptyStrings === 0) continue;
    repaired.isoDateCells += sheet.isoDateCells;
    repaired.references += sheet.references;
    repaired.emptyStrings += sheet.emptyStrings;
    rewritten.set(entry, Buffer.from(sheet.xml, 'utf8'));
  }
  if (rewritten.size === 0) return repaired;
  const zipped = rezip(body, entries, rewritten);
  return zipped ? { ...repaired, body: zipped } : repaired;
}

const ROW = /<((?:\w+:)?)row\b([^>]*?)(\/>|>([\s\S]*?)<\/\1row>)/g;
const CELL = /<((?:\w+:)?)c\b([^>]*?)(\/>|>([\s\S]*?)<\/\1c>)/g;
const REF_ATTR = /\sr\s*=\s*["']([^"']*)["']/;

/**
 * A worksheet's XML with every row and cell referenced, ISO date cells as text and formulas
 * saving an empty string as empty cells.
 */
export function repairSheetXml(xml: string): {
  xml: string;
  isoDateCells: number;
  references: number;
  emptyStrings: number;
} {
  let isoDateCells = 0;
  let references = 0;
  let emptyStrings = 0;
  let rowNumber = 0;
  const out = xml.replace(
    ROW,
    (_row, prefix: string, attrs: string, end: string, body?: string) => {
      const given = REF_ATTR.exec(attrs)?.[1];
      rowNumber = given && /^\d+$/.test(given) ? Number(given) : rowNumber + 1;
      const rowAttrs = given ? attrs : `${attrs} r="${rowNumber}"`;
      if (!given) references += 1;
      if (end === '/>') return `<${prefix}row${rowAttrs}/>`;
      let column = 0;
      const cells = (body ?? '').replace(
        CELL,
        (_cell, p: string, cellAttrs: string, cellEnd: string, content?: string) => {
          const ref = REF_ATTR.exec(cellAttrs)?.[1];
          const at = ref ? columnOf(ref) : undefined;
          column = at ?? column + 1;
          let a = ref ? cellAttrs : `${cellAttrs} r="${columnLetters(column)}${rowNumber}"`;
          if (!ref) references += 1;
          let inner = cellEnd === '/>' ? undefined : (content ?? '');
          if (/\bt\s*=\s*["']d["']/.test(a)) {
            isoDateCells += 1;
            const value = /<(?:\w+:)?v>([^<]*)<\/(?:\w+:)?v>/.exec(inner ?? '')?.[1] ?? '';
            const text = isoCellText(value.trim()) ?? value;
            a = a.replace(/\bt\s*=\s*["']d["']/, 't="inlineStr"');
            inner = `<${p}is><${p}t>${text}</${p}t></${p}is>`;
          }
          if (inner !== undefined && emptyString(a, inner)) {
            emptyStrings += 1;
            // It keeps its style but no type: an empty cell.
            return `<${p}c${a.replace(TYPE_ATTR, '')}/>`;
          }
          return inner === undefined ? `<${p}c${a}/>` : `<${p}c${a}>${inner}</${p}c>`;
        },
      );
      return `<${prefix}row${rowAttrs}>${cells}</${prefix}row>`;
    },
  );
  return { xml: out, isoDateCells, references, emptyStrings };
}

const TYPE_ATTR = /\s+t\s*=\s*["'][^"']*["']/;
const FORMULA = /<(?:\w+:)?f\b/;
const SAVED_VALUE = /<(?:\w+:)?v(?:\s*\/>|>([^<]*)<\/(?:\w+:)?v>)/;

/**
 * Whether a cell is a string formula (`t="str"`) whose saved value is empty: an empty string.
 * An empty `<v>` in a number cell is a formula never calculated (openpyxl writes them): unknown.
 */
function emptyString(attrs: string, inner: string): boolean {
  const saved = SAVED_VALUE.exec(inner);
  return (
    saved !== null &&
    (saved[1] ?? '').trim() === '' &&
    FORMULA.test(inner) &&
    /\bt\s*=\s*["']str["']/.test(attrs)
  );
}

/** 1-based column of a cell reference (`AB12` -> 28), or undefined when it is not one. */
function columnOf(ref: string): number | undefined {
  const letters = /^\$?([A-Za-z]{1,3})\$?\d+$/.exec(ref.trim())?.[1];
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function columnLetters(column: number): string {
  let s = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  }
  return s;
}

const ISO =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const ISO_TIME = /^(\d{2}:\d{2})(?::(\d{2}))?(?:[.,]\d+)?$/;
/** Day 0 and 1 of the 1900 date system and day 0 of the 1904 one: a time alone. */
const TIME_ONLY_DATES = new Set(['1899-12-30', '1899-12-31', '1904-01-01']);

/** An ISO 8601 date cell's value as read-xlsx.ts writes a date cell, or undefined if not ISO. */
export function isoCellText(value: string): string | undefined {
  const time = ISO_TIME.exec(value);
  if (time) return `${time[1]}:${time[2] ?? '00'}`;
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [, date, hm, seconds, zone] = m;
  const clock = hm ? `${hm}:${seconds ?? '00'}` : '00:00:00';
  const offset = zone && zone.toUpperCase() !== 'Z' ? zone : '';
  if (TIME_ONLY_DATES.has(date as string) && !offset) return clock;
  if (clock === '00:00:00' && !offset) return date;
  return `${date} ${clock}${offset}`;
}

/**
 * The archive again: every entry in its order, a rewritten worksheet deflated anew, every other
 * part copied as stored with its CRC. Undefined (the workbook then goes to exceljs as it came)
 * when a part cannot be found where its directory says.
 */
function rezip(
  body: Uint8Array,
  entries: readonly DirectoryEntry[],
  rewritten: ReadonlyMap<DirectoryEntry, Buffer>,
): Uint8Array | undefined {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const fresh = rewritten.get(entry);
    const data = fresh ? deflateRawSync(fresh) : storedEntry(body, entry);
    if (!data) return undefined;
    const name = Buffer.from(entry.name, 'utf8');
    const fields = {
      method: fresh ? 8 : entry.method,
      crc: fresh ? crc32(fresh) : entry.crc,
      compressed: data.byteLength,
      size: fresh ? fresh.byteLength : entry.size,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names in UTF-8; sizes here, no data descriptor
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt32LE(fields.crc >>> 0, 14);
    local.writeUInt32LE(fields.compressed, 18);
    local.writeUInt32LE(fields.size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(fields.method, 10);
    central.writeUInt32LE(fields.crc >>> 0, 16);
    central.writeUInt32LE(fields.compressed, 20);
    central.writeUInt32LE(fields.size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    centrals.push(central, name);
    offset += local.byteLength + name.byteLength + data.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
