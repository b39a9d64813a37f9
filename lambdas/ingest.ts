/**
 * Ingest Lambda: an S3 ObjectCreated event on the raw bucket -> ingest exactly those exports.
 * Settings come from the environment (src/config.ts). Unreadable files fail the invocation so
 * the event is retried and, in the deployed stack, lands on the dead-letter queue.
 */
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { ingest, openRuntime, type Runtime } from '../src/pipeline.js';
import { objectKeys } from './events.js';

/** Kept for the container's life: one key read and one set of clients per container. */
let rt: Runtime | undefined;

export async function handler(event: unknown) {
  const keys = objectKeys(event);
  rt ??= openRuntime(loadConfig(process.env), systemClock, (message) => console.log(message));
  const summary = await ingest(rt, { keys });
  if (summary.failed.length > 0) {
    throw new Error(summary.failed.map((f) => f.reason).join('; '));
  }
  return {
    ingested: summary.ingested.length,
    skipped: summary.skipped.length,
    rowsIn: summary.rowsIn,
    accepted: summary.accepted,
    rejected: summary.rejected,
  };
}
