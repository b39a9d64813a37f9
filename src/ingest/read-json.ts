/**
 * JSON exports (API dumps): an array of objects at the top level, or inside an envelope at a
 * dotted path (`data.shifts`). Each element is one row; its keys are the columns (the union over
 * all elements, in first-seen order). Scalars become text (`true`, `1794816000`), null stays
 * NULL. A nested object is flattened into dotted column names, as deep as it goes up to
 * MAX_DEPTH levels: `{"assignee": {"personId": 7, "site": {"ods": "F84698"}}}` gives the columns
 * `assignee.personId` and `assignee.site.ods` (the object itself is no column, so a person id
 * inside it reaches rejects only through its own column, pseudonymised). An array is kept as its
 * JSON text under its own name (`breaks`); values inside arrays are not addressable.
 * An element that is not an object, or that nests deeper than MAX_DEPTH, still counts as a row
 * (every column empty) and is listed as malformed (reject `malformed_row`), so conservation
 * holds. JSON nested any depth never overflows the stack: it is one malformed row, or (in an
 * envelope) a file-level error.
 * Keys that differ only in case or in spaces around them are one column (mappings match column
 * names trimmed and ignoring case: `"user "` is `user`); an element with two such keys holding
 * different values in a read column is a malformed row. A key written twice in one object with
 * different values (which JSON.parse resolves by keeping the last) makes its element a malformed
 * row, or, on the way to the rows (`data` twice in the envelope), refuses the file. A key named
 * `source_row` is kept as `source_row_2`. A whole number too long for a JavaScript number (an id
 * such as 12345678901234567891, also written 12345678901234567891.0 or 1.2345678901234567891e19)
 * is kept as its exact digits, not rounded. An empty array is an
 * export of no rows: its columns are the ones the mapping requires, as a CSV with only a header.
 */
import { endOfString, findDuplicateKeys } from './json-duplicate-keys.js';
import { notJsonReason } from './json-shape.js';
import {
  cleanColumnName,
  ExportShapeError,
  numberText,
  type TextRows,
  uniqueColumnNames,
} from './text-rows.js';

/** Levels of nested objects flattened into dotted column names; deeper is a malformed row. */
export const MAX_DEPTH = 32;

class TooDeep extends Error {}

