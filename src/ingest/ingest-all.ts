/**
 * Ingest every raw export not yet ingested. A file is "already ingested" when a manifest for its
 * content hash exists, so re-running is cheap and idempotent; `force` re-ingests everything.
 * Exports are read one by one and ingested in batches (ingest-batch.ts): files of one source
 * system and kind go through together, and what each file writes does not depend on its batch.
 * Whatever goes wrong with one file (it cannot be read, its mapping is wrong, the store or the
 * engine fails on it, even a broken invariant) is that file's failure, named with a one-line
 * reason; the others still go through. A key that is not where an export belongs is listed as
 * ignored with what was expected (raw-key.ts), except plain non-exports (`.DS_Store`, folders).
 */
import type { Clock } from '../clock.js';
import type { IngestManifest } from '../curated/ingest-manifest.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import {
  ConfigError,
  InvariantError,
  oneLineReason,
  printable,
  reasonLines,
  UnreadableExportError,
} from '../errors.js';
import type { Reference } from '../reference/organisations.js';
import type { ObjectStore } from '../store/object-store.js';
import { type DateWindow, DEFAULT_DATE_WINDOW } from './date-window.js';
import { ingestedSourceFile, retireEarlierVersion } from './earlier-outputs.js';
import { IngestBatch } from './ingest-batch.js';
import { INGEST_PHASES, type IngestPhase } from './ingest-context.js';
import { contentHash, curatedHash, type OpenedExport, openExport } from './ingest-file.js';
import { MappingRegistry } from './mapping.js';
import { prepareIngest } from './prepare-ingest.js';
import type { Secrets } from './pseudonymise.js';
import { isNotAnExport, whyNotRawKey } from './raw-key.js';
import {
  DEFAULT_EXTENDED_HOURS,
  type ExtendedHoursWindow,
  parseExtendedHours,
} from './session-rule.js';
import { makeIngestTempDir, removeIngestTempDir } from './temp-dirs.js';

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
  /** Plausible shift dates (default: 2015-01-01 to the export's date + 400 days). */
  dateWindow?: DateWindow;
  clock: Clock;
  /** PCN codes accepted though the reference data does not know them (config `extraNetworks`). */
  extraNetworks?: readonly string[];
  /** Only keys under this prefix (default: all). */
  prefix?: string;
  /** Exactly these keys (e.g. from an S3 event), instead of listing the store. */
  keys?: string[];
  force?: boolean;
  onProgress?: (message: string) => void;
  /** Where the run's scratch folder goes (default the system's temp folder; temp-dirs.ts). */
  tmpRoot?: string;
  /**
   * Exports up to this many bytes are staged in DuckDB temp tables, larger ones through views
   * (default STAGE_IN_TABLES_UP_TO, 4 MB); the curated output is the same either way.
   */
  stageInTablesUpTo?: number;
  /** Most files ingested in one DuckDB pass (default MAX_BATCH_FILES; 1: file by file). */
  batchFiles?: number;
  /**
   * Most accepted rows sorted and written by one statement (default MAX_WRITE_ROWS): a large
   * export is written a group of partitions at a time; the curated output is the same either way.
   */
  writeRows?: number;
  /** Filled with the seconds spent in each phase, summed over the files (see phaseLine). */
  phases?: Map<IngestPhase, number>;
}

/** A file that was not ingested, and why; the run went on with the others. */
export interface IngestFailure {
  key: string;
  /** One printable line naming the file and every problem (several joined with '; '). */
  reason: string;
  /**
   * The same as lines for a person: the first names the file and the problem, each further line
   * is one more problem (a mapping's schema problems, one per path).
   */
  lines: string[];
  /**
   * `unreadable`: the file (or its mapping) is at fault; `error`: anything else (the store, the
   * engine); `bug`: an invariant failed (conservation), to report.
   */
  kind: 'unreadable' | 'error' | 'bug';
}

/** A raw key that is not where ingest expects an export, and what was expected. */
export interface IgnoredKey {
  key: string;
  reason: string;
}

/** A key skipped because the same bytes were ingested under another name of its folder. */
export interface SameContent {
  key: string;
  /** The raw key the bytes were ingested as (this run's first, or the manifest's). */
  ingestedAs: string;
}

export interface IngestSummary {
  ingested: IngestManifest[];
  /** Keys already ingested (their bytes were, in this folder), in listed order. */
  skipped: string[];
  /** Those of `skipped` whose bytes were ingested under another name. */
  sameContent: SameContent[];
  failed: IngestFailure[];
  ignored: IgnoredKey[];
  rowsIn: number;
  accepted: number;
  rejected: number;
}

