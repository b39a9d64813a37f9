/**
 * Build the Lambda artefacts the CDK stack deploys and the integration tests run:
 * `dist/lambdas/<name>/` for each pipeline handler in lambdas/ (ingest, publish), laid out like
 * the package so the code finds its files the same way it does from a checkout (`packageRoot`
 * is the artefact folder):
 *
 *   bundle/index.mjs        the handler, bundled by esbuild (ESM, Node 22, AWS SDK included), and
 *   bundle/chunks/          what it loads with import() when a request needs it (code splitting)
 *   queries/ mappings/ dashboards/ data/reference/ data/arrs/     read at run time
 *   node_modules/@duckdb/   DuckDB's Node API and its native binding for the architecture asked
 *                           for (not bundled: a .node file), with detect-libc, which the
 *                           binding loader needs
 *   node_modules/<vega, vega-embed, nhsuk-frontend>/  only the browser
 *                           builds and styles the site vendors into assets/
 *   build.json              the architecture and binding packaged (infra/lambda-architecture.ts):
 *                           synth refuses an artefact built for another architecture
 *
 * Runtime Node.js 22 on x86_64 (the default: the linux-x64 binding installed here and in CI) or
 * arm64 (`--architecture arm64`: the linux-arm64 binding, fetched once with `npm pack` into
 * `.cache/duckdb-bindings/` and checked against the integrity pinned in scripts/duckdb-binding.ts).
 *
 * and `dist/lambdas/edge-auth/`, the Lambda@Edge authoriser, which must stay small (a
 * viewer-request function's package may be 1 MB zipped) and has no environment:
 *
 *   bundle/index.js         the handler, bundled and minified (CommonJS, AWS SDK's SSM and S3 clients in)
 *   network-icbs.json       network -> ICB code from data/reference/ (the access rule needs it)
 *
 * The stack adds `edge-config.json` at synth (infra/edge-auth.ts).
 *
 *   npm run build:lambdas [-- [<out dir>] [--architecture x86_64|arm64 | --stage-config <JSON>]]
 */
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import {
  ARTEFACT_MANIFEST,
  type ArtefactManifest,
  DEFAULT_LAMBDA_ARCHITECTURE,
  duckdbBindingPackage,
  isLambdaArchitecture,
  LAMBDA_ARCHITECTURES,
  type LambdaArchitecture,
} from '../infra/lambda-architecture.js';
import { packageRoot } from '../src/package-root.js';
import { loadReference } from '../src/reference/organisations.js';
import { packageDir, VENDORED_SOURCES } from '../src/site/site-assets.js';
import { checkBindingPackage, type TarballFetcher, unpackArm64Binding } from './duckdb-binding.js';

export const LAMBDAS = ['ingest', 'publish'] as const;
export const EDGE_LAMBDA = 'edge-auth';
export type LambdaName = (typeof LAMBDAS)[number] | typeof EDGE_LAMBDA;

/** Package files read at run time, relative to the package root. */
const RESOURCES = [
  'queries',
  'mappings',
  'dashboards',
  path.join('data', 'reference'),
  // ARRS maximum reimbursable amounts, read by loadMetricParameters unless replaced.
  path.join('data', 'arrs'),
];
/** Loader packages left out of the bundle and copied whole (the native binding is added after). */
const LOADERS = ['@duckdb/node-api', '@duckdb/node-bindings', 'detect-libc'];
/** What esbuild leaves out of the bundle: the loaders and either architecture's binding. */
const NATIVE = [...LOADERS, ...LAMBDA_ARCHITECTURES.map(duckdbBindingPackage)];

/** Where the arm64 binding's tarball is kept between builds (not committed). */
export const DEFAULT_BINDING_CACHE = path.join(packageRoot, '.cache', 'duckdb-bindings');

export interface BuildOptions {
  /** The architecture the pipeline functions' DuckDB binding is packaged for (x86_64). */
  readonly architecture?: LambdaArchitecture;
  /** Where the arm64 binding's tarball is cached (`.cache/duckdb-bindings/`). */
  readonly bindingCache?: string;
  /** How the arm64 binding's tarball is fetched (npm pack; tests pass a local one). */
  readonly fetchTarball?: TarballFetcher;
}

