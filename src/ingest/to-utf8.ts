/**
 * Turn the bytes of a text export into UTF-8, whatever the rostering system wrote: UTF-8
 * with or without a byte-order mark, UTF-16 with a BOM, or Windows-1252 (what Excel on Windows
 * saves as "CSV", with £ as byte 0xA3). Binary files and empty files are refused with one clear
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
  bytes: Uint8Array,
  encoding: 'auto' | 'utf-8' | 'windows-1252' = 'auto',
): Utf8Export {
  if (bytes.length === 0) throw new NotTextError('the file is empty');
  if (encoding === 'windows-1252') {
    return { bytes: utf8(decodeWindows1252(bytes)), encoding: 'windows-1252' };
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { bytes: bytes.subarray(3), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return {
      bytes: utf8(new TextDecoder('utf-16le').decode(bytes.subarray(2))),
      encoding: 'utf-16le',
    };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return {
      bytes: utf8(new TextDecoder('utf-16be').decode(bytes.subarray(2))),
      encoding: 'utf-16be',
    };
  }
  // Text exports never contain NUL or most other control bytes; binary files (XLSX, PDF, images) do.
  const sample = bytes.subarray(0, 8192);
  const control = sample.filter((b) => b < 0x09 || (b > 0x0d && b < 0x20)).length;
  if (sample.includes(0) || control > sample.length / 100) {
    throw new NotTextError('it is not a text (CSV) file; it looks like binary data');
  }
  // Valid UTF-8 (the common case, and every large export) passes through without a copy.
  if (isUtf8(bytes)) return { bytes, encoding: 'utf-8' };
  if (encoding === 'utf-8') {
    throw new NotTextError('it is not valid UTF-8, which its source mapping says it is');
  }
  return { bytes: utf8(decodeWindows1252(bytes)), encoding: 'windows-1252' };
}

/** Bytes 0x80-0x9F in Windows-1252 (Node's TextDecoder reads them as Latin-1 control codes). */
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

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
