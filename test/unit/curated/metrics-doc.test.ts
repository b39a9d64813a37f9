/**
 * docs/metrics.md lists each metric table's columns as src/curated/metric-columns.ts declares
 * them, in order, on a paragraph of its own: "Columns of `<table>`: `a`, `b`, ... ." The
 * definitions below each list are prose; the list is what is checked.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC_COLUMNS } from '../../../src/curated/metric-columns.js';
import { packageRoot } from '../../../src/package-root.js';

/** The backticked names of the "Columns of `<table>`:" paragraph, or undefined without one. */
function documentedColumns(markdown: string, table: string): string[] | undefined {
  const paragraph = markdown
    .split(/\n\s*\n/)
    .find((p) => p.trimStart().startsWith(`Columns of \`${table}\`:`));
  if (paragraph === undefined) return undefined;
  const list = paragraph.slice(paragraph.indexOf(':') + 1);
  return [...list.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

describe('docs/metrics.md', () => {
  it('reads a list that wraps over lines', () => {
    const md = 'intro\n\nColumns of `t`: `a`,\n`b`.\n\nGrain: `x`.';
    expect(documentedColumns(md, 't')).toEqual(['a', 'b']);
    expect(documentedColumns(md, 'u')).toBeUndefined();
  });

  it.each(Object.keys(METRIC_COLUMNS))('lists the columns of %s as declared', async (table) => {
    const markdown = await readFile(path.join(packageRoot, 'docs', 'metrics.md'), 'utf8');
    expect(documentedColumns(markdown, table)).toEqual(Object.keys(METRIC_COLUMNS[table] ?? {}));
  });
});