/** The version of the native binding the installed loader (`@duckdb/node-bindings`) loads. */
async function loaderBindingVersion(arch: LambdaArchitecture): Promise<string> {
  const loader = JSON.parse(
    await readFile(path.join(packageDir('@duckdb/node-bindings'), 'package.json'), 'utf8'),
  ) as { optionalDependencies?: Record<string, string> };
  const version = loader.optionalDependencies?.[duckdbBindingPackage(arch)];
  if (!version) throw new Error(`@duckdb/node-bindings lists no ${duckdbBindingPackage(arch)}`);
  return version;
}

/**
 * Copies DuckDB's binding for `arch` into the artefact `out` (and checks it), and writes the
 * artefact's build.json. Returns what it packaged.
 */
export async function addDuckdbBinding(
  out: string,
  options: BuildOptions = {},
): Promise<ArtefactManifest> {
  const arch = options.architecture ?? DEFAULT_LAMBDA_ARCHITECTURE;
  const name = duckdbBindingPackage(arch);
  const version = await loaderBindingVersion(arch);
  const dest = path.join(out, 'node_modules', name);
  if (arch === 'arm64') {
    await unpackArm64Binding(
      dest,
      options.bindingCache ?? DEFAULT_BINDING_CACHE,
      version,
      undefined,
      options.fetchTarball,
    );
  } else {
    await cp(packageDir(name), dest, { recursive: true });
    await checkBindingPackage(dest, arch, version);
  }
  const manifest: ArtefactManifest = { architecture: arch, duckdbBinding: `${name}@${version}` };
  await writeFile(path.join(out, ARTEFACT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function copyPackageFiles(out: string, options: BuildOptions): Promise<void> {
  for (const name of LOADERS)
    await cp(packageDir(name), path.join(out, 'node_modules', name), { recursive: true });
  await addDuckdbBinding(out, options);
  for (const { pkg, path: inPackage } of VENDORED_SOURCES) {
    const from = packageDir(pkg);
    const to = path.join(out, 'node_modules', pkg);
    await cp(path.join(from, 'package.json'), path.join(to, 'package.json'));
    await cp(path.join(from, inPackage), path.join(to, inPackage), { recursive: true });
  }
}

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await filesOf(dir)) total += (await stat(file)).size;
  return total;
}

/** About what a zip of the folder weighs: each file deflated, as zip stores it. */
export async function deflatedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const file of await filesOf(dir)) total += deflateRawSync(await readFile(file)).length;
  return total;
}

/** Network (PCN) code -> ICB code for every network the reference data places in an ICB. */
export async function networkIcbs(): Promise<Record<string, string>> {
  const reference = await loadReference(path.join(packageRoot, 'data', 'reference'));
  const map: Record<string, string> = {};
  for (const [code, network] of [...reference.networks].sort(([a], [b]) => a.localeCompare(b)))
    if (network.icbCode) map[code] = network.icbCode;
  return map;
}

/** Builds the Lambda@Edge authoriser into `out` (emptied first). */
export async function buildEdgeArtefact(out: string): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: [path.join(packageRoot, 'lambdas', `${EDGE_LAMBDA}.ts`)],
    outfile: path.join(out, 'bundle', 'index.js'),
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
  });
  await writeFile(path.join(out, 'network-icbs.json'), `${JSON.stringify(await networkIcbs())}\n`);
}

/**
 * Bundle one pipeline handler into `bundleDir`: `index.mjs` and, with code splitting, the code
 * that the handler imports with `import()` (exceljs, vega, the Athena client, DuckDB, the site
 * build...) in `chunks/`, loaded only when a request needs it, so a cold start parses and runs
 * only what every request needs. Returns esbuild's metafile (what went into each output file).
 */
export async function buildHandlerBundle(name: string, bundleDir: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [path.join(packageRoot, 'lambdas', `${name}.ts`)],
    outdir: bundleDir,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: NATIVE,
    // CommonJS dependencies (exceljs, parts of the AWS SDK) call require(): give each ESM file one.
    banner: {
      js: "import { createRequire as rotascopeRequire } from 'node:module'; const require = rotascopeRequire(import.meta.url);",
    },
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return result.metafile;
}

