/**
 * postAnnouncements against a mocked SNS client (SNS cannot run here): batches of ten, the
 * network and ICB codes as message attributes, refused entries reported.
 */
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { postAnnouncements } from '../../../lambdas/announce.js';
import type { Announcement } from '../../../src/site/announcements.js';

const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:rotascope-announcements';
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());

const announcement = (i: number): Announcement => ({
  networkCode: `U${String(i).padStart(5, '0')}`,
  icbCode: i % 2 ? 'QMF' : null,
  subject: `Rotascope weekly report 2026-W46: Network ${i}`,
  message: `Network ${i} summary`,
});

describe('postAnnouncements', () => {
  it('posts 23 messages in 3 PublishBatch calls with the codes as attributes', async () => {
    sns
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => ({
        Successful: input.PublishBatchRequestEntries.map((e) => ({
          Id: e.Id,
          MessageId: `m-${e.Id}`,
        })),
        Failed: [],
      }));
    const result = await postAnnouncements(
      new SNSClient({}),
      TOPIC,
      Array.from({ length: 23 }, (_, i) => announcement(i + 1)),
    );
    expect(result).toEqual({ posted: 23, failed: [] });
    const calls = sns.commandCalls(PublishBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.PublishBatchRequestEntries?.length)).toEqual([10, 10, 3]);
    expect(calls[0]?.TopicArn).toBe(TOPIC);
    expect(calls[0]?.PublishBatchRequestEntries?.[1]).toEqual({
      Id: 'U00002',
      Subject: 'Rotascope weekly report 2026-W46: Network 2',
      Message: 'Network 2 summary',
      MessageAttributes: {
        network_code: { DataType: 'String', StringValue: 'U00002' },
        icb_code: { DataType: 'String', StringValue: 'UNKNOWN' },
      },
    });
  });

  it('reports the entries SNS refused', async () => {
    sns.on(PublishBatchCommand).resolves({
      Successful: [{ Id: 'U00001', MessageId: 'm1' }],
      Failed: [
        { Id: 'U00002', Code: 'InvalidParameter', SenderFault: true, Message: 'Subject too long' },
      ],
    });
    const result = await postAnnouncements(new SNSClient({}), TOPIC, [
      announcement(1),
      announcement(2),
    ]);
    expect(result).toEqual({ posted: 1, failed: ['U00002: InvalidParameter Subject too long'] });
  });
});
