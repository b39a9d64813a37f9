/**
 * Ingest Lambda: a batch of SQS messages, each an S3 ObjectCreated notification for the raw
 * bucket -> ingest exactly those exports, all of the batch's in one ingest run (batched: one
 * DuckDB pass per source system and kind). Each message succeeds or fails on its own: a message
 * whose export failed for any reason (unreadable, a wrong mapping, a store or engine error, a
 * broken invariant), whose key is not where an export belongs (ignored), or that is not a
 * notification is reported as a batch item failure (Powertools batch), so SQS retries only that
 * one and, after the queue's maxReceiveCount, moves it to the dead-letter queue (which alarms),
 * while the rest of the batch is done. Each failure is logged with every problem, one entry per line, and the key
 * escaped (printable). Folder markers and `.DS_Store`-like objects are not exports and pass.
 * Each invocation writes its business metrics (files ingested and failed, rows in, accepted and
 * rejected, summed over the batch) as one EMF line (business-metrics.ts), also when messages failed.
 * Settings come from the environment (src/config.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { z } from 'zod';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { oneLineReason, printable } from '../src/errors.js';
import type { IngestSummary } from '../src/ingest/ingest-all.js';
import { ingest, openRuntime, type Runtime } from '../src/pipeline.js';
import { addIngestMetrics, businessMetrics } from './business-metrics.js';
import { keysInMessage, SqsEventSchema } from './events.js';

type SqsRecord = z.infer<typeof SqsEventSchema>['Records'][number];

const logger = new Logger({ serviceName: 'rotascope-ingest' });
/** The business metrics, written as EMF (business-metrics.ts). */
const emf = businessMetrics('rotascope-ingest');

/** Kept for the container's life: one key read and one set of clients per container. */
let rt: Runtime | undefined;

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** The part of the batch's ingest run that concerns these keys (one message's). */
function summaryFor(whole: IngestSummary, keys: readonly string[]): IngestSummary {
  const mine = new Set(keys);
  const ingested = whole.ingested.filter((m) => mine.has(m.sourceFile));
  return {
    ingested,
    skipped: whole.skipped.filter((k) => mine.has(k)),
    sameContent: whole.sameContent.filter((d) => mine.has(d.key)),
    failed: whole.failed.filter((f) => mine.has(f.key)),
    ignored: whole.ignored.filter((i) => mine.has(i.key)),
    rowsIn: ingested.reduce((n, m) => n + m.rowsIn, 0),
    accepted: ingested.reduce((n, m) => n + m.accepted, 0),
    rejected: ingested.reduce((n, m) => n + m.rejected, 0),
  };
}

/** Log one message's outcome; throw (failing the message) if any of its exports failed or was ignored. */
function judgeMessage(keys: readonly string[], summary: IngestSummary): void {
  for (const failure of summary.failed) {
    logger.error(failure.kind === 'bug' ? 'export failed: a bug, please report' : 'export failed', {
      key: printable(failure.key),
      kind: failure.kind,
      reason: failure.reason,
      problems: failure.lines,
    });
  }
  for (const ignored of summary.ignored) {
    logger.error('key ignored: not where an export belongs', {
      key: printable(ignored.key),
      reason: ignored.reason,
    });
  }
  for (const same of summary.sameContent) {
    logger.warn('export not read: the same content was ingested under another name', {
      key: printable(same.key),
      ingestedAs: printable(same.ingestedAs),
    });
  }
  if (summary.failed.length + summary.ignored.length > 0) {
    throw new Error(
      [
        ...summary.failed.map((f) => f.reason),
        ...summary.ignored.map((i) => `${printable(i.key)}: ${i.reason}`),
      ].join('; '),
    );
  }
  logger.info('ingested', {
    keys: keys.map(printable),
    ingested: summary.ingested.length,
    skipped: summary.skipped.length,
    rowsIn: summary.rowsIn,
    accepted: summary.accepted,
    rejected: summary.rejected,
  });
}

/**
 * The batch: Powertools' BatchProcessor builds `batchItemFailures` from the records whose handler
 * threw (each judged on its keys' part of the batch's one ingest run), and a batch whose every
 * message failed is answered like any other (not thrown), so its metrics are still written and
 * SQS retries each message on its own.
 */
const processor = new BatchProcessor(EventType.SQS);

export async function handler(event: unknown): Promise<BatchResponse> {
  const batch = SqsEventSchema.parse(event);
  rt ??= openRuntime(loadConfig(process.env), systemClock, (message) => logger.debug(message));
  const runtime = rt;
  // Every message's exports are ingested in one run, so small exports share DuckDB passes
  // (src/ingest/ingest-batch.ts); each message is then judged on its own keys. A body that is
  // not a notification is left to its record, which fails it.
  const keysOf = new Map<string, string[]>();
  for (const { messageId, body } of batch.Records) {
    try {
      keysOf.set(messageId, keysInMessage(body));
    } catch {
      // Not a notification: its record below reads it again and fails with why.
    }
  }
  const allKeys = [...new Set([...keysOf.values()].flat())];
  let whole: IngestSummary | undefined;
  let wholeError: unknown;
  if (allKeys.length > 0) {
    try {
      whole = await ingest(runtime, { keys: allKeys });
    } catch (error) {
      // The run could not start or went wrong as a whole: every message with keys fails with it.
      wholeError = error;
    }
  }
  const record = async ({ messageId, body }: SqsRecord) => {
    try {
      const keys = keysOf.get(messageId) ?? keysInMessage(body);
      if (keys.length === 0) return;
      if (!whole) throw wholeError;
      judgeMessage(keys, summaryFor(whole, keys));
    } catch (error) {
      logger.error('message failed; SQS will retry it', {
        messageId,
        reason: oneLineReason(error),
      });
      throw error;
    }
  };
  try {
    return await processPartialResponse(batch, record, processor, {
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  } finally {
    addIngestMetrics(emf, whole ? [whole] : []);
    emf.publishStoredMetrics();
  }
}