export function readJsonRows(
  utf8: Uint8Array,
  envelopePath: string | undefined,
  requiredColumns: readonly string[] = [],
  options: {
    exportedAtPath?: string | undefined;
    /**
     * Columns the mapping reads. An element with an object or a list at one of them
     * (`"user": {"id": ..}`, `"user": [7]` where the mapping reads `user` as one value) is a
     * malformed row, not a row whose value is silently empty (an empty person column read as an
     * open shift, say) or the list's JSON text.
     */
    readColumns?: readonly string[];
  } = {},
): TextRows {
  let document: unknown;
  const text = quoteLongIntegers(
    Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength).toString('utf8'),
  );
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ExportShapeError(notJsonReason(text, (error as Error).message, envelopePath));
  }
  const metadata = options.exportedAtPath
    ? metadataText(document, options.exportedAtPath)
    : undefined;
  let items: unknown = document;
  const steps = envelopePath ? envelopePath.split('.') : [];
  for (const [i, step] of steps.entries()) {
    if (items === null || typeof items !== 'object' || Array.isArray(items) || !(step in items)) {
      throw new ExportShapeError(
        `the JSON has no "${steps.slice(0, i + 1).join('.')}" (the mapping reads the rows from "${envelopePath}")`,
      );
    }
    items = (items as Record<string, unknown>)[step];
  }
  const twice = keysWrittenTwice(text, steps);
  if (!Array.isArray(items)) {
    const where = envelopePath ? `"${envelopePath}"` : 'the top level';
    throw new ExportShapeError(
      `the JSON at ${where} is ${describe(items)}, not an array of rows${envelopePath ? '' : ' (if the rows are inside an envelope, set formats.json.path in the mapping)'}`,
    );
  }
  if (items.length === 0) {
    const names = new Map(requiredColumns.map((c) => [c.trim().toLowerCase(), c.trim()]));
    return { columns: uniqueColumnNames([...names.values()]), rows: [], metadata };
  }
  /** Lower-cased key -> column position; names in first-seen spelling. */
  const index = new Map<string, number>();
  const names: string[] = [];
  const malformed: { sourceRow: number; detail: string }[] = [];
  const read = new Set((options.readColumns ?? []).map(columnKey));
  /** Elements that are no object of fields (or nest too deep to read as one). */
  let notObjects = 0;
  const records = items.map((item, i): [string, string | null][] => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      notObjects += 1;
      malformed.push({
        sourceRow: i + 1,
        detail: `element ${i + 1} of the array is ${describe(item)}, not an object of fields`,
      });
      return [];
    }
    const repeated = twice.get(i);
    if (repeated && (read.size === 0 || read.has(columnKey(repeated)))) {
      malformed.push({
        sourceRow: i + 1,
        detail: `element ${i + 1} of the array has "${repeated}" twice, with different values`,
      });
      return [];
    }
    const cells: [string, string | null][] = [];
    try {
      flatten(item as Record<string, unknown>, '', 1, cells);
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      notObjects += 1;
      malformed.push({
        sourceRow: i + 1,
        detail: `element ${i + 1} of the array nests objects or arrays deeper than ${MAX_DEPTH} levels`,
      });
      return [];
    }
    const nested = Object.entries(item).find(
      ([k, v]) => read.has(columnKey(k)) && v !== null && typeof v === 'object',
    );
    if (nested) {
      // An object or a list where one value is read: read as empty or as its JSON text, a person
      // column would have made an open shift, or a clinician of "[7]".
      const [k, v] = nested;
      const what = Array.isArray(v)
        ? `a list of ${v.length} value${v.length === 1 ? '' : 's'}`
        : `an object (with ${
            Object.keys(v as object)
              .map((f) => `"${f}"`)
              .join(', ') || 'no fields'
          })`;
      malformed.push({
        sourceRow: i + 1,
        detail: `element ${i + 1} of the array has ${what} at "${k}", where the mapping reads one value`,
      });
      return [];
    }
    const clash = caseClash(cells, read);
    if (clash) {
      malformed.push({
        sourceRow: i + 1,
        detail: `element ${i + 1} of the array has both "${clash[0]}" and "${clash[1]}" (keys that differ only in case or spaces are one column) with different values`,
      });
      return [];
    }
    for (const [k] of cells) {
      if (!index.has(columnKey(k))) {
        index.set(columnKey(k), names.length);
        names.push(k);
      }
    }
    return cells;
  });
  if (notObjects === items.length) {
    throw new ExportShapeError(
      `no element of its array is an object of fields (${malformed[0]?.detail ?? ''})`,
    );
  }
  const columns = uniqueColumnNames(names);
  const rows = records.map((cells, i) => {
    const row: (string | null)[] = new Array(columns.length + 1).fill(null);
    row[0] = String(i + 1);
    for (const [k, v] of cells) {
      const at = (index.get(columnKey(k)) as number) + 1;
      row[at] ??= v;
    }
    return row;
  });
  return { columns, rows, malformed, metadata };
}

/**
 * Keys written twice with different values (json-duplicate-keys.ts), which JSON.parse resolves
 * by dropping the first. On the way to the rows (the envelope's `data` twice) the file is refused,
 * as one of the two arrays would be lost; inside an element, its position -> the column (dotted
 * for a nested object), for the row to be malformed. Elsewhere (metadata nobody reads) no matter.
 */
function keysWrittenTwice(text: string, steps: readonly string[]): Map<number, string> {
  const elements = new Map<number, string>();
  if (!text.includes('"')) return elements;
  for (const { path, key, same } of findDuplicateKeys(text)) {
    if (same) continue;
    const onTheWay =
      path.length < steps.length &&
      path.every((p, i) => p === steps[i]) &&
      key === steps[path.length];
    if (onTheWay) {
      const where = path.length > 0 ? `"${path.join('.')}"` : 'the top level';
      throw new ExportShapeError(
        `the JSON has "${key}" twice at ${where}, with different values: a JSON reader keeps only the last, so the rows under the first would be lost`,
      );
    }
    const inElement = path.length > steps.length && steps.every((p, i) => p === path[i]);
    const at = path[steps.length];
    if (inElement && typeof at === 'number' && !elements.has(at)) {
      elements.set(at, [...path.slice(steps.length + 1), key].join('.'));
    }
  }
  return elements;
}

/**
 * A key as a column: cleaned as a header cell is (cleanColumnName), ignoring case (`"user "`,
 * `"User"` and `"user"` are one column).
 */
function columnKey(key: string): string {
  return cleanColumnName(key).toLowerCase();
}

/**
 * Two keys of one element that differ only in case (`user` and `USER`) and hold different
 * values, in a column the mapping reads (any column when it names none): one column cannot keep
 * both, so the row is malformed rather than read with the first value and the other dropped.
 */
