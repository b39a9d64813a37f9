/**
 * The Lambda handlers against s3rver on 127.0.0.1, with a real S3 event payload: an export
 * uploaded to raw -> ingest handler -> curated objects; publish handler -> site objects.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as ingestHandler } from '../../../lambdas/ingest.js';
import { handler as publishHandler } from '../../../lambdas/publish.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';

const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures');
let s3: RunningS3rver;
let event: unknown;
let scratch: string;

beforeAll(async () => {
  s3 = await startS3rver(['raw', 'curated', 'site']);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'rotascope-lambda-'));
  vi.stubEnv('ROTASCOPE_RAW', 's3://raw');
  vi.stubEnv('ROTASCOPE_CURATED', 's3://curated');
  vi.stubEnv('ROTASCOPE_SITE', 's3://site');
  vi.stubEnv('ROTASCOPE_S3_ENDPOINT', s3.endpoint);
  vi.stubEnv('ROTASCOPE_PSEUDONYM_KEY_FILE', path.join(scratch, 'pseudonym.key'));
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.spyOn(console, 'log').mockImplementation(() => {});
  event = JSON.parse(
    await readFile(path.join(FIXTURES, 'events', 's3-object-created.json'), 'utf8'),
  );
  // The event's key is URL-encoded: "2026-11-09+export.csv" is "2026-11-09 export.csv".
  await new S3Store({ client: s3.client, bucket: 'raw' }).put(
    'generic/U60865/shifts/2026-11-09 export.csv',
    await readFile(path.join(FIXTURES, 'exports', 'u60865-shifts.csv')),
  );
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await s3?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('Lambda handlers', () => {
  it('ingests the export named in an S3 event into the curated bucket', async () => {
    const result = await ingestHandler(event);
    expect(result).toEqual({ ingested: 1, skipped: 0, rowsIn: 14, accepted: 9, rejected: 5 });
    const curated = (await new S3Store({ client: s3.client, bucket: 'curated' }).list()).map(
      (o) => o.key.split('/')[0],
    );
    expect(new Set(curated)).toEqual(new Set(['shifts', 'rejects', 'ingests']));
  });

  it('refuses an event that is not an S3 object-created notification', async () => {
    await expect(ingestHandler({ Records: [] })).rejects.toThrow();
    await expect(ingestHandler({ detail: {} })).rejects.toThrow();
  });

  it('publishes the site into the site bucket', async () => {
    const result = await publishHandler({});
    expect(result).toMatchObject({ networks: 1, weeks: 3 });
    const site = (await new S3Store({ client: s3.client, bucket: 'site' }).list()).map(
      (o) => o.key,
    );
    expect(site).toContain('index.html');
    expect(site).toContain('networks/U60865/index.html');
    expect(site).toContain('assets/vega-embed.min.js');
  });
});
