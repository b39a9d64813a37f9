/**
 * S3Store against a real S3 protocol server (s3rver) on 127.0.0.1: round trips (including a
 * multipart upload), paging past 1,000 keys, exists, missing keys, deletePrefix in batches, store
 * key prefixes, openStore, and stageLocally downloading into a temp folder.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ObjectNotFoundError } from '../../../src/errors.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { openStore } from '../../../src/store/open-store.js';
import { S3Store } from '../../../src/store/s3-store.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { expectConditionalWrites } from '../../helpers/conditional-writes.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';

const BUCKET = 'rotascope-test';
const MiB = 1024 * 1024;

let s3: RunningS3rver;
let store: S3Store;

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  store = new S3Store({ client: s3.client, bucket: BUCKET });
});

afterAll(async () => {
  await s3?.stop();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Records the name of every command the client sends until `stop()`. */
function recordCommands(client: S3Client): { names: string[]; stop(): void } {
  const names: string[] = [];
  const name = `record-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      names.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { names, stop: () => client.middlewareStack.remove(name) };
}

/** Puts tiny objects with at most `concurrency` requests in flight. */
async function putMany(target: ObjectStore, keys: string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < keys.length; index = next++) {
      await target.put(keys[index] as string, String(index));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function numberedKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}.txt`);
}

