/**
 * JSON exports (API dumps): an array of objects at the top level, or inside an envelope at a
 * dotted path (`data.shifts`). Each element is one row; its keys are the columns (the union over
 * all elements, in first-seen order). Scalars become text (`true`, `1794816000`), null stays
 * NULL, nested objects and arrays are kept as JSON text. An element that is not an object still
 * counts as a row (every column empty), so conservation holds and it is rejected with a reason.
 */
import { ExportShapeError, type TextRows } from './text-rows.js';

export function readJsonRows(utf8: Uint8Array, envelopePath: string | undefined): TextRows {
  let document: unknown;
  try {
    document = JSON.parse(
      Buffer.from(utf8.buffer, utf8.byteOffset, utf8.byteLength).toString('utf8'),
    );
  } catch (error) {
    throw new ExportShapeError(`it is not valid JSON (${(error as Error).message})`);
  }
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
  if (!Array.isArray(items)) {
    const where = envelopePath ? `"${envelopePath}"` : 'the top level';
    throw new ExportShapeError(
      `the JSON at ${where} is ${describe(items)}, not an array of rows${envelopePath ? '' : ' (if the rows are inside an envelope, set formats.json.path in the mapping)'}`,
    );
  }
  const index = new Map<string, number>();
  const records = items.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? (item as Record<string, unknown>)
      : {},
  );
  for (const record of records) {
    for (const k of Object.keys(record)) if (!index.has(k)) index.set(k, index.size);
  }
  const columns = [...index.keys()];
  const rows = records.map((record, i) => {
    const row: (string | null)[] = new Array(columns.length + 1).fill(null);
    row[0] = String(i + 1);
    for (const [k, v] of Object.entries(record)) row[(index.get(k) as number) + 1] = toText(v);
    return row;
  });
  return { columns, rows };
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
