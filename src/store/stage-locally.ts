/**
 * Local files holding objects, for tools that read files (DuckDB cannot read S3 here: httpfs is
 * unavailable). A folder store hands over its own files; any other store's objects are downloaded
 * through the store, keeping their layout.
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
  const keys = (await store.list(prefix)).map(({ key }) => key);
  await download(
    store,
    keys.map((key) => [key, localFile(tmpDir, key.slice(prefix.length))]),
  );
  return tmpDir;
}

/**
 * A local file for each key, in the same order: a folder store's own files, or downloads written
 * under `tmpDir` at the key's path (`tmpDir/<key>`).
 */
export async function stageKeys(
  store: ObjectStore,
  keys: readonly string[],
  tmpDir: string,
): Promise<string[]> {
  const { localPath } = store;
  if (localPath) return keys.map((key) => localPath.call(store, key));
  const files = keys.map((key): [string, string] => [key, localFile(tmpDir, key)]);
  await download(store, files);
  return files.map(([, file]) => file);
}

function localFile(folder: string, relativeKey: string): string {
  assertSafeKey(relativeKey);
  return path.join(folder, ...relativeKey.split('/'));
}

async function download(store: ObjectStore, files: readonly [string, string][]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++) {
      const [key, target] = files[index] as [string, string];
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await store.get(key));
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
}
