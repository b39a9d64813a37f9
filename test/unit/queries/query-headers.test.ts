/**
 * The `-- Columns:` line of every queries/<table>.sql header lists the columns
 * src/curated/metric-columns.ts declares for that table, in the same order: the header is what a
 * reader of the SQL sees, the declaration is what the catalog and the site are built from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { metricTableNames } from '../../../src/metrics/query-files.js';
import { packageRoot } from '../../../src/package-root.js';

/**
 * The names after `-- Columns:` and on the indented comment lines that continue it, up to the
 * closing period: `-- Columns: a, b,\n--   c.` gives [a, b, c]. Undefined when there is none.
 */
function headerColumns(sql: string): string[] | undefined {
  const lines = sql.split('\n');
  const start = lines.findIndex((line) => line.startsWith('-- Columns:'));
  if (start < 0) return undefined;
  let text = (lines[start] as string).slice('-- Columns:'.length);
  for (const line of lines.slice(start + 1)) {
    if (!/^-- {2,}\S/.test(line)) break;
    text += ` ${line.slice(2)}`;
  }
  return text
    .trim()
    .replace(/\.$/, '')
    .split(',')
    .map((column) => column.trim());
}

describe('query headers', () => {
  it('reads a header that runs over several lines', () => {
    const sql = '-- t: a table.\n-- Columns: a, b,\n--   c.\n-- Definition: x.\nselect 1';
    expect(headerColumns(sql)).toEqual(['a', 'b', 'c']);
  });

  it.each(Object.keys(METRIC_COLUMNS))(
    'queries/%s.sql lists the declared columns',
    async (name) => {
      const sql = await readFile(path.join(packageRoot, 'queries', `${name}.sql`), 'utf8');
      expect(headerColumns(sql)).toEqual(Object.keys(METRIC_COLUMNS[name] ?? {}));
    },
  );

  it('declares a table for every query', async () => {
    expect(Object.keys(METRIC_COLUMNS).sort()).toEqual(await metricTableNames());
  });
});