/**
 * What loading `entry` (an output path in `metafile`) loads before any `import()` runs: the source
 * files bundled into it and into the chunks it imports statically, and the external packages they
 * import. Dynamically imported chunks are left out.
 */
export function loadedAtImport(metafile: Metafile, entry: string): string[] {
  const loaded = new Set<string>();
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    const file = metafile.outputs[output];
    if (!file) throw new Error(`${output} is not an output of this build`);
    for (const input of Object.keys(file.inputs)) loaded.add(input);
    for (const imported of file.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external) loaded.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(entry);
  return [...loaded].sort();
}

/** Build every artefact into `outDir` (emptied first); returns each one's unzipped size in bytes. */
const defaultOut = path.join(packageRoot, 'dist', 'lambdas');

export async function buildLambdaArtefacts(
  outDir = defaultOut,
  options: BuildOptions = {},
): Promise<Record<LambdaName, number>> {
  await rm(outDir, { recursive: true, force: true });
  const sizes = {} as Record<LambdaName, number>;
  for (const name of LAMBDAS) {
    const out = path.join(outDir, name);
    await mkdir(out, { recursive: true });
    await buildHandlerBundle(name, path.join(out, 'bundle'));
    for (const dir of RESOURCES)
      await cp(path.join(packageRoot, dir), path.join(out, dir), { recursive: true });
    await copyPackageFiles(out, options);
    await writeFile(path.join(out, 'package.json'), '{ "type": "module" }\n');
    sizes[name] = await folderBytes(out);
  }
  const edge = path.join(outDir, EDGE_LAMBDA);
  await buildEdgeArtefact(edge);
  sizes[EDGE_LAMBDA] = await folderBytes(edge);
  return sizes;
}

const USAGE = '[<out dir>] [--architecture x86_64|arm64 | --stage-config <stage config JSON>]';

/**
 * `[<out dir>] [--architecture x86_64|arm64 | --stage-config <JSON>]`: `--stage-config` takes the
 * architecture from a stage's configuration (its `architecture`, else the default), as the deploy
 * workflow passes each stage's ROTASCOPE_CONFIG_<STAGE>.
 */
export function parseBuildArguments(args: string[]): { outDir?: string; options: BuildOptions } {
  let outDir: string | undefined;
  let architecture: LambdaArchitecture | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (flag === '--architecture' || flag === '--stage-config') {
      const text = inline ?? args[++i];
      let value: unknown = text;
      if (flag === '--stage-config') {
        try {
          value = (JSON.parse(text ?? '') as { architecture?: unknown }).architecture;
        } catch {
          throw new Error('--stage-config must be the stage configuration as JSON');
        }
        value ??= DEFAULT_LAMBDA_ARCHITECTURE;
      }
      if (!isLambdaArchitecture(value)) {
        throw new Error(
          `${flag}: the architecture must be one of ${LAMBDA_ARCHITECTURES.join(', ')}`,
        );
      }
      architecture = value;
    } else if (arg.startsWith('-') || outDir !== undefined) {
      throw new Error(`Unexpected argument ${arg}: ${USAGE}`);
    } else outDir = arg;
  }
  return { outDir, options: architecture ? { architecture } : {} };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { outDir, options } = parseBuildArguments(process.argv.slice(2));
  const sizes = await buildLambdaArtefacts(outDir, options);
  const arch = options.architecture ?? DEFAULT_LAMBDA_ARCHITECTURE;
  for (const name of LAMBDAS)
    console.log(
      `${name} (${arch}): ${(sizes[name] / 1e6).toFixed(1)} MB unzipped (Lambda limit 250 MB)`,
    );
  const zipped = await deflatedBytes(path.join(outDir ?? defaultOut, EDGE_LAMBDA));
  console.log(
    `${EDGE_LAMBDA}: ${(zipped / 1e3).toFixed(0)} kB zipped (Lambda@Edge viewer-request limit 1 MB)`,
  );
}
