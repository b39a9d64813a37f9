/**
 * Post-deploy smoke test of one stage (run by .github/workflows/deploy.yml after each deploy):
 *
 * 1. deletes the smoke export's previous ingest manifest from the curated bucket (ingest skips an
 *    export whose manifest exists, so without this a second run would wait for nothing), then
 *    uploads test/fixtures/exports/u60865-shifts.csv to the raw bucket as
 *    `generic/SMOKE/shifts/smoke-test.csv`: a network of its own, so every row is rejected
 *    (its rows say U60865) and no real network's figures change;
 * 2. waits, polling at a fixed interval up to a timeout, for the manifest
 *    (`ingests/<hash>.json`, the key ingest computes from the raw key and the bytes);
 * 3. GETs the site's index on the CloudFront domain without following redirects: the site is
 *    behind sign-in, so a deployed stage answers 302 to its Cognito sign-in domain.
 *
 * Bucket names and the domain come from the outputs file `cdk deploy --outputs-file` writes
 * (`RawBucketName`, `CuratedBucketName`, `SiteDomainName`, `SignInDomain` of the stack).
 *
 *   npm run smoke -- --outputs cdk-outputs.json --stack Rotascope-dev [--timeout 600] [--interval 10]
 */
import { readFile } from 'node:fs/promises';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { manifestKey } from '../src/curated/curated-layout.js';
import { contentHash, curatedHash } from '../src/ingest/ingest-file.js';

export const SMOKE_FIXTURE = new URL('../test/fixtures/exports/u60865-shifts.csv', import.meta.url);
/** The raw key of the smoke export: its own network folder, which no real network uses. */
export const SMOKE_KEY = 'generic/SMOKE/shifts/smoke-test.csv';

export interface SmokeArgs {
  outputsFile: string;
  stack: string;
  timeoutSeconds: number;
  intervalSeconds: number;
}

const USAGE =
  'usage: smoke-test --outputs <cdk outputs json> --stack <stack name> ' +
  '[--timeout <seconds, default 600>] [--interval <seconds, default 10>]';

/** Reads the command line; throws with the usage on anything missing, unknown or not a number. */
export function parseSmokeArgs(argv: readonly string[]): SmokeArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (!['--outputs', '--stack', '--timeout', '--interval'].includes(flag))
      throw new Error(`unknown argument ${flag}; ${USAGE}`);
    if (value === undefined || value.startsWith('--'))
      throw new Error(`${flag} needs a value; ${USAGE}`);
    values.set(flag, value);
  }
  const required = (flag: string) => {
    const value = values.get(flag);
    if (!value) throw new Error(`${flag} is required; ${USAGE}`);
    return value;
  };
  const seconds = (flag: string, fallback: number, max: number) => {
    const text = values.get(flag);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new Error(`${flag} must be a whole number of seconds from 1 to ${max}; got ${text}`);
    return n;
  };
  return {
    outputsFile: required('--outputs'),
    stack: required('--stack'),
    timeoutSeconds: seconds('--timeout', 600, 3600),
    intervalSeconds: seconds('--interval', 10, 300),
  };
}

export interface SmokeTargets {
  rawBucket: string;
  curatedBucket: string;
  siteDomain: string;
  signInDomain: string;
}

/** The stack's outputs the smoke test needs, from a `cdk deploy --outputs-file` JSON. */
export function targetsFrom(outputs: unknown, stack: string): SmokeTargets {
  const all = outputs as Record<string, Record<string, unknown> | undefined>;
  const mine = all?.[stack];
  if (!mine) throw new Error(`the outputs file has no stack ${stack}`);
  const get = (name: string) => {
    const value = mine[name];
    if (typeof value !== 'string' || value === '')
      throw new Error(`stack ${stack} has no output ${name}`);
    return value;
  };
  return {
    rawBucket: get('RawBucketName'),
    curatedBucket: get('CuratedBucketName'),
    siteDomain: get('SiteDomainName'),
    signInDomain: get('SignInDomain'),
  };
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Calls `check` until it returns true, `intervalMs` apart, for at most `timeoutMs`; returns the
 * number of checks made, or throws naming `what` when the time is up.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<number> {
  const sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    if (await check()) return attempt;
    const left = deadline - now();
    if (left <= 0)
      throw new Error(`timed out after ${options.timeoutMs / 1000} s waiting for ${what}`);
    await sleep(Math.min(options.intervalMs, left));
  }
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

export interface SmokeResult {
  manifestKey: string;
  checks: number;
  siteStatus: number;
}

/** Runs the smoke test against `targets` with this S3 client; throws on the first failure. */
export async function runSmokeTest(
  s3: S3Client,
  targets: SmokeTargets,
  wait: WaitOptions,
  fetchSite: typeof fetch = fetch,
): Promise<SmokeResult> {
  const body = new Uint8Array(await readFile(SMOKE_FIXTURE));
  const manifest = manifestKey(curatedHash(SMOKE_KEY, contentHash(body)));
  await s3.send(new DeleteObjectCommand({ Bucket: targets.curatedBucket, Key: manifest }));
  await s3.send(
    new PutObjectCommand({
      Bucket: targets.rawBucket,
      Key: SMOKE_KEY,
      Body: body,
      ContentType: 'text/csv',
    }),
  );
  const checks = await waitUntil(
    `s3://${targets.curatedBucket}/${manifest}`,
    () => exists(s3, targets.curatedBucket, manifest),
    wait,
  );
  const response = await fetchSite(`https://${targets.siteDomain}/index.html`, {
    redirect: 'manual',
  });
  const location = response.headers.get('location') ?? '';
  if (response.status !== 302 || !location.startsWith(`${targets.signInDomain}/`)) {
    throw new Error(
      `the site answered ${response.status} (location ${location || 'none'}); ` +
        `expected 302 to ${targets.signInDomain}/`,
    );
  }
  return { manifestKey: manifest, checks, siteStatus: response.status };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseSmokeArgs(process.argv.slice(2));
  const targets = targetsFrom(JSON.parse(await readFile(args.outputsFile, 'utf8')), args.stack);
  const s3 = new S3Client({});
  const result = await runSmokeTest(s3, targets, {
    timeoutMs: args.timeoutSeconds * 1000,
    intervalMs: args.intervalSeconds * 1000,
  });
  s3.destroy();
  console.log(
    `smoke test passed: ${result.manifestKey} after ${result.checks} check(s); ` +
      `site answered ${result.siteStatus} to sign-in`,
  );
}