/** What a per-file error is, as a failure of that file. */
export function failureOf(key: string, error: unknown): IngestFailure {
  const kind =
    error instanceof UnreadableExportError || error instanceof ConfigError
      ? 'unreadable'
      : error instanceof InvariantError
        ? 'bug'
        : 'error';
  // Errors that are not ours (a DuckDB or store error) do not name the file: say which it was.
  const named = (text: string) => (kind === 'unreadable' ? text : `${printable(key)}: ${text}`);
  const [first = 'failed', ...more] = reasonLines(error);
  return { key, reason: named(oneLineReason(error)), lines: [named(first), ...more], kind };
}

/** Progress at least this often on a long run, besides every 20 files. */
const PROGRESS_EVERY_MS = 5_000;

export async function ingestAll(options: IngestOptions): Promise<IngestSummary> {
  const { engine, raw, curated, secrets, reference, clock, onProgress } = options;
  await prepareIngest(engine, reference, options.extraNetworks);
  const objects = options.keys
    ? options.keys.map((key) => ({ key }))
    : await raw.list(options.prefix ?? '');
  const summary: IngestSummary = {
    ingested: [],
    skipped: [],
    sameContent: [],
    failed: [],
    ignored: [],
    rowsIn: 0,
    accepted: 0,
    rejected: 0,
  };
  const tmpDir = await makeIngestTempDir(options.tmpRoot);
  const mappings = new MappingRegistry(options.mappingsDir);
  const ctx = {
    engine,
    raw,
    curated,
    secrets,
    mappings,
    extendedHours: options.extendedHours ?? parseExtendedHours(DEFAULT_EXTENDED_HOURS),
    dateWindow: options.dateWindow ?? DEFAULT_DATE_WINDOW,
    tmpDir,
    now: () => clock.now(),
    phases: options.phases ?? new Map<IngestPhase, number>(),
    ...(options.stageInTablesUpTo === undefined
      ? {}
      : { stageInTablesUpTo: options.stageInTablesUpTo }),
    ...(options.batchFiles === undefined ? {} : { batchFiles: options.batchFiles }),
    ...(options.writeRows === undefined ? {} : { writeRows: options.writeRows }),
  };
  let lastProgress = Date.now();
  let done = 0;
  const progress = () => {
    const now = Date.now();
    if (done % 20 !== 0 && done !== objects.length && now - lastProgress < PROGRESS_EVERY_MS)
      return;
    lastProgress = now;
    onProgress?.(
      `  ingest: ${done}/${objects.length} files (${summary.ingested.length} ingested, ` +
        `${summary.skipped.length} already ingested, ${summary.failed.length} failed, ${summary.ignored.length} ignored)`,
    );
  };
  // Results are reported in the order the keys were listed, whatever order they were ingested in.
  const order = new Map(objects.map(({ key }, i) => [key, i]));
  const fail = (key: string, error: unknown) => {
    // Whatever went wrong is this file's failure: named, and the run goes on.
    const failure = failureOf(key, error);
    summary.failed.push(failure);
    onProgress?.(`  ${failure.kind === 'bug' ? 'BUG' : 'failed'}: ${failure.reason}`);
    done += 1;
    progress();
  };
  const batch = new IngestBatch(ctx);
  /**
   * The curated hashes (ingest-file.ts curatedHash) this run has met, each with the key its bytes
   * were ingested as (this run's or the manifest's; null when the manifest names none).
   */
  const taken = new Map<string, string | null>();
  /** Keys skipped as a copy of an export this run took: the copy's key -> the first's. */
  const copies = new Map<string, string>();
  /** Keys skipped as the same content as another key: the skipped key -> its content's SHA-256. */
  const skippedContent = new Map<string, string>();
  const flush = async () => {
    for (const outcome of await batch.flush()) {
      if ('manifest' in outcome) {
        const { manifest } = outcome;
        summary.ingested.push(manifest);
        summary.rowsIn += manifest.rowsIn;
        summary.accepted += manifest.accepted;
        summary.rejected += manifest.rejected;
        done += 1;
        progress();
      } else fail(outcome.file.key, outcome.error);
    }
  };
  /**
   * The export at `key`, opened; undefined when it is already ingested. Its bytes live only while
   * it is opened (the opened export keeps its rows, and a batch lets those go once loaded).
   */
  const open = async (key: string): Promise<OpenedExport | undefined> => {
    const body = await raw.get(key);
    const sha256 = contentHash(body);
    const hash = curatedHash(key, sha256);
    // The same bytes twice in one folder (uploaded under two names, or a key listed twice)
    // are one export: the first of them is ingested, as when the second came in a later run.
    // Under another name, the skip says which: a person who renamed a file and uploaded it
    // again (or meant to upload a different week) sees it was not read.
    const known = taken.get(hash);
    const ingestedAs =
      known !== undefined || options.force ? known : await ingestedSourceFile(curated, hash);
    if (known === undefined) taken.set(hash, ingestedAs === undefined ? key : ingestedAs);
    else if (known !== null && known !== key) copies.set(key, known);
    if (ingestedAs === undefined) return openExport(ctx, key, body, sha256);
    if (ingestedAs !== null && ingestedAs !== key) {
      summary.sameContent.push({ key, ingestedAs });
      skippedContent.set(key, sha256);
      // The key now holds another upload's bytes: what its own earlier version wrote no longer
      // holds (the bytes count once, as the other upload).
      await retireEarlierVersion(curated, key, hash);
    }
    return undefined;
  };
  /** Open `key` and add it to the batch (flushing as needed), or count it as already ingested. */
  const take = async (key: string) => {
    try {
      const file = await open(key);
      if (!file) {
        summary.skipped.push(key);
        done += 1;
        progress();
        return;
      }
      if (!batch.accepts(file)) await flush();
      await batch.add(file);
      if (batch.full) await flush();
    } catch (error) {
      fail(key, error);
    }
  };
  /**
   * A key skipped as the same content as another whose content changed in this run: the other's
   * earlier version (these bytes) was retired as it was replaced, so these bytes count only if
   * this key is ingested now (before, its rows were lost until a later run; an audit found it).
   */
  const ingestOrphanedCopies = async () => {
    const nowHolds = new Map(summary.ingested.map((m) => [m.sourceFile, m.contentSha256]));
    const orphans = summary.sameContent.filter(({ key, ingestedAs }) => {
      const now = nowHolds.get(ingestedAs);
      return now !== undefined && now !== skippedContent.get(key);
    });
    if (orphans.length === 0) return;
    const keys = new Set(orphans.map((o) => o.key));
    summary.sameContent = summary.sameContent.filter((s) => !keys.has(s.key));
    summary.skipped = summary.skipped.filter((k) => !keys.has(k));
    done -= orphans.length;
    for (const { key } of orphans) {
      taken.delete(curatedHash(key, skippedContent.get(key) as string));
      copies.delete(key);
      await take(key);
    }
    await flush();
  };
  try {
    for (const { key } of batchOrder(objects)) {
      const notHere = isNotAnExport(key) ? undefined : whyNotRawKey(key);
      if (notHere !== undefined) summary.ignored.push({ key, reason: notHere });
      if (notHere !== undefined || isNotAnExport(key)) {
        done += 1;
        progress();
        continue;
      }
      await take(key);
    }
    await flush();
    await ingestOrphanedCopies();
    failCopiesOfFailures(summary, copies);
  } finally {
    await removeIngestTempDir(tmpDir);
  }
  const listed = (key: string) => order.get(key) ?? 0;
  summary.ingested.sort((a, b) => listed(a.sourceFile) - listed(b.sourceFile));
  summary.skipped.sort((a, b) => listed(a) - listed(b));
  summary.sameContent.sort((a, b) => listed(a.key) - listed(b.key));
  summary.failed.sort((a, b) => listed(a.key) - listed(b.key));
  return summary;
}

