/** uniformLineEnds (read-csv.ts): one kind of line end for DuckDB's CSV reader. */
import { describe, expect, it } from 'vitest';
import { uniformLineEnds } from '../../../src/ingest/read-csv.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('uniformLineEnds', () => {
  it('returns a file with one kind of line end as it is (the same buffer)', () => {
    for (const t of ['a,b\n1,2\n', 'a,b\r\n1,2\r\n', 'a,b', '', '"x\r\ny"\r\n']) {
      const b = bytes(t);
      expect(uniformLineEnds(b)).toBe(b);
    }
  });

  it('makes lone CRs and CRLFs LF when a file mixes them, or has lone CRs only', () => {
    expect(text(uniformLineEnds(bytes('a,b\r1,2\r3,4\r')))).toBe('a,b\n1,2\n3,4\n');
    expect(text(uniformLineEnds(bytes('a,b\n1,2\r\n3,4\n')))).toBe('a,b\n1,2\n3,4\n');
    expect(text(uniformLineEnds(bytes('a,b\n1,2\n\r\n')))).toBe('a,b\n1,2\n\n');
    // A CRLF file with an LF inside a quoted value (Excel's line break in a cell): records end in
    // LF now, the value keeps its LF.
    expect(text(uniformLineEnds(bytes('a,b\r\n"x\ny",2\r\n')))).toBe('a,b\n"x\ny",2\n');
    // Multi-byte text is untouched.
    expect(text(uniformLineEnds(bytes('£,é\r1,ß\r')))).toBe('£,é\n1,ß\n');
  });
});
