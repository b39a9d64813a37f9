/**
 * A cold start loads only what every request needs: the built ingest and publish bundles
 * (scripts/build-lambdas.ts) load exceljs, vega, the Athena client and DuckDB with `import()` when
 * a request needs them, not when the handler module loads (docs/performance.md). Checked on
 * esbuild's metafile: what the entry file and the chunks it imports statically hold.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandlerBundle, loadedAtImport } from '../../../scripts/build-lambdas.js';

const LAZY = [
  'node_modules/exceljs/',
  'node_modules/vega/',
  'node_modules/vega-lite/',
  'node_modules/apache-arrow/',
  'node_modules/@aws-sdk/client-athena/',
  'node_modules/@aws-sdk/client-ssm/',
  'node_modules/@aws-sdk/client-sns/',
  '@duckdb/node-api',
  'src/ingest/read-xlsx.ts',
  'src/site/build-site.ts',
];

let scratch: string;
const atImport: Record<string, string[]> = {};
const everything: Record<string, string[]> = {};

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-import-graph-'));
  for (const name of ['ingest', 'publish']) {
    const meta = await buildHandlerBundle(name, path.join(scratch, name));
    const entry = Object.keys(meta.outputs).find((o) => o.endsWith(`${name}/index.mjs`));
    if (!entry) throw new Error(`no entry for ${name}`);
    atImport[name] = loadedAtImport(meta, entry);
    everything[name] = Object.values(meta.outputs).flatMap((o) => [
      ...Object.keys(o.inputs),
      ...o.imports.filter((i) => i.external).map((i) => i.path),
    ]);
  }
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each(['ingest', 'publish'])('the %s handler module', (name) => {
  it('does not load exceljs, vega, Arrow, DuckDB or the Athena, SSM and SNS clients at import', () => {
    const loaded = atImport[name] ?? [];
    expect(loaded.some((f) => f.endsWith(`lambdas/${name}.ts`))).toBe(true);
    expect(loaded.some((f) => f.includes('node_modules/@aws-sdk/client-s3/'))).toBe(true);
    for (const lazy of LAZY) expect(loaded.filter((f) => f.includes(lazy))).toEqual([]);
  });

  it('still bundles them, in chunks loaded with import()', () => {
    const all = everything[name] ?? [];
    for (const lazy of ['node_modules/@aws-sdk/client-athena/', '@duckdb/node-api'])
      expect(all.some((f) => f.includes(lazy))).toBe(true);
  });
});
