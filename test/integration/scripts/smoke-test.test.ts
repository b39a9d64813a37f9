/**
 * The post-deploy smoke test (scripts/smoke-test.ts) against s3rver on 127.0.0.1 standing in for
 * the stage's buckets, with ingest played by the test (it writes the manifest after a few polls)
 * and the site's answer by a stub fetch. Nothing reaches AWS.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSmokeArgs,
  runSmokeTest,
  SMOKE_FIXTURE,
  SMOKE_KEY,
  type SmokeTargets,
  targetsFrom,
  waitUntil,
} from '../../../scripts/smoke-test.js';
import { manifestKey } from '../../../src/curated/curated-layout.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { contentHash, curatedHash } from '../../../src/ingest/ingest-file.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';
import { ingestTestStores, type TestStores } from '../../helpers/stores.js';

const targets: SmokeTargets = {
  rawBucket: 'raw',
  curatedBucket: 'curated',
  siteDomain: 'd111111abcdef8.cloudfront.net',
  signInDomain: 'https://rotascope-dev.auth.eu-west-2.amazoncognito.com',
};
const redirectToSignIn = async () =>
  new Response(null, {
    status: 302,
    headers: { location: `${targets.signInDomain}/oauth2/authorize?client_id=x` },
  });

describe('parseSmokeArgs', () => {
  it('reads the outputs file and stack, with 600 s and 10 s by default', () => {
    expect(parseSmokeArgs(['--outputs', 'o.json', '--stack', 'Rotascope-dev'])).toEqual({
      outputsFile: 'o.json',
      stack: 'Rotascope-dev',
      timeoutSeconds: 600,
      intervalSeconds: 10,
    });
    expect(
      parseSmokeArgs(['--stack', 'S', '--outputs', 'o', '--timeout', '90', '--interval', '3']),
    ).toMatchObject({ timeoutSeconds: 90, intervalSeconds: 3 });
  });

  it('refuses a missing stack, an unknown flag, a flag without value and a bad number', () => {
    expect(() => parseSmokeArgs(['--outputs', 'o.json'])).toThrow('--stack is required');
    expect(() => parseSmokeArgs(['--output', 'o.json'])).toThrow('unknown argument --output');
    expect(() => parseSmokeArgs(['--outputs', '--stack', 'S'])).toThrow('--outputs needs a value');
    expect(() => parseSmokeArgs(['--outputs', 'o', '--stack', 'S', '--timeout', '0'])).toThrow(
      '--timeout must be a whole number of seconds from 1 to 3600; got 0',
    );
    expect(() => parseSmokeArgs(['--outputs', 'o', '--stack', 'S', '--interval', '2.5'])).toThrow(
      '--interval must be',
    );
  });
});

describe('targetsFrom', () => {
  const outputs = {
    'Rotascope-dev': {
      RawBucketName: 'r',
      CuratedBucketName: 'c',
      SiteDomainName: 'd.cloudfront.net',
      SignInDomain: 'https://s',
    },
  };
  it('takes the four outputs of the named stack', () => {
    expect(targetsFrom(outputs, 'Rotascope-dev')).toEqual({
      rawBucket: 'r',
      curatedBucket: 'c',
      siteDomain: 'd.cloudfront.net',
      signInDomain: 'https://s',
    });
  });
  it('names the stack or output that is missing', () => {
    expect(() => targetsFrom(outputs, 'Rotascope-prod')).toThrow('no stack Rotascope-prod');
    const { SignInDomain: _, ...rest } = outputs['Rotascope-dev'];
    expect(() => targetsFrom({ S: rest }, 'S')).toThrow('stack S has no output SignInDomain');
  });
});

describe('waitUntil', () => {
  it('checks until true, sleeping the interval between checks', async () => {
    let clock = 0;
    const slept: number[] = [];
    let calls = 0;
    const attempts = await waitUntil('x', async () => ++calls === 4, {
      timeoutMs: 60_000,
      intervalMs: 10_000,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(attempts).toBe(4);
    expect(slept).toEqual([10_000, 10_000, 10_000]);
  });

  it('gives up at the timeout, the last sleep cut to what is left', async () => {
    let clock = 0;
    const slept: number[] = [];
    await expect(
      waitUntil('the manifest', async () => false, {
        timeoutMs: 25_000,
        intervalMs: 10_000,
        now: () => clock,
        sleep: async (ms) => {
          slept.push(ms);
          clock += ms;
        },
      }),
    ).rejects.toThrow('timed out after 25 s waiting for the manifest');
    expect(slept).toEqual([10_000, 10_000, 5_000]);
  });
});

describe('runSmokeTest against s3rver', () => {
  let s3: RunningS3rver;
  let manifest: string;
  let fixture: Uint8Array;
  beforeAll(async () => {
    s3 = await startS3rver(['raw', 'curated']);
    fixture = new Uint8Array(await readFile(SMOKE_FIXTURE));
    manifest = manifestKey(curatedHash(SMOKE_KEY, contentHash(fixture)));
  });
  afterAll(async () => {
    await s3.stop();
  });
  const put = (bucket: string, key: string, body: string | Uint8Array) =>
    s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  /** Plays ingest: writes the manifest during the `afterSleeps`-th wait. */
  const ingestAfter = (afterSleeps: number) => {
    let sleeps = 0;
    return async () => {
      if (++sleeps === afterSleeps) await put('curated', manifest, '{}');
    };
  };

  it('deletes the stale manifest, uploads the export and waits for the new one', async () => {
    await put('curated', manifest, '{"stale":true}');
    const result = await runSmokeTest(
      s3.client,
      targets,
      { timeoutMs: 5000, intervalMs: 1, sleep: ingestAfter(2) },
      redirectToSignIn,
    );
    expect(result).toEqual({ manifestKey: manifest, checks: 3, siteStatus: 302 });
    expect(manifest).toMatch(/^ingests\/[0-9a-f]{24}\.json$/);
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: 'raw', Key: SMOKE_KEY }));
    expect(await raw.Body?.transformToByteArray()).toEqual(fixture);
  }, 30_000);

  it('fails when the site does not redirect to sign-in', async () => {
    await expect(
      runSmokeTest(
        s3.client,
        targets,
        { timeoutMs: 5000, intervalMs: 1, sleep: ingestAfter(1) },
        async () => new Response('open to all', { status: 200 }),
      ),
    ).rejects.toThrow(
      `the site answered 200 (location none); expected 302 to ${targets.signInDomain}/`,
    );
  }, 30_000);

  it('times out when no manifest appears', async () => {
    await expect(
      runSmokeTest(s3.client, targets, { timeoutMs: 300, intervalMs: 50 }, redirectToSignIn),
    ).rejects.toThrow(`timed out after 0.3 s waiting for s3://curated/${manifest}`);
  }, 30_000);
});

