import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  InvariantError,
  oneLineReason,
  printable,
  reasonLines,
  UnreadableExportError,
} from '../../src/errors.js';
import { failureOf } from '../../src/ingest/ingest-all.js';

describe('error text for people', () => {
  it('keeps every line of a message in the one-line form', () => {
    const error = new ConfigError('Mapping m.json is not valid:\n  a.b: wrong\n  c: missing');
    expect(reasonLines(error)).toEqual([
      'Mapping m.json is not valid:',
      'a.b: wrong',
      'c: missing',
    ]);
    expect(oneLineReason(error)).toBe('Mapping m.json is not valid: a.b: wrong; c: missing');
    expect(oneLineReason(new Error('first\nsecond'))).toBe('first; second');
    expect(oneLineReason(new Error(''))).toBe('Error');
    expect(oneLineReason('plain')).toBe('plain');
  });

  it.each([
    ['a\nb.csv', 'a\\nb.csv'],
    ['a\r\tb', 'a\\r\\tb'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['bell\u0007 del\u007f c1\u009b', 'bell\\x07 del\\x7f c1\\x9b'],
    ['x\u202evsc.csv', 'x\\u202evsc.csv'],
    ['\u2066isolate\u2069 \u200f \u2028', '\\u2066isolate\\u2069 \\u200f \\u2028'],
    ['£ é 日本 ✓', '£ é 日本 ✓'],
  ])('printable(%j) is %j', (text, expected) => {
    expect(printable(text)).toBe(expected);
  });

  it('never lets a file name break a line or send an escape', () => {
    const error = new UnreadableExportError(
      'generic/U1/shifts/a\n\u001b[2J.csv',
      'the file is empty',
    );
    expect(error.message).toBe(
      'Cannot read export generic/U1/shifts/a\\n\\x1b[2J.csv: the file is empty',
    );
    expect(reasonLines(new Error('x\u001b[2Jy'))).toEqual(['x\\x1b[2Jy']);
  });
});

describe('a file that failed', () => {
  it('is unreadable, an error or a bug, and always named', () => {
    const key = 'generic/U60865/shifts/x\u001b.csv';
    expect(failureOf(key, new UnreadableExportError(key, 'the file is empty'))).toEqual({
      key,
      kind: 'unreadable',
      reason: 'Cannot read export generic/U60865/shifts/x\\x1b.csv: the file is empty',
      lines: ['Cannot read export generic/U60865/shifts/x\\x1b.csv: the file is empty'],
    });
    expect(failureOf(key, new Error('Conversion Error: nan\nLINE 1: select'))).toEqual({
      key,
      kind: 'error',
      reason: 'generic/U60865/shifts/x\\x1b.csv: Conversion Error: nan; LINE 1: select',
      lines: ['generic/U60865/shifts/x\\x1b.csv: Conversion Error: nan', 'LINE 1: select'],
    });
    expect(failureOf(key, new InvariantError('Conservation failed')).kind).toBe('bug');
    expect(failureOf(key, 'a string thrown').reason).toBe(
      'generic/U60865/shifts/x\\x1b.csv: a string thrown',
    );
  });
});
