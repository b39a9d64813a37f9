/**
 * What an `.xlsx` file is before exceljs opens it: a workbook is a zip archive, so a file that is
 * not one gets a reason a coordinator can act on (a CSV saved under an .xlsx name, a
 * password-protected workbook or an old binary .xls, both OLE compound files) instead of the zip
 * library's message; and a workbook whose parts unpack to more than MAX_UNPACKED_BYTES is refused
 * before it is read. exceljs builds every cell as an object: a 21 MB workbook of 1M rows took
 * 4.7 GB and killed the run (and with it every other file) in a 2 GB Lambda. The sizes come from
 * the zip's central directory, so nothing is unpacked to check them.
 */
import { inflateRawSync } from 'node:zlib';
import { ExportShapeError } from './text-rows.js';

/**
 * The most a workbook's parts may unpack to (sheets, shared strings, styles, all together).
 * Measured: 45 MB of parts (150,000 rows of 11 cells) peaked at 1.5 GB of RSS in `rotascope
 * ingest`, 303 MB (1M rows) at 4.7 GB; 24 MB (about 80,000 such rows, where a network's weekly
 * rota is hundreds) keeps a workbook's read near 0.8 GB, within the ingest Lambda's 2 GB.
 */
export const MAX_UNPACKED_BYTES = 24 * 1024 * 1024;

const ZIP_LOCAL = 0x04034b50;
const ZIP_EMPTY = 0x06054b50;
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export function checkXlsxContainer(body: Uint8Array, maxUnpacked = MAX_UNPACKED_BYTES): void {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const signature = body.length >= 4 ? view.getUint32(0, true) : 0;
  if (OLE.every((b, i) => body[i] === b)) {
    throw new ExportShapeError(
      'it is a password-protected workbook or an old binary .xls file (an OLE compound file), not an XLSX workbook; save it as .xlsx without a password, or export CSV',
    );
  }
  if (signature !== ZIP_LOCAL && signature !== ZIP_EMPTY) {
    throw new ExportShapeError(
      looksLikeText(body)
        ? 'it is text, not an XLSX workbook (a CSV saved under an .xlsx name?); give it the name its content has (.csv)'
        : 'it is not an XLSX workbook (an XLSX file is a zip archive, and this is none)',
    );
  }
  const unpacked = unpackedBytes(view);
  if (unpacked !== undefined && unpacked > maxUnpacked) {
    throw new ExportShapeError(
      `its parts unpack to ${mb(unpacked)} MB, over the ${mb(maxUnpacked)} MB a workbook may hold to be read in memory; export the rota as CSV, which is read without that limit, or split it into weeks`,
    );
  }
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

function looksLikeText(body: Uint8Array): boolean {
  const head = body.subarray(0, 4096);
  return head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || b >= 0x20);
}

/**
 * The sum of every entry's uncompressed size, from the central directory (Zip64 sizes too), or
 * undefined when the directory cannot be found (then exceljs is left to say what is wrong).
 */
function unpackedBytes(view: DataView): number | undefined {
  const entries = directory(view);
  return entries?.reduce((total, e) => total + e.size, 0);
}

/**
 * Whether the workbook says it uses the 1904 date system, as its `xl/workbook.xml` writes it:
 * `date1904="1"` (Excel) or `"true"` (the schema's other spelling, which exceljs does not read, so
 * its dates came out four years early). Undefined when the part cannot be read here.
 */
export function workbookDate1904(body: Uint8Array): boolean | undefined {
  const entry = zipEntries(body)?.find((e) => e.name === 'xl/workbook.xml');
  if (!entry || entry.compressed > 1024 * 1024) return undefined;
  const xml = unpackEntry(body, entry)?.toString('utf8');
  if (xml === undefined) return undefined;
  const flag = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["']([^"']*)["']/.exec(xml)?.[1];
  return flag === '1' || flag?.toLowerCase() === 'true';
}

/** The zip's entries from its central directory, or undefined when it cannot be read. */
export function zipEntries(body: Uint8Array): DirectoryEntry[] | undefined {
  return directory(new DataView(body.buffer, body.byteOffset, body.byteLength));
}

/** An entry's bytes as stored (compressed or not), or undefined when its header is not found. */
export function storedEntry(body: Uint8Array, entry: DirectoryEntry): Uint8Array | undefined {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (entry.local + 30 > view.byteLength || view.getUint32(entry.local, true) !== ZIP_LOCAL) {
    return undefined;
  }
  const start =
    entry.local +
    30 +
    view.getUint16(entry.local + 26, true) +
    view.getUint16(entry.local + 28, true);
  if (start + entry.compressed > body.byteLength) return undefined;
  return body.subarray(start, start + entry.compressed);
}

/** An entry unpacked (stored or deflated), or undefined when it cannot be. */
export function unpackEntry(body: Uint8Array, entry: DirectoryEntry): Buffer | undefined {
  const data = storedEntry(body, entry);
  if (!data || (entry.method !== 0 && entry.method !== 8)) return undefined;
  try {
    return entry.method === 8 ? inflateRawSync(data) : Buffer.from(data);
  } catch {
    return undefined;
  }
}

export interface DirectoryEntry {
  name: string;
  /** Uncompressed and compressed sizes, compression method, local header's offset, CRC-32. */
  size: number;
  compressed: number;
  method: number;
  local: number;
  crc: number;
}

/** The zip's central directory, or undefined when it cannot be found or read. */
function directory(view: DataView): DirectoryEntry[] | undefined {
  const end = findEndOfDirectory(view);
  if (end === undefined) return undefined;
  let entries = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if (offset === 0xffffffff || entries === 0xffff) {
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) return undefined;
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (zip64End + 56 > view.byteLength || view.getUint32(zip64End, true) !== 0x06064b50) {
      return undefined;
    }
    entries = Number(view.getBigUint64(zip64End + 32, true));
    offset = Number(view.getBigUint64(zip64End + 48, true));
  }
  const found: DirectoryEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < entries; i += 1) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== 0x02014b50) {
      return undefined;
    }
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) size = zip64Size(view, offset + 46 + nameLength, extraLength) ?? size;
    const nameStart = view.byteOffset + offset + 46;
    found.push({
      name: decoder.decode(
        new Uint8Array(view.buffer, nameStart, Math.min(nameLength, view.byteLength - offset - 46)),
      ),
      size,
      compressed: view.getUint32(offset + 20, true),
      method: view.getUint16(offset + 10, true),
      local: view.getUint32(offset + 42, true),
      crc: view.getUint32(offset + 16, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return found;
}

/** The uncompressed size in an entry's Zip64 extra field (its first value). */
function zip64Size(view: DataView, start: number, length: number): number | undefined {
  for (let at = start; at + 4 <= start + length && at + 4 <= view.byteLength; ) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001 && size >= 8 && at + 12 <= view.byteLength) {
      return Number(view.getBigUint64(at + 4, true));
    }
    at += 4 + size;
  }
  return undefined;
}

/** The end-of-central-directory record: within the last 22 + 65,535 bytes (its comment). */
function findEndOfDirectory(view: DataView): number | undefined {
  const last = view.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at -= 1) {
    if (view.getUint32(at, true) === ZIP_EMPTY) return at;
  }
  return undefined;
}
