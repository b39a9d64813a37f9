/**
 * Build the Lambda artefacts the CDK stack deploys and the integration tests run:
 * `dist/lambdas/<name>/` for each handler in lambdas/, laid out like the package so the code
 * finds its files the same way it does from a checkout (`packageRoot` is the artefact folder):
 *
 *   bundle/index.mjs        the handler, bundled by esbuild (ESM, Node 22, AWS SDK included)
 *   queries/ mappings/ dashboards/ data/reference/     read at run time
 *   node_modules/@duckdb/   DuckDB's Node API and its native binding for linux-x64 (not bundled:
 *                           a .node file), with detect-libc, which the binding loader needs
 *   node_modules/<vega, vega-lite, vega-embed, apache-arrow, nhsuk-frontend>/  only the browser
 *                           builds and styles the site vendors into assets/
 *
 * Runtime Node.js 22 on x86_64: the binding installed here (and in CI) is linux-x64.
 *
 *   npm run build:lambdas [-- <out dir>]
 */
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../src/config.js';
import { packageDir, VENDORED_SOURCES } from '../src/site/site-assets.js';

export const LAMBDAS = ['ingest', 'publish'] as const;
export type LambdaName = (typeof LAMBDAS)[number];

/** Package files read at run time, relative to the package root. */
const RESOURCES = ['queries', 'mappings', 'dashboards', path.join('data', 'reference')];
/** Native or loader packages left out of the bundle and copied whole. */
const NATIVE = [
  '@duckdb/node-api',
  '@duckdb/node-bindings',
  '@duckdb/node-bindings-linux-x64',
  'detect-libc',
];

async function copyPackageFiles(out: string): Promise<void> {
  for (const name of NATIVE)
    await cp(packageDir(name), path.join(out, 'node_modules', name), { recursive: true });
  for (const { pkg, path: inPackage } of VENDORED_SOURCES) {
    const from = packageDir(pkg);
    const to = path.join(out, 'node_modules', pkg);
    await cp(path.join(from, 'package.json'), path.join(to, 'package.json'));
    await cp(path.join(from, inPackage), path.join(to, inPackage), { recursive: true });
  }
}

async function folderBytes(dir: string): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Build every artefact into `outDir` (emptied first); returns each one's unzipped size in bytes. */
export async function buildLambdaArtefacts(
  outDir = path.join(packageRoot, 'dist', 'lambdas'),
): Promise<Record<LambdaName, number>> {
  await rm(outDir, { recursive: true, force: true });
  const sizes = {} as Record<LambdaName, number>;
  for (const name of LAMBDAS) {
    const out = path.join(outDir, name);
    await mkdir(out, { recursive: true });
    await build({
      entryPoints: [path.join(packageRoot, 'lambdas', `${name}.ts`)],
      outfile: path.join(out, 'bundle', 'index.mjs'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      external: NATIVE,
      // CommonJS dependencies (exceljs, parts of the AWS SDK) call require(): give ESM one.
      banner: {
        js: "import { createRequire as rotascopeRequire } from 'node:module'; const require = rotascopeRequire(import.meta.url);",
      },
      legalComments: 'none',
      logLevel: 'warning',
    });
    for (const dir of RESOURCES)
      await cp(path.join(packageRoot, dir), path.join(out, dir), { recursive: true });
    await copyPackageFiles(out);
    await writeFile(path.join(out, 'package.json'), '{ "type": "module" }\n');
    sizes[name] = await folderBytes(out);
  }
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildLambdaArtefacts(process.argv[2]);
  for (const [name, bytes] of Object.entries(sizes))
    console.log(`${name}: ${(bytes / 1e6).toFixed(1)} MB unzipped (Lambda limit 250 MB)`);
}
