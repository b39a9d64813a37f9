/**
 * What every step of an ingest run shares (ingest-all.ts builds it once per run): the engine and
 * stores, the mappings, the run's rules (extended hours, plausible dates), its scratch folder and
 * clock, and where the time went (`phases`, summed over the run's files).
 */
import { performance } from 'node:perf_hooks';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { ObjectStore } from '../store/object-store.js';
import type { DateWindow } from './date-window.js';
import type { MappingRegistry } from './mapping.js';
import type { Secrets } from './pseudonymise.js';
import type { ExtendedHoursWindow } from './session-rule.js';

export interface IngestContext {
  engine: DuckDbEngine;
  raw: ObjectStore;
  curated: ObjectStore;
  secrets: Secrets;
  mappings: MappingRegistry;
  /** When a source does not give the session type: the extended-hours windows. */
  extendedHours: readonly ExtendedHoursWindow[];
  /** Plausible shift dates (and availability weeks); outside: `date_out_of_range`. */
  dateWindow: DateWindow;
  tmpDir: string;
  now: () => Date;
  /** Exports up to this many bytes are staged in temp tables, larger ones through views. */
  stageInTablesUpTo?: number;
  /** Most files in one batch (ingest-batch.ts; default MAX_BATCH_FILES); 1 ingests file by file. */
  batchFiles?: number;
  /** Most accepted rows one write statement sorts and writes (write-curated.ts; default MAX_WRITE_ROWS). */
  writeRows?: number;
  /** Seconds spent in each phase, summed over the run's files (phaseLine in ingest-all.ts). */
  phases?: Map<IngestPhase, number>;
}

/** The phases of a file's ingest, in order. */
export const INGEST_PHASES = ['read', 'stage', 'check', 'write', 'store'] as const;
export type IngestPhase = (typeof INGEST_PHASES)[number];

/** Time `work` as `phase` of the run (ctx.phases), whether it succeeds or fails. */
export async function timed<T>(
  ctx: IngestContext,
  phase: IngestPhase,
  work: () => Promise<T>,
): Promise<T> {
  const t = performance.now();
  try {
    return await work();
  } finally {
    ctx.phases?.set(phase, (ctx.phases.get(phase) ?? 0) + (performance.now() - t) / 1000);
  }
}