describe('runSmokeTest with the real ingest', () => {
  let s3: RunningS3rver;
  let engine: DuckDbEngine;
  let stores: TestStores;
  beforeAll(async () => {
    s3 = await startS3rver(['raw', 'curated']);
    engine = await DuckDbEngine.open();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-smoke-'));
    stores = {
      kind: 's3',
      raw: new S3Store({ client: s3.client, bucket: 'raw' }),
      curated: new S3Store({ client: s3.client, bucket: 'curated' }),
      dir,
      close: () => rm(dir, { recursive: true, force: true }),
    };
  });
  afterAll(async () => {
    await engine?.close();
    await stores?.close();
    await s3?.stop();
  });

  it('finds the manifest ingest writes for the smoke export, which changes no network', async () => {
    let summary: IngestSummary | undefined;
    const result = await runSmokeTest(
      s3.client,
      targets,
      {
        timeoutMs: 60_000,
        intervalMs: 1,
        // Ingest runs while the smoke test waits, as the queued Lambda would.
        sleep: async () => {
          summary ??= await ingestTestStores(stores, engine);
        },
      },
      redirectToSignIn,
    );
    expect(result.checks).toBe(2);
    expect(summary?.ingested.map((m) => [m.rowsIn, m.accepted])).toEqual([[14, 0]]);
    expect(await stores.curated.list('shifts/')).toEqual([]);
  }, 120_000);
});
