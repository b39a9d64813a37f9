/**
 * The edge's settings and caches: the settings parameter is checked field by field, and values
 * are kept for their time, shared by concurrent callers, and not kept when loading failed.
 * (The HTTP calls to the pool are tested against a stand-in on 127.0.0.1 in
 * test/integration/lambdas/edge-auth.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { GrantRefusedError } from '../../../src/access/edge-auth.js';
import {
  cachedFor,
  parseEdgeSettings,
  tokenExchange,
  tokenRefresh,
} from '../../../src/access/edge-services.js';

const GOOD = {
  issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123',
  clientId: '4example1client2id',
  signInDomain: 'https://rotascope-dev-123456789012.auth.eu-west-2.amazoncognito.com',
  siteUrl: 'https://d111111abcdef8.cloudfront.net',
};
const NAME = '/rotascope/dev/edge-auth';

describe('parseEdgeSettings', () => {
  it('reads the settings the stack writes', () => {
    expect(parseEdgeSettings(JSON.stringify(GOOD), NAME)).toEqual(GOOD);
  });

  it.each([
    ['not JSON', '{', 'SSM parameter /rotascope/dev/edge-auth is not JSON'],
    ['a missing field', JSON.stringify({ ...GOOD, clientId: undefined }), 'clientId'],
    ['plain http', JSON.stringify({ ...GOOD, issuer: 'http://cognito.example/p' }), 'issuer'],
    ['a trailing slash', JSON.stringify({ ...GOOD, siteUrl: `${GOOD.siteUrl}/` }), 'siteUrl'],
    ['an unknown field', JSON.stringify({ ...GOOD, secret: 'x' }), '(value)'],
  ])('refuses %s, naming the parameter and the field', (_name, text, field) => {
    expect(() => parseEdgeSettings(text, NAME)).toThrow(NAME);
    expect(() => parseEdgeSettings(text, NAME)).toThrow(field);
  });
});

describe('cachedFor', () => {
  it('keeps a value for its time, then loads again', async () => {
    let now = 0;
    let loads = 0;
    const get = cachedFor(
      1000,
      async () => ++loads,
      () => now,
    );
    expect(await get()).toBe(1);
    now = 999;
    expect(await get()).toBe(1);
    now = 1000;
    expect(await get()).toBe(2);
  });

  it('reloads on request unless what it keeps is younger than asked', async () => {
    let now = 0;
    let loads = 0;
    const get = cachedFor(
      60_000,
      async () => ++loads,
      () => now,
    );
    expect(await get()).toBe(1);
    now = 299_999;
    expect(await get.reload(300_000)).toBe(1);
    now = 300_000;
    expect(await get.reload(300_000)).toBe(2);
    now = 310_000;
    expect(await get()).toBe(2);
  });

  it('shares one load between concurrent callers', async () => {
    let loads = 0;
    const get = cachedFor(1000, async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return loads;
    });
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
  });

  it('does not keep a failure: the next call tries again', async () => {
    let loads = 0;
    const get = cachedFor(60_000, async () => {
      loads += 1;
      if (loads === 1) throw new Error('SSM did not answer');
      return 'settings';
    });
    await expect(get()).rejects.toThrow('SSM did not answer');
    await expect(get()).resolves.toBe('settings');
    expect(loads).toBe(2);
  });
});

describe('the token endpoint’s refusals', () => {
  const answering = (status: number, body: unknown) =>
    (async () => Response.json(body, { status })) as unknown as typeof fetch;

  it('takes invalid_grant as the pool refusing this code or refresh token', async () => {
    const refused = answering(400, { error: 'invalid_grant' });
    await expect(tokenExchange(GOOD, refused)('c', 'r', 'v')).rejects.toBeInstanceOf(
      GrantRefusedError,
    );
    await expect(tokenRefresh(GOOD, refused)('t')).rejects.toBeInstanceOf(GrantRefusedError);
  });

  it.each([
    [400, { error: 'invalid_client' }, 'answered 400 invalid_client'],
    [400, { error: 'invalid_request' }, 'answered 400 invalid_request'],
    [500, {}, 'answered 500'],
    [200, { access_token: 'a' }, 'returned no id_token'],
  ])('takes %i %j as an error of ours or an outage, with the code', async (status, body, text) => {
    const call = tokenExchange(GOOD, answering(status, body))('c', 'r', 'v');
    await expect(call).rejects.toThrow(text);
    await expect(call).rejects.not.toBeInstanceOf(GrantRefusedError);
  });
});
