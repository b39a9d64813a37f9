/**
 * Post the weekly announcements to the SNS topic, ten to a PublishBatch call, each with the
 * network and ICB codes as message attributes (an email subscription can filter on them).
 * Entries SNS refuses are counted and named, never dropped silently.
 *
 * Idempotent across retries when given a `sent` store: each announcement posted is recorded there
 * (`announced/<network>/<hash of subject and message>`), and one already recorded is skipped, so
 * when one entry fails and Lambda retries the run, only the unsent ones go out again. The marker is
 * written after SNS accepts the entry: a run that dies between the two may still repeat that one.
 */
import { createHash } from 'node:crypto';
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import { ANNOUNCED_FOLDER } from '../src/curated/curated-layout.js';
import type { Announcement } from '../src/site/announcements.js';
import type { ObjectStore } from '../src/store/object-store.js';

const BATCH = 10;

/** The marker of one announcement: the same network, subject and message give the same key. */
export function announcedKey(a: Announcement): string {
  const hash = createHash('sha256').update(`${a.subject}\n${a.message}`).digest('hex');
  return `${ANNOUNCED_FOLDER}${a.networkCode}/${hash.slice(0, 32)}`;
}

export async function postAnnouncements(
  client: SNSClient,
  topicArn: string,
  announcements: Announcement[],
  sent?: ObjectStore,
): Promise<{ posted: number; skipped: number; failed: string[] }> {
  let posted = 0;
  const failed: string[] = [];
  const unsent: Announcement[] = [];
  for (const a of announcements) {
    if (!sent || !(await sent.exists(announcedKey(a)))) unsent.push(a);
  }
  const byId = new Map(unsent.map((a) => [a.networkCode, a]));
  for (let i = 0; i < unsent.length; i += BATCH) {
    const entries: PublishBatchRequestEntry[] = unsent.slice(i, i + BATCH).map((a) => ({
      Id: a.networkCode,
      Subject: a.subject,
      Message: a.message,
      MessageAttributes: {
        network_code: { DataType: 'String', StringValue: a.networkCode },
        icb_code: { DataType: 'String', StringValue: a.icbCode ?? 'UNKNOWN' },
      },
    }));
    const result = await client.send(
      new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }),
    );
    posted += result.Successful?.length ?? 0;
    for (const ok of result.Successful ?? []) {
      const a = ok.Id === undefined ? undefined : byId.get(ok.Id);
      if (sent && a) await sent.put(announcedKey(a), new Date().toISOString(), 'text/plain');
    }
    for (const f of result.Failed ?? [])
      failed.push(`${f.Id}: ${f.Code} ${f.Message ?? ''}`.trim());
  }
  return { posted, skipped: announcements.length - unsent.length, failed };
}

export { SNSClient };
