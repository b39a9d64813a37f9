/**
 * Where the object store lives, as configuration, and `openStore`, which builds the adapter for it.
 */

import { LocalFolderStore } from './local-folder-store.js';
import type { ObjectStore } from './object-store.js';
import { createS3Client, S3Store } from './s3-store.js';

export type StoreLocation =
  | { kind: 'local'; root: string }
  | { kind: 's3'; bucket: string; prefix?: string; region: string; endpoint?: string };

/** A custom endpoint (an S3-compatible server) is addressed path-style: bucket in the path. */
export function openStore(location: StoreLocation): ObjectStore {
  switch (location.kind) {
    case 'local':
      return new LocalFolderStore(location.root);
    case 's3': {
      const client = createS3Client({
        region: location.region,
        ...(location.endpoint === undefined
          ? {}
          : { endpoint: location.endpoint, forcePathStyle: true }),
      });
      return new S3Store({
        client,
        bucket: location.bucket,
        ...(location.prefix === undefined ? {} : { prefix: location.prefix }),
      });
    }
  }
}
