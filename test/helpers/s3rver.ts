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

/** The part of s3rver's API used here (the package ships no types). */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
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
