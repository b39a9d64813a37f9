/**
 * Schemas (zod) for the events the handlers accept. Only the fields used are checked.
 */
import { z } from 'zod';

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

/** The weekly publish: a scheduled invocation, or on demand with nothing in particular. */
export const PublishEventSchema = z.object({}).passthrough();
