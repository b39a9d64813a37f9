/**
 * Turn the bytes of a text export into UTF-8, whatever the rostering system wrote: UTF-8
 * with or without a byte-order mark, UTF-16 with a BOM, or Windows-1252 (what Excel on Windows
 * saves as "CSV", with £ as byte 0xA3), or a mix of the two. Binary files and empty files are refused with one clear
 * reason. The raw object itself is never changed: this works on a copy in memory.
 */
import { isUtf8 } from 'node:buffer';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Utf8Export {
  /** The export as UTF-8 bytes, without a byte-order mark (the input itself when it already was). */
  bytes: Uint8Array;
  encoding: TextEncodingName;
}

/** Thrown for a file that is not text at all; the caller names the file. */
export class NotTextError extends Error {
  override name = 'NotTextError';
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** `encoding`: what the source mapping says; `auto` detects (the default). */
export function toUtf8(
  input: Uint8Array,
  encoding: 'auto' | 'utf-8' | 'windows-1252' = 'auto',
): Utf8Export {
  const text = decoded(input, encoding);
  // Only spaces, tabs and line ends: said as such, where the CSV reader would have named one
  // column "column0" as what the file has.
  if (text.bytes.every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d))) {
    throw new NotTextError('it holds only blank lines: no header row and no rows');
  }
  return text;
}

function decoded(input: Uint8Array, encoding: 'auto' | 'utf-8' | 'windows-1252'): Utf8Export {
  let bytes = input;
  if (bytes.length === 0) throw new NotTextError('the file is empty');
  if (encoding === 'windows-1252') {
    return { bytes: utf8(decodeWindows1252(bytes)), encoding: 'windows-1252' };
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // A UTF-8 mark does not make the rest UTF-8: an export edited in a Windows tool can carry
    // the mark and a Windows-1252 byte or two (£ as 0xA3); those are read as below.
    const text = withoutPadding(bytes.subarray(3));
    if (isUtf8(text)) return { bytes: text, encoding: 'utf-8' };
    bytes = text;
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return fromUtf16(bytes.subarray(2), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return fromUtf16(bytes.subarray(2), 'utf-16be');
  // Binary files (XLSX, PDF, images, archives) start with a signature or are full of control
  // bytes; a text export has at most a stray one.
  if (BINARY_SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b))) {
    throw new NotTextError('it is not a text (CSV) file; it looks like binary data');
  }
  // Decided on the text without its padding: NULs after the last line would otherwise break
  // the pattern of NULs that marks UTF-16.
  const utf16 = utf16WithoutBom(withoutPadding(bytes).subarray(0, 8192));
  if (utf16) return fromUtf16(bytes, utf16);
  bytes = withoutPadding(bytes);
  if (bytes.length === 0) throw new NotTextError('the file holds nothing but padding bytes');
  const sample = bytes.subarray(0, 8192);
  const control = sample.filter((b) => b < 0x09 || (b > 0x0d && b < 0x20)).length;
  if (control > Math.max(8, sample.length / 100)) {
    throw new NotTextError('it is not a text (CSV) file; it looks like binary data');
  }
  // A stray NUL in a text export (a damaged cell) becomes U+FFFD, visible in that row's values
  // (and rejected where it lands in a checked field), instead of refusing the whole file.
  if (bytes.includes(0)) bytes = replaceNul(bytes);
  // Valid UTF-8 (the common case, and every large export) passes through without a copy.
  if (isUtf8(bytes)) return { bytes, encoding: 'utf-8' };
  if (encoding === 'utf-8') {
    throw new NotTextError('it is not valid UTF-8, which its source mapping says it is');
  }
  return { bytes: mixedToUtf8(bytes), encoding: 'windows-1252' };
}

/**
 * Text that is not all UTF-8, as UTF-8: each valid UTF-8 sequence kept as it is and every other
 * byte read as Windows-1252. A file saved in Windows-1252 throughout reads exactly as
 * `decodeWindows1252` gives it (it has no valid multi-byte sequence, short of a rare pair such
 * as "Ã©"); a UTF-8 file with a Windows-1252 byte or two pasted in (a £ typed in another tool)
 * keeps its UTF-8 characters too, where reading it all as Windows-1252 turned each "£" into "Â£".
 */