/**
 * A copy of an export this run could not ingest is no more ingested than it: moved from
 * `skipped` (and `sameContent`) to `failed`, with the first's reason. Known only once the run's
 * last batch is flushed: the first may fail in its batch after its copies were met.
 */
function failCopiesOfFailures(summary: IngestSummary, copies: ReadonlyMap<string, string>): void {
  const failed = new Map(summary.failed.map((f) => [f.key, f]));
  const moved = new Set<string>();
  for (const [key, first] of copies) {
    const failure = failed.get(first);
    if (!failure) continue;
    moved.add(key);
    const why = `${printable(key)}: not read, as it has the same content as ${printable(first)}, which failed`;
    summary.failed.push({
      key,
      kind: failure.kind,
      reason: `${why}: ${failure.reason}`,
      lines: [`${why}:`, ...failure.lines.map((line) => `    ${line}`)],
    });
  }
  summary.skipped = summary.skipped.filter((key) => !moved.has(key));
  summary.sameContent = summary.sameContent.filter((same) => !moved.has(same.key));
}

/**
 * The keys in the order they are ingested: grouped by source system and kind (the batches),
 * listed order within a group. Keys that are not exports keep their place among the rest.
 */
function batchOrder<T extends { key: string }>(objects: readonly T[]): T[] {
  const group = (key: string) => {
    const [source = '', , kind = ''] = key.split('/');
    return `${source}/${kind}`;
  };
  return objects
    .map((o, i) => ({ o, i, g: group(o.key) }))
    .sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : a.i - b.i))
    .map(({ o }) => o);
}

/** Where a run's ingest time went, from `IngestOptions.phases`: `read 1.0 s, stage 2.0 s, ...`. */
export function phaseLine(phases: ReadonlyMap<IngestPhase, number>): string {
  return INGEST_PHASES.map((p) => `${p} ${(phases.get(p) ?? 0).toFixed(1)} s`).join(', ');
}
