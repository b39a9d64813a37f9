import { describe, expect, it } from 'vitest';
import { NotTextError, toUtf8 } from '../../../src/ingest/to-utf8.js';

/** The export as text after conversion, and the encoding found. */
function decodeText(input: Uint8Array) {
  const { bytes, encoding } = toUtf8(input);
  return { text: Buffer.from(bytes).toString('utf8'), encoding };
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe('toUtf8', () => {
  it('passes valid UTF-8 through without copying it', () => {
    const input = new TextEncoder().encode('a,b\n£1,2\n');
    expect(toUtf8(input).bytes).toBe(input);
  });

  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeText(new TextEncoder().encode('cost\n£12\n'))).toEqual({
      text: 'cost\n£12\n',
      encoding: 'utf-8',
    });
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({ text: 'a', encoding: 'utf-8' });
  });

  it('reads Windows-1252, where £ is the single byte 0xA3 and € is 0x80', () => {
    expect(decodeText(bytes(0xa3, 0x31, 0x32, 0x2c, 0x80))).toEqual({
      text: '£12,€',
      encoding: 'windows-1252',
    });
  });

  it('reads a UTF-8 file with a Windows-1252 byte pasted in: both kinds of £, with or without a mark', () => {
    // "£5 (UTF-8), £6 (one byte), café (UTF-8), ’ (0x92)": an export edited in two tools.
    const mixed = [0xc2, 0xa3, 0x35, 0x2c, 0xa3, 0x36, 0x2c, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x92];
    expect(decodeText(bytes(...mixed))).toEqual({ text: '£5,£6,café’', encoding: 'windows-1252' });
    // The UTF-8 mark made the file pass as UTF-8 and DuckDB rejected the row as "not utf-8".
    expect(decodeText(bytes(0xef, 0xbb, 0xbf, ...mixed)).text).toBe('£5,£6,café’');
    // Bytes that only start a sequence (a truncated 3-byte, a lone continuation) are each one
    // Windows-1252 character; 0x81 has none and becomes U+FFFD.
    expect(decodeText(bytes(0xe2, 0x82, 0x41, 0x81, 0xbf)).text).toBe('â‚A\ufffd¿');
    // A mapping that says UTF-8 still refuses it.
    expect(() => toUtf8(bytes(0xef, 0xbb, 0xbf, ...mixed), 'utf-8')).toThrow(/not valid UTF-8/);
  });

  it('drops padding after the text: NUL bytes and a DOS end-of-file Ctrl-Z', () => {
    const text = new TextEncoder().encode('a,b\n1,2\n');
    const padded = (...tail: number[]) => new Uint8Array([...text, ...tail]);
    // 64 NULs made a short file look like binary data; 4 made a phantom malformed row.
    expect(decodeText(padded(...new Array(64).fill(0)))).toEqual({
      text: 'a,b\n1,2\n',
      encoding: 'utf-8',
    });
    expect(decodeText(padded(0, 0, 0, 0)).text).toBe('a,b\n1,2\n');
    expect(decodeText(padded(0x1a)).text).toBe('a,b\n1,2\n');
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...text, 0, 0x1a])).text).toBe(
      'a,b\n1,2\n',
    );
    // A NUL inside the text is still a replacement character in its cell.
    const inner = new TextEncoder().encode('shift,cost\nS-1,12x\nS-2,13\n');
    inner[17] = 0; // the x
    expect(decodeText(new Uint8Array([...inner, 0])).text).toBe(
      'shift,cost\nS-1,12\ufffd\nS-2,13\n',
    );
    expect(() => toUtf8(new Uint8Array(16))).toThrow('the file holds nothing but padding bytes');
  });

  it('reads UTF-16 with a byte-order mark', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x61, 0x00, 0xa3, 0x00))).toEqual({
      text: 'a£',
      encoding: 'utf-16le',
    });
    expect(decodeText(bytes(0xfe, 0xff, 0x00, 0x61))).toEqual({ text: 'a', encoding: 'utf-16be' });
  });

  it('keeps a text file with a stray NUL, as U+FFFD in its cell', () => {
    const input = new TextEncoder().encode('status\nfil\u0000led\nfilled\n');
    expect(decodeText(input)).toEqual({
      text: 'status\nfil\ufffdled\nfilled\n',
      encoding: 'utf-8',
    });
  });

  it('reads UTF-16 without a byte-order mark by its pattern of NULs', () => {
    const text = 'shift_id,status\nA-1,filled\n';
    expect(decodeText(Uint8Array.from(Buffer.from(text, 'utf16le')))).toEqual({
      text,
      encoding: 'utf-16le',
    });
    const be = Uint8Array.from(Buffer.from(text, 'utf16le').swap16());
    expect(decodeText(be)).toEqual({ text, encoding: 'utf-16be' });
  });

  it('drops padding after UTF-16 text and makes a NUL inside it U+FFFD, as for UTF-8', () => {
    const text = 'shift_id,cost\r\nA-1,12\r\n';
    const le = [...Buffer.from(text, 'utf16le')];
    const be = [...Buffer.from(text, 'utf16le').swap16()];
    // With a mark: 4 NULs, a Ctrl-Z (as a character, or a single byte) made a phantom last row.
    for (const [input, encoding] of [
      [[0xff, 0xfe, ...le, 0, 0, 0, 0], 'utf-16le'],
      [[0xff, 0xfe, ...le, 0x1a, 0x00], 'utf-16le'],
      [[0xff, 0xfe, ...le, 0x1a], 'utf-16le'],
      [[0xff, 0xfe, ...le, 0, 0, 0], 'utf-16le'],
      [[0xfe, 0xff, ...be, 0x00, 0x1a], 'utf-16be'],
      [[0xfe, 0xff, ...be, 0, 0, 0, 0, 0], 'utf-16be'],
      // Without a mark the padding broke the pattern of NULs: refused as binary data.
      [[...le, 0, 0, 0, 0], 'utf-16le'],
      [[...le, ...new Array(64).fill(0)], 'utf-16le'],
      [[...be, 0, 0, 0x00, 0x1a], 'utf-16be'],
    ] as const) {
      expect(decodeText(bytes(...input))).toEqual({ text, encoding });
    }
    // A NUL inside the text: U+FFFD in its cell, as in a UTF-8 file (it was a raw NUL).
    const inner = Buffer.from('shift_id,cost\nA-1,1\u00002\n', 'utf16le');
    expect(decodeText(bytes(0xff, 0xfe, ...inner)).text).toBe('shift_id,cost\nA-1,1\ufffd2\n');
    expect(decodeText(bytes(...inner)).text).toBe('shift_id,cost\nA-1,1\ufffd2\n');
    // Nothing but padding after the mark.
    expect(() => toUtf8(bytes(0xff, 0xfe, 0, 0, 0, 0))).toThrow(
      'the file holds nothing but padding bytes',
    );
  });

  it('reads UTF-16 without a mark that has a character with a zero low byte (Ā, an en quad)', () => {
    const text = 'shift_id,practice_code,name\nA-1,F84698,\u0100da\u2000Lovelace\n';
    expect(decodeText(Uint8Array.from(Buffer.from(text, 'utf16le')))).toEqual({
      text,
      encoding: 'utf-16le',
    });
    const be = Uint8Array.from(Buffer.from(text, 'utf16le').swap16());
    expect(decodeText(be)).toEqual({ text, encoding: 'utf-16be' });
    // Data with NULs at both offsets alike is still not taken for UTF-16.
    const binary = bytes(...Array.from({ length: 64 }, (_, i) => (i % 3 === 0 ? 0x41 : 0)));
    expect(() => toUtf8(binary)).toThrow('it looks like binary data');
  });

  it('refuses a PDF or gzip named .csv by its signature', () => {
    for (const start of [
      [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31],
      [0x1f, 0x8b, 0x08, 0x00],
    ]) {
      expect(() => decodeText(bytes(...start, 0x61, 0x62))).toThrow(NotTextError);
    }
  });

  it('refuses empty and binary files with a reason a person understands', () => {
    expect(() => decodeText(bytes())).toThrow(new NotTextError('the file is empty'));
    // Blank lines only, in UTF-8 with a mark or in UTF-16: the CSV reader called it "column0".
    const blank = 'it holds only blank lines: no header row and no rows';
    expect(() => decodeText(new TextEncoder().encode('  \n\t\n\r\n'))).toThrow(blank);
    expect(() => decodeText(bytes(0xef, 0xbb, 0xbf, 0x0a, 0x0a))).toThrow(blank);
    expect(() => decodeText(bytes(0xff, 0xfe, 0x20, 0x00, 0x0a, 0x00))).toThrow(blank);
    // The start of a ZIP (an XLSX renamed to .csv).
    expect(() => decodeText(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00))).toThrow(
      'it is not a text (CSV) file; it looks like binary data',
    );
  });
});
