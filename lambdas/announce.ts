/**
 * Post the weekly announcements to the SNS topic, ten to a PublishBatch call, each with the
 * network and ICB codes as message attributes (an email subscription can filter on them).
 * Entries SNS refuses are counted and named, never dropped silently.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, SNSClient } from '@aws-sdk/client-sns';
import type { Announcement } from '../src/site/announcements.js';

const BATCH = 10;

export async function postAnnouncements(
  client: SNSClient,
  topicArn: string,
  announcements: Announcement[],
): Promise<{ posted: number; failed: string[] }> {
  let posted = 0;
  const failed: string[] = [];
  for (let i = 0; i < announcements.length; i += BATCH) {
    const entries: PublishBatchRequestEntry[] = announcements.slice(i, i + BATCH).map((a) => ({
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
    for (const f of result.Failed ?? [])
      failed.push(`${f.Id}: ${f.Code} ${f.Message ?? ''}`.trim());
  }
  return { posted, failed };
}

export { SNSClient };
