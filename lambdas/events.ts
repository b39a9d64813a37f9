/**
 * Schemas (zod) for the events the handlers accept. Only the fields used are checked.
 *
 * Ingest: S3 ObjectCreated notifications on the raw bucket go to an SQS queue; the ingest Lambda
 * gets SQS batches whose message bodies are those notifications (or S3's one-off s3:TestEvent).
 * Publish: EventBridge Scheduler's input `{"source":"schedule"}`, or `{"week":"2026-W46"}` on demand.
 */
import { z } from 'zod';
import { ENGINE_KINDS } from '../src/config.js';

/** An S3 event notification (ObjectCreated); keys arrive URL-encoded, spaces as `+`. */
export const S3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string().startsWith('ObjectCreated:'),
        s3: z.object({
          bucket: z.object({ name: z.string() }),
          object: z.object({ key: z.string() }),
        }),
      }),
    )
    .min(1),
});

export function objectKeys(event: unknown): string[] {
  return S3EventSchema.parse(event).Records.map((r) =>
    decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
  );
}

/** An SQS batch, as Lambda's event source mapping delivers it. */
export const SqsEventSchema = z.object({
  Records: z
    .array(z.object({ messageId: z.string(), body: z.string(), eventSource: z.literal('aws:sqs') }))
    .min(1),
});

/** The raw keys one SQS message names; none for S3's s3:TestEvent (sent when notifications are set up). */
export function keysInMessage(body: string): string[] {
  const parsed: unknown = JSON.parse(body);
  if ((parsed as { Event?: unknown }).Event === 's3:TestEvent') return [];
  return objectKeys(parsed);
}

/** The weekly publish: scheduled (`source`), or on demand for one ISO week (`week`). */
export const PublishEventSchema = z
  .object({
    source: z.string().optional(),
    week: z
      .string()
      .regex(/^\d{4}-W\d{2}$/, 'week must be an ISO week such as 2026-W46')
      .optional(),
    /** Compute this run's metric tables on this engine instead of the stage's (ROTASCOPE_ENGINE). */
    engine: z.enum(ENGINE_KINDS).optional(),
  })
  .passthrough();
