/**
 * The object store port: a flat key space of immutable-ish objects, as S3 has. Adapters: a local
 * folder (the embedded default) and S3. Keys use `/` separators and never start with `/`.
 */
export interface StoredObject {
  key: string;
  size: number;
  /**
   * Changes whenever the object is written again with other content, as listed (no read of the
   * object): S3's ETag; a file's size, modification time and inode (writes are a rename of a new
   * file, so every write gets a new inode). Used to notice a curated file rewritten under the same
   * key (compact-curated.ts). May also change when identical bytes are written again.
   */
  version: string;
}

export interface ObjectStore {
  /** A short human description, e.g. `local folder ./local/raw` or `s3://bucket`. */
  readonly description: string;
  get(key: string): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix?: string): Promise<StoredObject[]>;
  exists(key: string): Promise<boolean>;
  /** When the object was last written (S3 LastModified, a file's mtime). */
  modifiedAt(key: string): Promise<Date>;
  /** Delete every object under a prefix (used for derived areas such as the site, never raw). */
  deletePrefix(prefix: string): Promise<void>;
  /** Delete one object; no error when there is none. */
  delete(key: string): Promise<void>;
  /**
   * Write only if no object has the key: true when written, false when one was there already.
   * S3: a conditional PUT (`If-None-Match: *`); a folder: a hard link that fails if the name is
   * taken. Used for the publish lock (src/site/site-versions.ts).
   */
  putIfAbsent(key: string, body: Uint8Array | string, contentType?: string): Promise<boolean>;
  /**
   * Replace the object only if it is still the one listed with `version` (StoredObject.version):
   * true when replaced; false when it changed, or is gone, since. One step, so of two callers that
   * saw the same version only one succeeds. S3: a conditional PUT (`If-Match: <ETag>`); a folder:
   * the file renamed aside (which only one caller can do), its version checked, the new one linked
   * in. Used to take over a stale publish lock.
   */
  replaceIfMatch(
    key: string,
    version: string,
    body: Uint8Array | string,
    contentType?: string,
  ): Promise<boolean>;
  /**
   * Delete the object only if it is still the one listed with `version`: true when deleted, false
   * when it changed or is gone. S3: a conditional DELETE (`If-Match: <ETag>`). Used to release the
   * publish lock only while it is this publish's own.
   */
  deleteIfMatch(key: string, version: string): Promise<boolean>;
  /** Copy one object inside the store (server-side on S3). */
  copy(from: string, to: string): Promise<void>;
  /**
   * When the store is a folder on this machine, the folder holding `prefix`, so DuckDB can read
   * it in place; undefined for remote stores (callers then download, see `stageLocally`).
   */
  localPath?(prefix: string): string;
}

/** The listing entry of exactly `key` (its size and version), or undefined when there is none. */
export async function statObject(
  store: ObjectStore,
  key: string,
): Promise<StoredObject | undefined> {
  return (await store.list(key)).find((o) => o.key === key);
}

/** Reject keys that could escape a folder store or confuse S3 listings. */
export function assertSafeKey(key: string): void {
  if (
    key === '' ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.split('/').some((part) => part === '..' || part === '.' || part === '')
  ) {
    throw new Error(`Unsafe object key: ${JSON.stringify(key)}`);
  }
}
