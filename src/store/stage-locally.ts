/**
 * A local folder holding the objects under a prefix, for tools that read files (DuckDB cannot read
 * S3 here: httpfs is unavailable). A folder store hands over its own folder; any other store's
 * objects are downloaded through the store, keeping their layout relative to the prefix.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertSafeKey, type ObjectStore } from './object-store.js';

/** Downloads in flight at once. */
const CONCURRENCY = 8;

/**
 * Returns a folder whose files mirror the objects under `prefix` ('' or ending in `/`): object
 * `<prefix>a/b.parquet` is `<folder>/a/b.parquet`. Remote objects are written into `tmpDir`, which
 * the caller creates and removes. A folder store's folder is returned in place and may not exist
 * when the prefix holds nothing.
 */
export async function stageLocally(
  store: ObjectStore,
  prefix: string,
  tmpDir: string,
): Promise<string> {
  if (prefix !== '' && !prefix.endsWith('/')) {
    throw new Error(`Can only stage a folder-like prefix ('' or ending in /), not ${prefix}`);
  }
  if (store.localPath) return store.localPath(prefix);

  const objects = await store.list(prefix);
  const relativeKeys = objects.map(({ key }) => {
    const relative = key.slice(prefix.length);
    assertSafeKey(relative);
    return relative;
  });
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < relativeKeys.length; index = next++) {
      const relative = relativeKeys[index] as string;
      const target = path.join(tmpDir, ...relative.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await store.get(prefix + relative));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, relativeKeys.length) }, worker));
  return tmpDir;
}