function caseClash(
  cells: readonly [string, string | null][],
  read: ReadonlySet<string>,
): [string, string] | undefined {
  const seen = new Map<string, [string, string | null]>();
  for (const [k, v] of cells) {
    const lower = columnKey(k);
    const first = seen.get(lower);
    if (!first) seen.set(lower, [k, v]);
    else if (
      (read.size === 0 || read.has(lower)) &&
      first[1] !== null &&
      v !== null &&
      first[1] !== v
    ) {
      return [first[0], k];
    }
  }
  return undefined;
}

/** Leaves of an object as [dotted name, text]; nested objects flattened, arrays as JSON text. */
function flatten(
  record: Record<string, unknown>,
  prefix: string,
  depth: number,
  out: [string, string | null][],
): void {
  for (const [k, v] of Object.entries(record)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (depth >= MAX_DEPTH) throw new TooDeep();
      flatten(v as Record<string, unknown>, `${prefix}${k}.`, depth + 1, out);
    } else {
      out.push([`${prefix}${k}`, toText(v)]);
    }
  }
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch (error) {
    // An array nested thousands deep overflows JSON.stringify's stack.
    if (error instanceof RangeError) throw new TooDeep();
    throw error;
  }
}

/** The export time at a dotted path of the document, as text (undefined when absent). */
function metadataText(document: unknown, dotted: string): string | undefined {
  let value: unknown = document;
  for (const step of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const found = Object.entries(value as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === step.toLowerCase(),
    );
    if (!found) return undefined;
    value = found[1];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/**
 * The JSON text with the literals JSON.parse would lose or refuse put in quotes, so a row keeps
 * what the export wrote and the checks reject it with a reason instead of the file failing:
 * - every number literal outside strings that is a whole number a double would change (beyond
 *   2^53), as its exact digits: `12345678901234567891` as written, and the same number written
 *   with a fraction of zeros or an exponent (`12345678901234567891.0`, `1.2345678901234567891e19`)
 *   as `12345678901234567891` too, as `5101.0` reads `5101`. Rounded, 12345678901234567890 and
 *   12345678901234567891 were one person (or one shift id, its second row a duplicate);
 * - bare `NaN`, `Infinity` and `-Infinity`, which are not JSON but which some exporters write
 *   (Python's json module does by default), so the row is rejected (bad_number, out_of_range)
 *   and the rest of the file is read.
 * A number with a fraction (a cost) is left to JSON.parse. Text without 16 digits in a row (a
 * decimal point allowed among them) or such a word is returned as it is, without a scan.
 */
export function quoteLongIntegers(text: string): string {
  if (!/\d(?:\.?\d){15}|NaN|Infinity/.test(text)) return text;
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(text, i);
    } else if (c === 0x4e || c === 0x49 || (c === 0x2d && text.startsWith('-Infinity', i))) {
      const word = NON_FINITE.find((w) => text.startsWith(w, i));
      if (word) {
        parts.push(text.slice(copied, i), `"${word}"`);
        copied = i + word.length;
        i = copied - 1;
      }
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text.charCodeAt(end))) end += 1;
      const literal = end - i >= 16 ? text.slice(i, end) : '';
      const exact = literal ? exactInteger(literal) : undefined;
      if (exact !== undefined && String(Number(literal)) !== exact) {
        parts.push(text.slice(copied, i), `"${exact}"`);
        copied = end;
      }
      i = end - 1;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Digits a whole number may have to be kept exactly (beyond, JSON.parse reads it: 1e309). */
const MAX_EXACT_DIGITS = 40;

/**
 * The whole number a JSON number literal writes, as its exact digits (`-12345678901234567891`
 * for `-1.2345678901234567891e19`), or undefined when it has a fraction that is not all zeros,
 * has more than MAX_EXACT_DIGITS digits, or is no JSON number.
 */
export function exactInteger(literal: string): string | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return undefined;
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  if (point > MAX_EXACT_DIGITS) return undefined;
  const after = digits.slice(Math.max(point, 0));
  if (/[1-9]/.test(after)) return undefined;
  const before = digits.slice(0, Math.max(point, 0)).padEnd(Math.max(point, 0), '0');
  const trimmed = before.replace(/^0+/, '');
  return trimmed === '' ? '0' : `${sign}${trimmed}`;
}

/** Bare words some exporters write for non-finite numbers (outside strings). */
const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Digits, sign, point and exponent: the characters of a JSON number. */
function isNumberChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2b || c === 0x2d || c === 0x45 || c === 0x65
  );
}
