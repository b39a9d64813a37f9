/**
 * `npm run bench:lambda`: the cold start of the built ingest and publish Lambda bundles
 * (scripts/build-lambdas.ts), each figure from fresh `node` processes, as Lambda starts them:
 *
 * - module load: the time `import()` of `bundle/index.mjs` takes (what a cold start pays before the
 *   handler runs; node's own start-up excluded), RUNS processes per bundle;
 * - first invocation: in a fresh process, the first call of the handler against s3rver on
 *   127.0.0.1: ingest of one export (the fixture CSV; each run writes to its own curated bucket),
 *   then publish (metrics + site) of what the first ingest run wrote, FIRST_RUNS processes each.
 *
 * Prints min and median. With `--baseline <artefacts dir>` (an earlier `npm run build:lambdas --
 * <dir>`, e.g. built from the previous commit) the same figures are measured for that build in
 * the same run, alternating, so both see the same machine load.
 *
 *   npm run bench:lambda -- [--baseline <dir>] [--runs N] [--first-runs N]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { buildLambdaArtefacts } from '../scripts/build-lambdas.js';
import { packageRoot } from '../src/package-root.js';
import { S3Store } from '../src/store/s3-store.js';
import { startS3rver } from '../test/helpers/s3rver.js';

const run = promisify(execFile);
/** The bundles run in plain node: without the legacy OpenSSL provider s3rver needs here. */
const { NODE_OPTIONS: _, ...plainEnv } = process.env;

function option(name: string, fallback: string | undefined): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
}
const baseline = option('--baseline', undefined);
const RUNS = Number(option('--runs', '15'));
const FIRST_RUNS = Number(option('--first-runs', '3'));

const FIXTURES = path.join(packageRoot, 'test', 'fixtures');
const EXPORT_KEY = 'generic/U60865/shifts/2026-11-09 export.csv';

/** Milliseconds the `import()` of a bundle takes in a fresh node process. */
async function moduleLoad(bundle: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(performance.now() - t);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    env: plainEnv,
  });
  return Number(stdout.trim());
}

/** Milliseconds of the handler's first call on `event` in a fresh process (module load excluded). */
async function firstInvocation(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
): Promise<number> {
  const code = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const t = performance.now();
const result = await handler(${JSON.stringify(event)});
const ms = performance.now() - t;
if (result.batchItemFailures?.length) throw new Error(JSON.stringify(result));
console.log(ms);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
    env: { ...plainEnv, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return Number(stdout.trim().split('\n').at(-1));
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `${(sorted[0] ?? Number.NaN).toFixed(0)} / ${median.toFixed(0)} ms`;
}

const scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-bench-lambda-'));
const artefacts = path.join(scratch, 'artefacts');
const builds: [string, string][] = [['current', artefacts]];
if (baseline) builds.push(['baseline', path.resolve(baseline)]);
const curatedBuckets = builds.flatMap(([label]) =>
  Array.from({ length: FIRST_RUNS }, (_, i) => `curated-${label}-${i}`),
);
const [s3] = await Promise.all([
  startS3rver(['raw', 'site', ...curatedBuckets]),
  buildLambdaArtefacts(artefacts),
]);
try {
  const raw = new S3Store({ client: s3.client, bucket: 'raw' });
  await raw.put(EXPORT_KEY, await readFile(path.join(FIXTURES, 'exports', 'u60865-shifts.csv')));
  const notification = JSON.parse(
    await readFile(path.join(FIXTURES, 'events', 's3-object-created.json'), 'utf8'),
  );
  const sqsEvent = {
    Records: [{ messageId: 'm-1', body: JSON.stringify(notification), eventSource: 'aws:sqs' }],
  };
  const env = (curated: string) => ({
    ROTASCOPE_RAW: 's3://raw',
    ROTASCOPE_CURATED: `s3://${curated}`,
    ROTASCOPE_SITE: 's3://site',
    ROTASCOPE_S3_ENDPOINT: s3.endpoint,
    ROTASCOPE_PSEUDONYM_KEY_FILE: path.join(scratch, 'pseudonym.key'),
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const bundle = (dir: string, name: string) => path.join(dir, name, 'bundle', 'index.mjs');

  const record = (into: Record<string, number[]>, key: string, ms: number) => {
    into[key] = [...(into[key] ?? []), ms];
  };
  const load: Record<string, number[]> = {};
  for (let i = 0; i < RUNS; i++)
    for (const [label, dir] of builds)
      for (const name of ['ingest', 'publish'])
        record(load, `${name} (${label})`, await moduleLoad(bundle(dir, name)));
  const first: Record<string, number[]> = {};
  for (let i = 0; i < FIRST_RUNS; i++)
    for (const [label, dir] of builds) {
      const curated = `curated-${label}-${i}`;
      record(
        first,
        `ingest (${label})`,
        await firstInvocation(bundle(dir, 'ingest'), sqsEvent, env(curated)),
      );
      record(
        first,
        `publish (${label})`,
        await firstInvocation(bundle(dir, 'publish'), {}, env(curated)),
      );
    }
  console.log(`module load, min / median of ${RUNS} processes (node ${process.version}):`);
  for (const [key, times] of Object.entries(load)) console.log(`  ${key}: ${summary(times)}`);
  console.log(`first invocation after the load, min / median of ${FIRST_RUNS} processes:`);
  for (const [key, times] of Object.entries(first)) console.log(`  ${key}: ${summary(times)}`);
} finally {
  await s3.stop();
  await rm(scratch, { recursive: true, force: true });
}