describe('S3Store on s3rver', () => {
  it('round-trips text and binary bodies', async () => {
    // Prepare
    const binary = new Uint8Array(256).map((_, i) => i);

    // Act
    await store.put('raw/F84698/rota.csv', 'shift_id,cost\n1,£120.50\n', 'text/csv');
    await store.put('curated/bytes.bin', binary, 'application/octet-stream');

    // Assess
    const text = new TextDecoder().decode(await store.get('raw/F84698/rota.csv'));
    expect(text).toBe('shift_id,cost\n1,£120.50\n');
    expect(Buffer.from(await store.get('curated/bytes.bin')).equals(Buffer.from(binary))).toBe(
      true,
    );
    expect(store.description).toBe(`s3://${BUCKET}/`);
  });

  it('uploads a 9 MiB body in parts and reads it back intact', async () => {
    // Prepare
    const big = new Uint8Array(9 * MiB);
    for (let i = 0; i < big.length; i += 1) big[i] = (i * 31 + (i >>> 12)) & 0xff;
    const recorder = recordCommands(s3.client);

    // Act
    await store.put('curated/big.bin', big);
    recorder.stop();
    const back = await store.get('curated/big.bin');

    // Assess
    expect(recorder.names).toContain('CreateMultipartUploadCommand');
    expect(recorder.names.filter((n) => n === 'UploadPartCommand')).toHaveLength(2);
    expect(back.byteLength).toBe(big.byteLength);
    expect(Buffer.from(back).equals(Buffer.from(big))).toBe(true);
    expect(await store.list('curated/big')).toMatchObject([
      { key: 'curated/big.bin', size: 9 * MiB },
    ]);
  });

  it('creates, replaces and deletes an object only on its condition, one caller winning', async () => {
    // s3rver ignores these headers; test/helpers/s3rver.ts applies S3's documented rules.
    await expectConditionalWrites(store, 'site/publish.lock');
  });

  it('tells whether an object exists', async () => {
    // Prepare
    await store.put('exists/here.txt', 'here');

    // Act
    const results = await Promise.all([
      store.exists('exists/here.txt'),
      store.exists('exists/absent.txt'),
      store.exists('exists'),
    ]);

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('throws ObjectNotFoundError for a missing key', async () => {
    // Act
    const attempt = store.get('raw/nowhere.csv');

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(attempt).rejects.toMatchObject({ key: 'raw/nowhere.csv' });
  });

  it('rejects unsafe keys before calling S3', async () => {
    // Prepare
    const recorder = recordCommands(s3.client);

    // Act
    const results = await Promise.allSettled(
      ['../x', '/abs', 'a//b', 'a\\b'].flatMap((key) => [store.put(key, 'x'), store.get(key)]),
    );
    recorder.stop();

    // Assess
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(recorder.names).toEqual([]);
  });

  describe('with 1,050 objects under one prefix (more than one page)', () => {
    // Seeded once: a thousand puts take seconds on s3rver. The listing test reads, then the
    // deletion test removes them.
    const keys = numberedKeys('bulk/', 1050);

    beforeAll(async () => {
      await putMany(store, keys);
      await store.put('bulk-keep/index.html', 'keep');
    });

    it('lists every key across pages, sorted and prefix-filtered', async () => {
      // Prepare
      const firstPage = await s3.client.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'bulk/' }),
      );
      const recorder = recordCommands(s3.client);

      // Act
      const listed = await store.list('bulk/');
      recorder.stop();

      // Assess
      expect(firstPage.IsTruncated).toBe(true);
      expect(firstPage.KeyCount).toBe(1000);
      expect(recorder.names).toEqual(['ListObjectsV2Command', 'ListObjectsV2Command']);
      expect(listed.map((o) => o.key)).toEqual(keys);
      expect(listed[1049]).toMatchObject({ key: 'bulk/1049.txt', size: 4 });
    });

    it('deletes every object under the prefix in batches of 1,000, and nothing else', async () => {
      // Prepare
      const recorder = recordCommands(s3.client);

      // Act
      await store.deletePrefix('bulk/');
      recorder.stop();

      // Assess
      expect(recorder.names.filter((n) => n === 'DeleteObjectsCommand')).toHaveLength(2);
      expect(await store.list('bulk/')).toEqual([]);
      expect((await store.list('bulk')).map((o) => o.key)).toEqual(['bulk-keep/index.html']);
    });
  });

  it('refuses to delete with an empty prefix', async () => {
    // Act
    const attempt = store.deletePrefix('');

    // Assess
    await expect(attempt).rejects.toThrow(/give a prefix/);
  });

  it('keeps stores with different key prefixes apart', async () => {
    // Prepare
    const networkA = new S3Store({ client: s3.client, bucket: BUCKET, prefix: 'tenants/U60865' });
    const networkB = new S3Store({ client: s3.client, bucket: BUCKET, prefix: 'tenants/U12345/' });

    // Act
    await networkA.put('raw/rota.csv', 'A');
    await networkB.put('raw/rota.csv', 'B');
    await networkA.deletePrefix('raw/');

    // Assess
    expect(networkA.description).toBe(`s3://${BUCKET}/tenants/U60865/`);
    expect(await networkA.exists('raw/rota.csv')).toBe(false);
    expect(new TextDecoder().decode(await networkB.get('raw/rota.csv'))).toBe('B');
    expect(await networkB.list()).toMatchObject([{ key: 'raw/rota.csv', size: 1 }]);
    expect((await store.list('tenants/')).map((o) => o.key)).toEqual([
      'tenants/U12345/raw/rota.csv',
    ]);
  });

  it('is what openStore builds for an s3 location with an endpoint', async () => {
    // Prepare
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    const opened = openStore({
      kind: 's3',
      bucket: BUCKET,
      prefix: 'opened',
      region: 'eu-west-2',
      endpoint: s3.endpoint,
    });

    // Act
    await opened.put('a.txt', 'via openStore');

    // Assess
    expect(opened).toBeInstanceOf(S3Store);
    expect(opened.localPath).toBeUndefined();
    expect(new TextDecoder().decode(await store.get('opened/a.txt'))).toBe('via openStore');
  });

  it('stages the objects under a prefix into a temp folder, keeping their layout', async () => {
    // Prepare
    await store.put('curated/shifts/week=2024-06-03/part-0.parquet', 'p0');
    await store.put('curated/shifts/week=2024-06-10/part-0.parquet', 'p1');
    await store.put('curated/shifts/_manifest.json', '{}');
    await store.put('curated/availability/week=2024-06-03/part-0.parquet', 'av');
    const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-stage-'));

    try {
      // Act
      const folder = await stageLocally(store, 'curated/shifts/', tmpDir);

      // Assess
      expect(folder).toBe(tmpDir);
      expect((await readdir(folder, { recursive: true })).sort()).toEqual([
        '_manifest.json',
        'week=2024-06-03',
        path.join('week=2024-06-03', 'part-0.parquet'),
        'week=2024-06-10',
        path.join('week=2024-06-10', 'part-0.parquet'),
      ]);
      const second = path.join(folder, 'week=2024-06-10', 'part-0.parquet');
      expect(await readFile(second, 'utf8')).toBe('p1');
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
  });
});
