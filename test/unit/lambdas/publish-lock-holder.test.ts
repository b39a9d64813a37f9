/**
 * What the publish Lambda records in the publish lock (lambdas/publish.ts, `lockHolder`): the end
 * of its run from the Lambda context, so that a retry of a run that timed out can take the lock
 * over at once (src/site/site-versions.ts).
 */
import { describe, expect, it } from 'vitest';
import { lockHolder } from '../../../lambdas/publish.js';

describe('the publish Lambda’s lock holder', () => {
  it('is its deadline (now + the time it has left) and its request id', () => {
    const now = new Date('2026-11-23T06:00:05Z');
    const context = { awsRequestId: 'c0ffee', getRemainingTimeInMillis: () => 899_000 };
    expect(lockHolder(context, now)).toEqual({
      deadline: new Date('2026-11-23T06:15:04Z'),
      holder: 'Lambda request c0ffee',
    });
  });

  it('is nothing without a context (called directly, as in tests): the lock then ages out', () => {
    expect(lockHolder(undefined, new Date())).toEqual({});
  });
});
