/**
 * postAnnouncements against a mocked SNS client (SNS cannot run here): batches of ten, the
 * network and ICB codes as message attributes, refused entries reported.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { announcedKey, postAnnouncements } from '../../../lambdas/announce.js';
import type { Announcement } from '../../../src/site/announcements.js';
import { openStore } from '../../../src/store/open-store.js';

const TOPIC = 'arn:aws:sns:eu-west-2:123456789012:rotascope-announcements';
const sns = mockClient(SNSClient);
afterEach(() => sns.reset());
// Test files share a worker's modules (vitest.config.ts): put SNSClient back for the next file.
afterAll(() => sns.restore());

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
    expect(result).toEqual({ posted: 23, skipped: 0, failed: [] });
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
    expect(result).toEqual({
      posted: 1,
      skipped: 0,
      failed: ['U00002: InvalidParameter Subject too long'],
    });
  });

  it('sends only the unsent announcements when a run is retried after a refused entry', async () => {
    // Prepare: a real folder store for the markers; SNS refuses U00002 the first time.
    const root = mkdtempSync(path.join(tmpdir(), 'announced-'));
    const sent = openStore({ kind: 'local', root });
    let refuse = true;
    sns
      .on(PublishBatchCommand)
      .callsFake((input: { PublishBatchRequestEntries: { Id: string }[] }) => {
        const entries = input.PublishBatchRequestEntries;
        const failed = refuse ? entries.filter((e) => e.Id === 'U00002') : [];
        return {
          Successful: entries
            .filter((e) => !failed.includes(e))
            .map((e) => ({ Id: e.Id, MessageId: 'm' })),
          Failed: failed.map((e) => ({ Id: e.Id, Code: 'Throttled', SenderFault: false })),
        };
      });
    const three = [announcement(1), announcement(2), announcement(3)];
    // Act: the first run, then Lambda's retry of the whole run.
    const first = await postAnnouncements(new SNSClient({}), TOPIC, three, sent);
    refuse = false;
    const retry = await postAnnouncements(new SNSClient({}), TOPIC, three, sent);
    const again = await postAnnouncements(new SNSClient({}), TOPIC, three, sent);
    // Assess
    expect(first).toEqual({ posted: 2, skipped: 0, failed: ['U00002: Throttled'] });
    expect(retry).toEqual({ posted: 1, skipped: 2, failed: [] });
    expect(again).toEqual({ posted: 0, skipped: 3, failed: [] });
    const sentIds = sns
      .commandCalls(PublishBatchCommand)
      .flatMap((c) => c.args[0].input.PublishBatchRequestEntries?.map((e) => e.Id) ?? []);
    expect(sentIds).toEqual(['U00001', 'U00002', 'U00003', 'U00002']);
    expect(await sent.exists(announcedKey(announcement(2)))).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });

  it('keys a marker by network and content: a changed message is a new announcement', () => {
    const a = announcement(1);
    expect(announcedKey(a)).toMatch(/^announced\/U00001\/[0-9a-f]{32}$/);
    expect(announcedKey({ ...a, message: 'revised' })).not.toBe(announcedKey(a));
  });
});
