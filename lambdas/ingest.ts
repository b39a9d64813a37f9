/**
 * Ingest Lambda: a batch of SQS messages, each an S3 ObjectCreated notification for the raw
 * bucket -> ingest exactly those exports. Each message succeeds or fails on its own: a message
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

async function ingestMessage(
  runtime: Runtime,
  body: string,
  summaries: IngestSummary[],
): Promise<void> {
  const keys = keysInMessage(body);
  if (keys.length === 0) return;
  const summary = await ingest(runtime, { keys });
  summaries.push(summary);
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
 * threw. One message at a time (the runtime's DuckDB connection is one), and a batch whose every
 * message failed is answered like any other (not thrown), so its metrics are still written and
 * SQS retries each message on its own.
 */
const processor = new BatchProcessor(EventType.SQS);

export async function handler(event: unknown): Promise<BatchResponse> {
  const batch = SqsEventSchema.parse(event);
  rt ??= openRuntime(loadConfig(process.env), systemClock, (message) => logger.debug(message));
  const runtime = rt;
  const summaries: IngestSummary[] = [];
  const record = async ({ messageId, body }: SqsRecord) => {
    try {
      await ingestMessage(runtime, body, summaries);
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
    addIngestMetrics(emf, summaries);
    emf.publishStoredMetrics();
  }
}
