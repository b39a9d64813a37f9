/**
 * Keys written twice in one JSON object. `JSON.parse` keeps the last and drops the first without
 * a word: an envelope `{"data": {"shifts": [...]}, "data": {...}}` lost a whole array of rows,
 * and an element `{"user": "E1", "user": "E2"}` a value. One pass over text that JSON.parse has
 * already accepted (so it need not check the grammar), keeping each object's keys and where each
 * value is written; only the duplicates are returned.
 */

export interface DuplicateKey {
  /** Where the object is: keys and array positions from the top (`['data', 'shifts', 3]`). */
  path: (string | number)[];
  key: string;
  /** Both values written the same (`"user": 7, "user": 7`): nothing is lost. */
  same: boolean;
}

interface Frame {
  object: boolean;
  path: (string | number)[];
  /** Object: key -> [start, end) of its value's text; array: the next element's position. */
  keys: Map<string, [number, number]> | undefined;
  index: number;
  key: string | undefined;
  expectKey: boolean;
  start: number;
}

export function findDuplicateKeys(text: string): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const stack: Frame[] = [];
  const completed = (start: number, end: number) => {
    const parent = stack.at(-1);
    if (!parent) return;
    if (!parent.object) {
      parent.index += 1;
      return;
    }
    const key = parent.key as string;
    const keys = parent.keys as Map<string, [number, number]>;
    const before = keys.get(key);
    if (before) {
      found.push({
        path: parent.path,
        key,
        same: text.slice(before[0], before[1]) === text.slice(start, end),
      });
    }
    keys.set(key, [start, end]);
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = endOfString(text, i);
      const top = stack.at(-1);
      if (top?.object && top.expectKey) {
        const raw = text.slice(i + 1, end);
        top.key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.expectKey = false;
      } else {
        completed(i, end + 1);
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      const parent = stack.at(-1);
      const at = parent ? (parent.object ? (parent.key as string) : parent.index) : undefined;
      const object = c === 0x7b;
      stack.push({
        object,
        path: at === undefined ? [] : [...(parent as Frame).path, at],
        keys: object ? new Map() : undefined,
        index: 0,
        key: undefined,
        expectKey: object,
        start: i,
      });
    } else if (c === 0x7d || c === 0x5d) {
      const frame = stack.pop() as Frame;
      completed(frame.start, i + 1);
    } else if (c === 0x2c) {
      const top = stack.at(-1);
      if (top?.object) top.expectKey = true;
    } else if (c > 0x20 && c !== 0x3a) {
      // A number, true, false or null: up to the next delimiter.
      let end = i + 1;
      while (end < text.length && !DELIMITERS.has(text.charCodeAt(end))) end += 1;
      completed(i, end);
      i = end - 1;
    }
  }
  return found;
}

/** What ends a number or literal: white space, comma, closing bracket. */
const DELIMITERS = new Set([0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x7d, 0x5d]);

/** The position of the quote closing the string that opens at `start` (or the end of the text). */
export function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
