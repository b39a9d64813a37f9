/**
 * Raw and curated stores for integration tests: temp folders, or buckets on s3rver (127.0.0.1),
 * and ingest into them.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DuckDbEngine } from '../../src/engine/duckdb-engine.js';
import type { DateWindow } from '../../src/ingest/date-window.js';
import { type IngestSummary, ingestAll } from '../../src/ingest/ingest-all.js';
import { KeyFileSecrets } from '../../src/ingest/pseudonymise.js';
import { packageRoot } from '../../src/package-root.js';
import { LocalFolderStore } from '../../src/store/local-folder-store.js';
import type { ObjectStore } from '../../src/store/object-store.js';
import { S3Store } from '../../src/store/s3-store.js';
import { bundledReference } from './reference.js';
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

/** The hand-made U60865 exports in test/fixtures/exports, by the raw key each is uploaded as. */
export const U60865_EXPORTS = {
  shifts: ['generic/U60865/shifts/2026-11-09.csv', 'u60865-shifts.csv'],
  amended: ['generic/U60865/shifts/2026-11-09_amended.csv', 'u60865-shifts-amended.csv'],
  availability: ['generic/U60865/availability/2026-11-09.csv', 'u60865-availability.csv'],
  /** Three ARRS-funded clinical pharmacist shifts, three clinicians (not suppressed at k = 3). */
  arrs: ['generic/U60865/shifts/2026-11-09_arrs.csv', 'u60865-shifts-arrs.csv'],
} as const;

/** Upload some of the U60865 fixture exports into the test stores' raw area. */
export async function putU60865Exports(
  stores: TestStores,
  which: readonly (keyof typeof U60865_EXPORTS)[],
): Promise<void> {
  const folder = path.join(import.meta.dirname, '..', 'fixtures', 'exports');
  for (const name of which) {
    const [key, file] = U60865_EXPORTS[name];
    await stores.raw.put(key, await readFile(path.join(folder, file)));
  }
}

/**
 * Ingest everything in the test stores' raw area with real DuckDB, the bundled reference data, a
 * key file in the scratch folder and a fixed clock.
 */
export async function ingestTestStores(
  stores: TestStores,
  engine: DuckDbEngine,
  options: {
    at?: string;
    force?: boolean;
    mappingsDir?: string;
    extraNetworks?: string[];
    prefix?: string;
    dateWindow?: DateWindow;
    stageInTablesUpTo?: number;
    batchFiles?: number;
    writeRows?: number;
  } = {},
): Promise<IngestSummary> {
  return ingestAll({
    engine,
    raw: stores.raw,
    curated: stores.curated,
    secrets: new KeyFileSecrets(path.join(stores.dir, 'key')),
    reference: await bundledReference(),
    mappingsDir: options.mappingsDir ?? path.join(packageRoot, 'mappings'),
    clock: fixedClock(options.at ?? '2026-11-16T09:00:00Z'),
    force: options.force ?? false,
    ...(options.dateWindow ? { dateWindow: options.dateWindow } : {}),
    extraNetworks: options.extraNetworks ?? [],
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.stageInTablesUpTo === undefined
      ? {}
      : { stageInTablesUpTo: options.stageInTablesUpTo }),
    ...(options.batchFiles === undefined ? {} : { batchFiles: options.batchFiles }),
    ...(options.writeRows === undefined ? {} : { writeRows: options.writeRows }),
  });
}

/**
 * Every curated object of the test stores, keyed by its key: Parquet as base64, manifests as
 * JSON without `seconds` (the time a file took), to compare two ingests byte for byte.
 */
export async function curatedSnapshot(stores: TestStores): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const { key } of await stores.curated.list()) {
    const bytes = Buffer.from(await stores.curated.get(key));
    if (key.endsWith('.json')) {
      const { seconds: _seconds, ...manifest } = JSON.parse(bytes.toString('utf8'));
      out.set(key, JSON.stringify(manifest));
    } else {
      out.set(key, bytes.toString('base64'));
    }
  }
  return out;
}

/**
 * A local test store and an in-memory DuckDB engine for a test file: opened before its tests
 * (and handed to `opened`, to keep in the file's own variables), closed after them.
 */
export function useStoresAndEngine(
  opened: (parts: { stores: TestStores; engine: DuckDbEngine }) => void,
): void {
  let parts: { stores: TestStores; engine: DuckDbEngine } | undefined;
  beforeAll(async () => {
    parts = { stores: await openTestStores('local'), engine: await DuckDbEngine.open() };
    opened(parts);
  });
  afterAll(async () => {
    await parts?.engine.close();
    await parts?.stores.close();
  });
}