export function mixedToUtf8(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : utf8SequenceAt(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    parts.push(bytes.subarray(from, i), CP1252_UTF8[b - 0x80] as Uint8Array);
    i += 1;
    from = i;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/** The length of the valid UTF-8 sequence of two to four bytes at `i`, or 0 (RFC 3629 ranges). */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const c = bytes[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * The text without padding after it: NUL bytes (a fixed-size block written out whole) and DOS's
 * end-of-file Ctrl-Z (0x1A). Counted as text they made a phantom malformed row, or a file of a
 * few rows look like binary data.
 */
function withoutPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x00 || bytes[end - 1] === 0x1a)) end -= 1;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

/**
 * UTF-16 text (after its byte-order mark, if any) as UTF-8, with the same rules as the other
 * encodings: padding after the last line (U+0000 and U+001A characters, and an odd last byte of
 * either) is dropped, and a NUL inside the text becomes U+FFFD. Without this a padded UTF-16
 * export had a phantom malformed last row, and its cells a raw NUL where UTF-8 shows U+FFFD.
 */
function fromUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Utf8Export {
  const last = bytes[bytes.length - 1];
  const odd = bytes.length % 2 === 1 && (last === 0x00 || last === 0x1a);
  let text = new TextDecoder(encoding).decode(odd ? bytes.subarray(0, -1) : bytes);
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 0 || text.charCodeAt(end - 1) === 0x1a)) end -= 1;
  if (end === 0 && bytes.length > 0) {
    throw new NotTextError('the file holds nothing but padding bytes');
  }
  if (end < text.length) text = text.slice(0, end);
  if (text.includes('\0')) text = text.replaceAll('\0', '\ufffd');
  return { bytes: utf8(text), encoding };
}

/** Bytes 0x80-0x9F in Windows-1252 (Node's TextDecoder reads them as Latin-1 control codes). */
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

/** Bytes 0x80-0xFF read as Windows-1252, each as its UTF-8 bytes. */
const CP1252_UTF8 = Array.from({ length: 128 }, (_, k) =>
  utf8(k < 0x20 ? (CP1252_HIGH[k] as string) : String.fromCharCode(0x80 + k)),
);

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...chunk.map((b) => b)).replace(
      /[\x80-\x9f]/g,
      (ch) => CP1252_HIGH[ch.charCodeAt(0) - 0x80] as string,
    );
  }
  return out;
}

/** Leading bytes of binary formats people save by mistake as .csv: zip (XLSX), OLE (XLS), PDF, PNG, JPEG, GIF, gzip. */
const BINARY_SIGNATURES: readonly (readonly number[])[] = [
  [0x50, 0x4b, 0x03, 0x04],
  [0xd0, 0xcf, 0x11, 0xe0],
  [0x25, 0x50, 0x44, 0x46],
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x47, 0x49, 0x46, 0x38],
  [0x1f, 0x8b],
];

/**
 * UTF-16 without a byte-order mark: text of ASCII letters has a NUL in every other byte (after
 * each letter in little-endian, before it in big-endian). A few NULs on the other side are
 * allowed: a character whose code unit has a zero low (little-endian) or high (big-endian) byte,
 * such as U+0100 or U+2000, or a stray U+0000 (both bytes); at most one for every 16 on the
 * ASCII side, so data with NULs at both offsets (a binary file) still does not pass.
 */
function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (sample.length < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] === 0) {
      if (i % 2 === 0) even += 1;
      else odd += 1;
    }
  }
  const pairs = Math.floor(sample.length / 2);
  if (odd > pairs * 0.4 && even * 16 <= odd) return 'utf-16le';
  if (even > pairs * 0.4 && odd * 16 <= even) return 'utf-16be';
  return undefined;
}

function replaceNul(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let from = 0;
  for (let at = bytes.indexOf(0); at !== -1; at = bytes.indexOf(0, from)) {
    parts.push(bytes.subarray(from, at), REPLACEMENT);
    from = at + 1;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

const REPLACEMENT = Uint8Array.from([0xef, 0xbf, 0xbd]);
