/**
 * What an export's earlier ingests wrote, and removing what no longer holds. Two cases:
 * - the same export ingested again (`--force`, a newer mapping): its keys that this ingest did
 *   not write again (`deleteStaleKeys`);
 * - a changed export uploaded under the same name (a corrected rota re-sent as `week46.csv`):
 *   its bytes have a new curated hash, and the earlier version's shifts, rejects and manifest are
 *   deleted once the new version's are stored (`retireEarlierVersion`). Before, both versions
 *   counted: every shift twice in the data-quality counts, and for a shift both versions hold
 *   with one export time, either version's cost could win.
 * Which version of a key was ingested last is recorded under `sources/` (curated-layout.ts
 * `sourceVersionKey`), written after the manifest. Only data and rejects keys carrying the
 * version's own hash are ever deleted; never raw, never another export's.
 */
import { manifestKey, sourceVersionKey } from '../curated/curated-layout.js';
import type { ObjectStore } from '../store/object-store.js';
import { contentHash, shortHash } from './ingest-file.js';

/**
 * The JSON object stored at `key`: undefined when there is none, null when the object there is
 * not a JSON object (written by hand, or damaged).
 */
async function readJson(
  store: ObjectStore,
  key: string,
): Promise<Record<string, unknown> | null | undefined> {
  if (!(await store.exists(key))) return undefined;
  try {
    const value = JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

/**
 * The raw key the export with this curated hash was ingested from, as its manifest says;
 * undefined when there is no manifest, null when it names none (the export still counts as
 * ingested).
 */
export async function ingestedSourceFile(
  curated: ObjectStore,
  hash: string,
): Promise<string | null | undefined> {
  const manifest = await readJson(curated, manifestKey(hash));
  if (manifest === undefined) return undefined;
  return typeof manifest?.sourceFile === 'string' ? manifest.sourceFile : null;
}

/** The data and rejects keys an export's manifest lists as written for its curated hash. */
async function writtenKeys(curated: ObjectStore, hash: string): Promise<string[]> {
  const keys = (await readJson(curated, manifestKey(hash)))?.curatedKeys;
  if (!Array.isArray(keys)) return [];
  return keys.filter(
    (key): key is string =>
      typeof key === 'string' &&
      /^(shifts|availability|rejects)\//.test(key) &&
      key.includes(`/${hash}`),
  );
}

/** Delete the curated keys the file's previous ingest (its manifest) wrote and this one did not. */
export async function deleteStaleKeys(
  curated: ObjectStore,
  hash: string,
  written: readonly string[],
): Promise<void> {
  const keep = new Set(written);
  for (const stale of await writtenKeys(curated, hash)) {
    if (!keep.has(stale)) await curated.delete(stale);
  }
}

const versionKey = (rawKey: string) =>
  sourceVersionKey(shortHash(contentHash(new TextEncoder().encode(rawKey))));

/** The curated hash of the version of `rawKey` ingested last, if recorded. */
export async function ingestedVersion(
  curated: ObjectStore,
  rawKey: string,
): Promise<string | undefined> {
  const record = await readJson(curated, versionKey(rawKey));
  return record?.sourceFile === rawKey && typeof record.hash === 'string' ? record.hash : undefined;
}

/**
 * Delete what an earlier version of `rawKey` wrote (its data, rejects and manifest) when the
 * version ingested last was not `hash`. Returns the hash retired, if any.
 */
export async function retireEarlierVersion(
  curated: ObjectStore,
  rawKey: string,
  hash: string,
): Promise<string | undefined> {
  const earlier = await ingestedVersion(curated, rawKey);
  if (earlier === undefined || earlier === hash) return undefined;
  // Deleting a missing key is no error (S3 and the folder store), and ingest may not read the
  // data prefixes, so nothing is checked first. The manifest goes last.
  for (const key of await writtenKeys(curated, earlier)) await curated.delete(key);
  await curated.delete(manifestKey(earlier));
  return earlier;
}

/** Record `hash` as the version of `rawKey` ingested last. */
export async function recordVersion(
  curated: ObjectStore,
  rawKey: string,
  hash: string,
): Promise<void> {
  await curated.put(
    versionKey(rawKey),
    `${JSON.stringify({ sourceFile: rawKey, hash })}\n`,
    'application/json',
  );
}
