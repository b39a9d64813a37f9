/**
 * Raw and curated stores for integration tests: temp folders, or buckets on s3rver (127.0.0.1).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFolderStore } from '../../src/store/local-folder-store.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { S3Store } from '../../src/store/s3-store.js';
import { startS3rver } from './s3rver.js';

export interface TestStores {
  kind: 'local' | 's3';
  raw: ObjectStore;
  curated: ObjectStore;
  /** A scratch folder (key files, temp output). */
  dir: string;
  close(): Promise<void>;
}

export async function openTestStores(kind: 'local' | 's3'): Promise<TestStores> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `rotascope-${kind}-`));
  if (kind === 'local') {
    return {
      kind,
      raw: new LocalFolderStore(path.join(dir, 'raw')),
      curated: new LocalFolderStore(path.join(dir, 'curated')),
      dir,
      close: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const s3 = await startS3rver(['raw', 'curated']);
  return {
    kind,
    raw: new S3Store({ client: s3.client, bucket: 'raw' }),
    curated: new S3Store({ client: s3.client, bucket: 'curated' }),
    dir,
    async close() {
      await s3.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
