/**
 * A real S3 protocol server (s3rver) on 127.0.0.1, on a free port, storing into a fresh temp folder,
 * with a client configured for it. `stop()` closes the server and the client and removes the folder.
 * s3rver needs the OpenSSL legacy provider (`--openssl-legacy-provider`) for ListObjectsV2 paging.
 */
import { createCipheriv } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/store/s3-store.js';

/** A Koa context, as much of it as the conditional-request rules below read and set. */
interface KoaContext {
  method: string;
  path: string;
  status: number;
  type: string;
  body: unknown;
  get(header: string): string;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  /** Koa's middleware list (s3rver is a Koa app), composed when the server starts listening. */
  middleware: Middleware[];
  store: { getMetadata(bucket: string, key: string): Promise<{ etag?: string }> };
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface RunningS3rver {
  endpoint: string;
  client: S3Client;
  stop(): Promise<void>;
}

export async function startS3rver(buckets: string[]): Promise<RunningS3rver> {
  assertLegacyProvider();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'rotascope-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  server.middleware.unshift(conditionalRequests(server));
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = createS3Client({
    region: 'eu-west-2',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      try {
        await server.close();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/** s3rver encrypts ListObjectsV2 continuation tokens with DES; without it, paging fails with a 500. */
function assertLegacyProvider(): void {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch (error) {
    throw new Error(
      's3rver needs the OpenSSL legacy provider for ListObjectsV2 paging: run node with ' +
        'NODE_OPTIONS=--openssl-legacy-provider (vitest.config.ts sets it for forked workers)',
      { cause: error },
    );
  }
}

/**
 * S3's rules for conditional writes and deletes, which s3rver ignores (it would overwrite an
 * object on `If-None-Match: *`, hiding a lock that does not exclude): a PUT with `If-None-Match: *`
 * fails with 412 PreconditionFailed when the key exists; a PUT or DELETE with `If-Match: <ETag>`
 * fails with 412 when the object's ETag differs and 404 NoSuchKey when there is none (AWS S3 user
 * guide: "How to prevent object overwrites with conditional writes", "How to perform conditional
 * deletes"). Conditional requests run one at a time, so a check and its write are one step, as on S3.
 */
function conditionalRequests(server: S3rverServer): Middleware {
  let queue: Promise<void> = Promise.resolve();
  const unquote = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');
  return (ctx, next) => {
    const ifNoneMatch = ctx.get('if-none-match');
    const ifMatch = ctx.get('if-match');
    const [bucket = '', ...rest] = ctx.path.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    if (!['PUT', 'DELETE'].includes(ctx.method) || (!ifNoneMatch && !ifMatch) || key === '')
      return next();
    const fail = (status: number, code: string) => {
      ctx.status = status;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`;
    };
    const run = queue.then(async () => {
      const found = await server.store
        .getMetadata(decodeURIComponent(bucket), key)
        .catch(() => undefined);
      if (ctx.method === 'PUT' && ifNoneMatch === '*' && found)
        return fail(412, 'PreconditionFailed');
      if (ifMatch && !found) return fail(404, 'NoSuchKey');
      if (ifMatch && ifMatch !== '*' && unquote(ifMatch) !== unquote(found?.etag))
        return fail(412, 'PreconditionFailed');
      await next();
    });
    queue = run.catch(() => {});
    return run;
  };
}
