/**
 * Ingest's scratch folders. A CSV export is copied to a temp folder for DuckDB to read, raw
 * person ids included, so no such copy may outlive its run: each run's folder is named after its
 * process (`rotascope-ingest-<pid>-<random>`) and removed when the run ends (`finally`); the next
 * run removes any folder whose process is gone (a killed run); and the command line removes the
 * live ones on SIGINT or SIGTERM before it exits (installSignalCleanup, bin/rotascope.mjs).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'rotascope-ingest-';
const live = new Set<string>();

export async function makeIngestTempDir(root = os.tmpdir()): Promise<string> {
  await removeStaleIngestTempDirs(root);
  const dir = await mkdtemp(path.join(root, `${PREFIX}${process.pid}-`));
  live.add(dir);
  return dir;
}

export async function removeIngestTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  live.delete(dir);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An hour: a folder in the old unnamed form is stale once no run could still be using it. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

/**
 * Remove scratch folders left by runs that were killed: those whose process no longer runs, and
 * those without a process id (an older version's) last touched more than an hour ago. A folder
 * of a run still going (another terminal, the same Lambda container) is left alone.
 */
export async function removeStaleIngestTempDirs(root = os.tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || !entry.name.startsWith(PREFIX)) continue;
    const dir = path.join(root, entry.name);
    if (live.has(dir)) continue;
    const pid = /^rotascope-ingest-(\d+)-/.exec(entry.name)?.[1];
    let stale: boolean;
    if (pid !== undefined) stale = Number(pid) !== process.pid && !processIsAlive(Number(pid));
    else {
      const modified = await stat(dir).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      );
      stale = Date.now() - modified > LEGACY_STALE_MS;
    }
    if (stale) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      removed.push(dir);
    }
  }
  return removed;
}

/** Remove this process's scratch folders now (from a signal handler: synchronously). */
export function removeLiveIngestTempDirsSync(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * On SIGINT or SIGTERM: remove the live scratch folders, then exit as a signalled process would
 * (130 or 143). For the command line only; a Lambda's runtime ends the process its own way, and
 * the next invocation in the container removes what was left.
 */
export function installSignalCleanup(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      removeLiveIngestTempDirsSync();
      process.exit(code);
    });
  }
}
