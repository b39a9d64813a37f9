/**
 * The conditional writes an ObjectStore promises (src/store/object-store.ts), checked the same way
 * for every adapter: the publish lock (src/site/site-versions.ts) is only as exclusive as these.
 */
import { expect } from 'vitest';
import { type ObjectStore, statObject } from '../../src/store/object-store.js';

export async function expectConditionalWrites(store: ObjectStore, key: string): Promise<void> {
  const text = async () => new TextDecoder().decode(await store.get(key));
  // Created once; a second create is refused and changes nothing.
  expect(await store.putIfAbsent(key, 'first')).toBe(true);
  expect(await store.putIfAbsent(key, 'second')).toBe(false);
  expect(await text()).toBe('first');
  const first = await statObject(store, key);
  expect(first).toBeDefined();
  // Replaced only while it is the version seen; of two who saw it, one wins.
  const both = await Promise.all([
    store.replaceIfMatch(key, first?.version ?? '', 'by A'),
    store.replaceIfMatch(key, first?.version ?? '', 'by B'),
  ]);
  expect(both.filter(Boolean)).toHaveLength(1);
  expect(await text()).toBe(both[0] ? 'by A' : 'by B');
  expect(await store.replaceIfMatch(key, first?.version ?? '', 'late')).toBe(false);
  // Deleted only while it is the version seen.
  expect(await store.deleteIfMatch(key, first?.version ?? '')).toBe(false);
  expect(await store.exists(key)).toBe(true);
  const now = await statObject(store, key);
  expect(await store.deleteIfMatch(key, now?.version ?? '')).toBe(true);
  expect(await store.exists(key)).toBe(false);
  // Nothing to replace or delete once gone.
  expect(await store.replaceIfMatch(key, now?.version ?? '', 'again')).toBe(false);
  expect(await store.deleteIfMatch(key, now?.version ?? '')).toBe(false);
  expect(await store.exists(key)).toBe(false);
}
