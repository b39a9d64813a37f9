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
 * - **Formulas whose saved result is 0, FALSE or an empty string** (`<f>K2*0</f><v>0</v>`, a
 *   `t="b"` formula saving `0`, a `t="str"` one saving `<v></v>`, as Excel writes
 *   `=IF(N5="unfilled","",...)`): exceljs keeps a formula's result only when it is truthy, so
 *   these read as formulas with no saved result and their rows were rejected as malformed (an
 *   audit: a break_minutes of `=0*1` lost 3 of 4 rows). Each becomes the plain cell of its saved
 *   value (0, FALSE, or an empty cell); the formula is not needed to read it. A formula with no
 *   `<v>`, or an empty `<v>` in a cell that is not a string (openpyxl's unsaved formula), is left
 *   as it is: its value is not known.
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
  /** Formula cells whose saved result is 0, FALSE or "", turned into that plain value. */
  falsyResults: number;
}

const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
/** An opening row or cell tag without an `r` attribute. */
const UNREFERENCED = /<(?:\w+:)?(?:row|c)(?=[\s/>])(?![^>]*\sr\s*=)[^>]*>/;
const ISO_DATE_CELL = /<(?:\w+:)?c\s[^>]*\bt\s*=\s*["']d["']/;
/**
 * A formula (closed, or a shared one's `<f .../>`) then a saved value that may be 0 or empty
 * (falsyResult decides per cell).
 */
const FALSY_FORMULA =
  /(?:<\/(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*\/>)\s*<(?:\w+:)?v(?:\s*\/>|>[\s0.+\-eE]*<\/(?:\w+:)?v>)/;

export function repairWorkbook(body: Uint8Array): RepairedWorkbook {
  const entries = zipEntries(body);
  const repaired: RepairedWorkbook = { body, isoDateCells: 0, references: 0, falsyResults: 0 };
  if (!entries) return repaired;
  const rewritten = new Map<DirectoryEntry, Buffer>();
  for (const entry of entries) {
    if (!WORKSHEET.test(entry.name)) continue;
    const xml = unpackEntry(body, entry)?.toString('utf8');
    if (
      xml === undefined ||
      !(ISO_DATE_CELL.test(xml) || UNREFERENCED.test(xml) || FALSY_FORMULA.test(xml))
    ) {
      continue;
    }
    const sheet = repairSheetXml(xml);
    if (sheet.isoDateCells + sheet.references + sheet.falsyResults === 0) continue;
    repaired.isoDateCells += sheet.isoDateCells;
    repaired.references += sheet.references;
    repaired.falsyResults += sheet.falsyResults;
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
 * saving 0, FALSE or "" as those plain values.
 */
export function repairSheetXml(xml: string): {
  xml: string;
  isoDateCells: number;
  references: number;
  falsyResults: number;
} {
  let isoDateCells = 0;
  let references = 0;
  let falsyResults = 0;
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
          const saved = inner === undefined ? undefined : falsyResult(a, inner);
          if (saved !== undefined) {
            falsyResults += 1;
            // An empty string's cell keeps its style but no type: an empty cell.
            if (saved === '') return `<${p}c${a.replace(TYPE_ATTR, '')}/>`;
            inner = `<${p}v>${saved}</${p}v>`;
          }
          return inner === undefined ? `<${p}c${a}/>` : `<${p}c${a}>${inner}</${p}c>`;
        },
      );
      return `<${prefix}row${rowAttrs}>${cells}</${prefix}row>`;
    },
  );
  return { xml: out, isoDateCells, references, falsyResults };
}

const TYPE_ATTR = /\s+t\s*=\s*["'][^"']*["']/;
const FORMULA = /<(?:\w+:)?f\b/;
const SAVED_VALUE = /<(?:\w+:)?v(?:\s*\/>|>([^<]*)<\/(?:\w+:)?v>)/;

/**
 * The saved value of a formula cell that exceljs would drop (its result falsy), as the plain
 * cell's `<v>` text ('' for an empty string: no value), or undefined for any other cell.
 */
function falsyResult(attrs: string, inner: string): string | undefined {
  if (!FORMULA.test(inner)) return undefined;
  const saved = SAVED_VALUE.exec(inner);
  if (!saved) return undefined;
  const value = (saved[1] ?? '').trim();
  const type = /\bt\s*=\s*["'](\w*)["']/.exec(attrs)?.[1] ?? 'n';
  if (type === 'str') return value === '' ? '' : undefined;
  if (type !== 'n' && type !== 'b') return undefined;
  // An empty <v> in a number cell is a formula never calculated (openpyxl writes them): unknown.
  return value !== '' && Number(value) === 0 ? value : undefined;
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
