/**
 * LocalFolderStore against real temp folders: round trips, listing order and filtering, atomic
 * writes, unsafe keys, missing keys, deletePrefix, and stageLocally handing back the folder itself.
 */
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectNotFoundError } from '../../../src/errors.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { openStore } from '../../../src/store/open-store.js';
import { stageLocally } from '../../../src/store/stage-locally.js';
import { expectConditionalWrites } from '../../helpers/conditional-writes.js';

let root: string;
let store: LocalFolderStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'rotascope-store-'));
  store = new LocalFolderStore(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('LocalFolderStore', () => {
  it('round-trips text and binary bodies, creating parent folders', async () => {
    // Prepare
    const binary = new Uint8Array([0, 1, 2, 254, 255]);

    // Act
    await store.put('raw/F84698/2024-06-03.csv', 'shift_id,start\n1,08:00\n', 'text/csv');
    await store.put('curated/shifts/part.bin', binary);

    // Assess
    const text = new TextDecoder().decode(await store.get('raw/F84698/2024-06-03.csv'));
    expect(text).toBe('shift_id,start\n1,08:00\n');
    expect(Array.from(await store.get('curated/shifts/part.bin'))).toEqual([0, 1, 2, 254, 255]);
    expect(await readFile(path.join(root, 'raw', 'F84698', '2024-06-03.csv'), 'utf8')).toContain(
      '1,08:00',
    );
  });

  it('overwrites an object and leaves no temp file behind', async () => {
    // Prepare
    await store.put('site/index.html', 'old');

    // Act
    await store.put('site/index.html', 'new');

    // Assess
    expect(new TextDecoder().decode(await store.get('site/index.html'))).toBe('new');
    expect(await readdir(path.join(root, 'site'))).toEqual(['index.html']);
  });

  it('lists every object recursively, sorted by key, with sizes', async () => {
    // Prepare
    await store.put('raw/b.csv', 'bb');
    await store.put('raw/a/z.csv', 'z');
    await store.put('curated/x.parquet', 'xyz');
    await store.put('raw/a.csv', 'a');

    // Act
    const all = await store.list();

    // Assess
    expect(all).toMatchObject([
      { key: 'curated/x.parquet', size: 3 },
      { key: 'raw/a.csv', size: 1 },
      { key: 'raw/a/z.csv', size: 1 },
      { key: 'raw/b.csv', size: 2 },
    ]);
  });

  it('filters a listing by prefix, folder-like or partial', async () => {
    // Prepare
    await store.put('raw/2024/a.csv', 'a');
    await store.put('raw/2025/b.csv', 'b');
    await store.put('raw-old/c.csv', 'c');
    await store.put('rejects/d.csv', 'd');

    // Act
    const folder = await store.list('raw/');
    const partial = await store.list('raw');
    const year = await store.list('raw/202');
    const none = await store.list('nothing/');

    // Assess
    expect(folder.map((o) => o.key)).toEqual(['raw/2024/a.csv', 'raw/2025/b.csv']);
    expect(partial.map((o) => o.key)).toEqual([
      'raw-old/c.csv',
      'raw/2024/a.csv',
      'raw/2025/b.csv',
    ]);
    expect(year.map((o) => o.key)).toEqual(['raw/2024/a.csv', 'raw/2025/b.csv']);
    expect(none).toEqual([]);
  });

  it('skips an interrupted write’s temp file when listing', async () => {
    // Prepare
    await store.put('raw/a.csv', 'a');
    await writeFile(path.join(root, 'raw', 'b.csv.0f8fad5b-d9cb-469f-a165-70867728950e.tmp'), 'b');

    // Act
    const listed = await store.list('raw/');

    // Assess
    expect(listed.map((o) => o.key)).toEqual(['raw/a.csv']);
  });

  it('lists a symlinked file but does not enter a symlinked folder', async () => {
    // Prepare: outside/ holds a file; the store links to the file and to the folder.
    const outside = await mkdtemp(path.join(os.tmpdir(), 'rotascope-outside-'));
    try {
      await writeFile(path.join(outside, 'x.csv'), 'xyz');
      await store.put('raw/a.csv', 'a');
      await symlink(path.join(outside, 'x.csv'), path.join(root, 'raw', 'linked.csv'));
      await symlink(outside, path.join(root, 'raw', 'linked-folder'));

      // Act
      const listed = await store.list('raw/');

      // Assess
      expect(listed).toMatchObject([
        { key: 'raw/a.csv', size: 1 },
        { key: 'raw/linked.csv', size: 3 },
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('creates, replaces and deletes an object only on its condition, one caller winning', async () => {
    await expectConditionalWrites(store, 'site/publish.lock');
    expect(await readdir(path.join(root, 'site'))).toEqual([]);
  });

  it('tells whether an object exists; a folder is not an object', async () => {
    // Prepare
    await store.put('raw/a/b.csv', 'b');

    // Act
    const results = await Promise.all([
      store.exists('raw/a/b.csv'),
      store.exists('raw/a/c.csv'),
      store.exists('raw/a'),
      store.exists('raw/a/b.csv/deeper'),
    ]);

    // Assess
    expect(results).toEqual([true, false, false, false]);
  });

  it('throws ObjectNotFoundError for a missing key or a folder', async () => {
    // Prepare
    await store.put('raw/a/b.csv', 'b');

    // Act
    const missing = store.get('raw/missing.csv');
    const folder = store.get('raw/a');

    // Assess
    await expect(missing).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(missing).rejects.toMatchObject({ key: 'raw/missing.csv' });
    await expect(folder).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it.each(['../x', '/abs', 'a//b', 'a\\b', 'a/./b', 'a/', ''])(
    'rejects the unsafe key %j',
    async (key) => {
      // Prepare
      const attempts = [store.put(key, 'x'), store.get(key), store.exists(key)];

      // Act
      const results = await Promise.allSettled(attempts);

      // Assess
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect(String((result as PromiseRejectedResult).reason)).toMatch(/Unsafe object key/);
      }
      expect(await readdir(root)).toEqual([]);
    },
  );

  it('rejects unsafe prefixes for list, deletePrefix and localPath', async () => {
    // Act
    const attempts = [store.list('../'), store.deletePrefix('../'), store.list('/abs')];

    // Assess
    for (const attempt of attempts) await expect(attempt).rejects.toThrow(/Unsafe object key/);
    expect(() => store.localPath('a//')).toThrow(/Unsafe object key/);
  });

  it('deletes every object under a prefix, and only those', async () => {
    // Prepare
    await store.put('site/index.html', 'i');
    await store.put('site/networks/U60865/index.html', 'n');
    await store.put('site-archive/2024.html', 'a');
    await store.put('raw/a.csv', 'r');

    // Act
    await store.deletePrefix('site/');

    // Assess
    expect((await store.list()).map((o) => o.key)).toEqual(['raw/a.csv', 'site-archive/2024.html']);
    expect((await readdir(root)).sort()).toEqual(['raw', 'site-archive']);
  });

  it('refuses to delete with an empty prefix', async () => {
    // Prepare
    await store.put('raw/a.csv', 'r');

    // Act
    const attempt = store.deletePrefix('');

    // Assess
    await expect(attempt).rejects.toThrow(/give a prefix/);
    expect(await store.exists('raw/a.csv')).toBe(true);
  });

  it('gives the absolute folder of a prefix', () => {
    // Act
    const folder = store.localPath('curated/shifts/');

    // Assess
    expect(path.isAbsolute(folder)).toBe(true);
    expect(path.relative(root, folder)).toBe(path.join('curated', 'shifts'));
    expect(store.description).toBe(`local folder ${root}`);
  });
});

describe('stageLocally with a folder store', () => {
  it('returns the store’s own folder without copying', async () => {
    // Prepare
    await store.put('curated/shifts/week=2024-06-03/a.parquet', 'p');
    const tmpDir = path.join(root, 'tmp');

    // Act
    const folder = await stageLocally(store, 'curated/shifts/', tmpDir);

    // Assess
    expect(folder).toBe(path.join(root, 'curated', 'shifts'));
    expect(await readFile(path.join(folder, 'week=2024-06-03', 'a.parquet'), 'utf8')).toBe('p');
    expect((await readdir(root)).sort()).toEqual(['curated']);
  });

  it('rejects a prefix that is not folder-like', async () => {
    // Act
    const attempt = stageLocally(store, 'curated/shi', root);

    // Assess
    await expect(attempt).rejects.toThrow(/folder-like prefix/);
  });
});

describe('stageLocally with a store that has no local folder', () => {
  /** Just enough of a remote store: a key listing and bodies, no localPath. */
  function remoteStore(objects: Record<string, string>): ObjectStore {
    const keys = Object.keys(objects).sort();
    return {
      description: 'in-memory',
      get: async (key) => new TextEncoder().encode(objects[key]),
      put: async () => {},
      list: async (prefix = '') =>
        keys.filter((k) => k.startsWith(prefix)).map((key) => ({ key, size: 1, version: '1' })),
      exists: async (key) => key in objects,
      modifiedAt: async () => new Date(0),
      deletePrefix: async () => {},
      delete: async () => {},
      putIfAbsent: async () => true,
      replaceIfMatch: async () => true,
      deleteIfMatch: async () => true,
      copy: async () => {},
    };
  }

  it('downloads the objects under the prefix into tmpDir, keeping their layout', async () => {
    // Prepare
    const remote = remoteStore({
      'curated/shifts/week=2024-06-03/a.parquet': 'a',
      'curated/shifts/week=2024-06-10/b.parquet': 'b',
      'curated/rejects/c.parquet': 'c',
    });

    // Act
    const folder = await stageLocally(remote, 'curated/shifts/', root);

    // Assess
    expect(folder).toBe(root);
    expect(await readFile(path.join(root, 'week=2024-06-10', 'b.parquet'), 'utf8')).toBe('b');
    expect((await readdir(root)).sort()).toEqual(['week=2024-06-03', 'week=2024-06-10']);
  });

  it('refuses a listed key that would land outside tmpDir', async () => {
    // Prepare
    const remote = remoteStore({ 'curated/shifts/../../../escaped.txt': 'x' });

    // Act
    const attempt = stageLocally(remote, 'curated/shifts/', root);

    // Assess
    await expect(attempt).rejects.toThrow(/Unsafe object key/);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('openStore', () => {
  it('opens a local location as a folder store', () => {
    // Act
    const opened = openStore({ kind: 'local', root });

    // Assess
    expect(opened).toBeInstanceOf(LocalFolderStore);
    expect(opened.localPath?.('raw/')).toBe(path.join(root, 'raw'));
  });
});
