/**
 * No import cycle between the parts of src/. The rule: every folder directly under src/
 * (src/ingest/, src/site/, ...) is one node, and every file directly in src/ (src/config.ts,
 * src/errors.ts, ...) is a node of its own; an import (static, dynamic or type-only) from a file in
 * one node of a file in another is an edge. The graph must have no cycle: if ingest imports config,
 * config must not import ingest, directly or through a third node. A shared contract goes in a
 * node both sides import (src/curated/ for what crosses stages, a small top-level file otherwise).
 *
 * Imports are found with a regular expression over `from '...'` and `import('...')`; only
 * relative specifiers that land inside src/ count.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../src/package-root.js';

const SRC = path.join(packageRoot, 'src');
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** `ingest` for src/ingest/x.ts, `config.ts` for src/config.ts. */
function nodeOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length === 0 ? (first as string) : `${first}/`;
}

/** One example import per edge between nodes: `from -> to` => `file imports spec`. */
async function nodeEdges(): Promise<Map<string, Map<string, string>>> {
  const files = (await readdir(SRC, { recursive: true }))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(SRC, f));
  const edges = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = nodeOf(file);
    for (const match of (await readFile(file, 'utf8')).matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1] as string);
      if (!target.startsWith(`${SRC}${path.sep}`)) continue;
      const to = nodeOf(target.replace(/\.js$/, '.ts'));
      if (to === from) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      if (!out.has(to)) out.set(to, `${path.relative(packageRoot, file)} imports ${match[1]}`);
      edges.set(from, out);
    }
  }
  return edges;
}

/** The strongly connected components with more than one node (Tarjan): each holds a cycle. */
function cycles(edges: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w))
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('imports between src folders', () => {
  it('finds a cycle when there is one (the check itself)', () => {
    const graph = new Map([
      ['site/', new Map([['access/', 'x']])],
      ['access/', new Map([['config.ts', 'y']])],
      ['config.ts', new Map([['site/', 'z']])],
      ['errors.ts', new Map()],
    ]);
    expect(cycles(graph)).toEqual([['access/', 'config.ts', 'site/']]);
  });

  it('has no cycle', async () => {
    const edges = await nodeEdges();
    const explained = cycles(edges).map((component) =>
      component.flatMap((from) =>
        [...(edges.get(from) ?? [])]
          .filter(([to]) => component.includes(to))
          .map(([to, example]) => `${from} -> ${to} (${example})`),
      ),
    );
    expect(explained).toEqual([]);
  });
});
