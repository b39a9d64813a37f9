import { describe, expect, it } from 'vitest';
import { readJsonRows } from '../../../src/ingest/read-json.js';

/** The reason readJsonRows refuses the text for. */
function refusal(text: string, envelopePath?: string): string {
  try {
    readJsonRows(new TextEncoder().encode(text), envelopePath);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('read');
}

const shift = (id: number) => `{"id": ${id}, "user": 50${id}, "note": "a [b] {c} \\"d"}`;

describe('JSON that is not one document', () => {
  it('says a file of one object per line is JSON Lines', () => {
    // Before: "Unexpected non-whitespace character after JSON at position 62".
    const lines = [1, 2, 3].map(shift).join('\n');
    expect(refusal(`${lines}\n`)).toBe(
      'it is not valid JSON: it holds one JSON object per line (JSON Lines, 3 lines), not one document; put the rows in one JSON array, [{...}, {...}]',
    );
    expect(refusal(lines.replaceAll('\n', '\r\n'), 'shifts')).toBe(
      'it is not valid JSON: it holds one JSON object per line (JSON Lines, 3 lines), not one document; save the API response as one document, its rows in an array at "shifts"',
    );
    // The last line cut off.
    expect(refusal(`${lines}\n{"id": 4, "us`)).toBe(
      'it is not valid JSON: it holds one JSON object per line (JSON Lines, 4 lines, the last of them cut off (truncated?)), not one document; put the rows in one JSON array, [{...}, {...}]',
    );
  });

  it('says a file of documents one after another holds that many', () => {
    const page = (a: number, b: number) => `[${shift(a)}, ${shift(b)}]`;
    const two =
      'it is not valid JSON: it holds 2 JSON documents one after another (pages of an API response saved into one file?), not one; upload each as its own file';
    expect(refusal(`${page(1, 2)}${page(3, 4)}`)).toBe(two);
    expect(refusal(`${page(1, 2)}\n${page(3, 4)}\n`)).toBe(two);
    expect(refusal(`{"shifts": []} {"shifts": []}`, 'shifts')).toBe(two);
    expect(refusal(`${page(1, 2)}${page(3, 4)}${page(5, 6)}`)).toContain('holds 3 JSON documents');
  });

  it('says a document that never closes ends in the middle', () => {
    // Before: "Expected double-quoted property name in JSON at position 40" and the like.
    const truncated =
      'it is not valid JSON: it ends in the middle of the document (truncated? download or export it again)';
    const whole = `[\n ${shift(1)},\n ${shift(2)}\n]\n`;
    for (const cut of [20, 40, whole.indexOf('"d') + 1, whole.length - 3]) {
      expect(refusal(whole.slice(0, cut))).toBe(truncated);
    }
  });

  it("keeps the parser's message for other mistakes", () => {
    expect(refusal('[{"id": 1},]')).toMatch(/^it is not valid JSON \(/);
    expect(refusal('// export\n[{"id": 1}]')).toMatch(/^it is not valid JSON \(/);
    expect(refusal('[{"id": 1}]]')).toMatch(/^it is not valid JSON \(/);
    // A broken first document followed by another: the break is what to fix.
    expect(refusal('[{"id": 1,}]\n[{"id": 2}]')).toMatch(/^it is not valid JSON \(/);
  });
});
