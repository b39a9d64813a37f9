/**
 * Ingest every raw export not yet ingested. A file is "already ingested" when a manifest for its
 * content hash exists, so re-running is cheap and idempotent; `force` re-ingests everything.
 * A file that cannot be read is reported and left in place; the others still go through.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../clock.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { oneLineReason, UnreadableExportError } from '../errors.js';
import type { Reference } from '../reference/organisations.js';
import type { ObjectStore } from '../store/object-store.js';
import { manifestKey } from './curated-layout.js';
import { contentHash, curatedHash, type IngestManifest, ingestFile } from './ingest-file.js';
import { MappingRegistry } from './mapping.js';
import { prepareIngest } from './prepare-ingest.js';
import type { Secrets } from './pseudonymise.js';
import { parseRawKey } from './raw-key.js';
import {
  DEFAULT_EXTENDED_HOURS,
  type ExtendedHoursWindow,
  parseExtendedHours,
} from './session-rule.js';

export interface IngestOptions {
  engine: DuckDbEngine;
  raw: ObjectStore;
  curated: ObjectStore;
  secrets: Secrets;
  reference: Reference;
  /** Folder of source mappings (`<source_system>.json`) and their lookup tables. */
  mappingsDir: string;
  /** Extended-hours windows for sources that do not give a session type (default: DESIGN §3.1). */
  extendedHours?: readonly ExtendedHoursWindow[];
  clock: Clock;
  /** PCN codes accepted though the reference data does not know them (config `extraNetworks`). */
  extraNetworks?: readonly string[];
  /** Only keys under this prefix (default: all). */
  prefix?: string;
  /** Exactly these keys (e.g. from an S3 event), instead of listing the store. */
  keys?: string[];
  force?: boolean;
  onProgress?: (message: string) => void;
}

export interface IngestSummary {
  ingested: IngestManifest[];
  skipped: string[];
  failed: { key: string; reason: string }[];
  ignored: string[];
  rowsIn: number;
  accepted: number;
  rejected: number;
}

export async function ingestAll(options: IngestOptions): Promise<IngestSummary> {
  const { engine, raw, curated, secrets, reference, clock, onProgress } = options;
  await prepareIngest(engine, reference, options.extraNetworks);
  const objects = options.keys
    ? options.keys.map((key) => ({ key }))
    : await raw.list(options.prefix ?? '');
  const summary: IngestSummary = {
    ingested: [],
    skipped: [],
    failed: [],
    ignored: [],
    rowsIn: 0,
    accepted: 0,
    rejected: 0,
  };
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-ingest-'));
  const mappings = new MappingRegistry(options.mappingsDir);
  const ctx = {
    engine,
    raw,
    curated,
    secrets,
    mappings,
    extendedHours: options.extendedHours ?? parseExtendedHours(DEFAULT_EXTENDED_HOURS),
    tmpDir,
    now: () => clock.now(),
  };
  try {
    let done = 0;
    for (const { key } of objects) {
      done += 1;
      if (!parseRawKey(key)) {
        summary.ignored.push(key);
        continue;
      }
      const body = await raw.get(key);
      if (
        !options.force &&
        (await curated.exists(manifestKey(curatedHash(key, contentHash(body)))))
      ) {
        summary.skipped.push(key);
        continue;
      }
      try {
        const manifest = await ingestFile(ctx, key, body);
        summary.ingested.push(manifest);
        summary.rowsIn += manifest.rowsIn;
        summary.accepted += manifest.accepted;
        summary.rejected += manifest.rejected;
      } catch (error) {
        if (!(error instanceof UnreadableExportError)) throw error;
        summary.failed.push({ key, reason: oneLineReason(error) });
        onProgress?.(`  ! ${oneLineReason(error)}`);
      }
      if (done % 20 === 0 || done === objects.length)
        onProgress?.(`  ingest: ${done}/${objects.length} files`);
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  return summary;
}
