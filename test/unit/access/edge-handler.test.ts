/**
 * The Lambda@Edge handler assembled (src/access/edge-handler.ts), with the settings parameter and
 * the pool's keys served by stand-ins: the settings are read once per container, a viewer's page
 * is forwarded or refused, and when the settings or the pool cannot be reached the viewer gets a
 * 503 page (never the page from S3), and the next request tries again. Nothing secret is logged.
 */
import { describe, expect, it } from 'vitest';
import type { CloudFrontResponse } from '../../../src/access/cloudfront-event.js';
import { createEdgeHandler, UNAVAILABLE } from '../../../src/access/edge-handler.js';
import type { Jwk } from '../../../src/access/id-token.js';
import { cloudFrontEvent } from '../../helpers/cloudfront-events.js';
import {
  CLIENT_ID,
  ISSUER,
  idToken,
  NOW,
  onTokenClock,
  POOL_KEYS,
} from '../../helpers/id-tokens.js';

onTokenClock();

const SETTINGS = JSON.stringify({
  issuer: ISSUER,
  clientId: CLIENT_ID,
  signInDomain: 'https://rotascope-dev-123456789012.auth.eu-west-2.amazoncognito.com',
  siteUrl: 'https://d111111abcdef8.cloudfront.net',
});

function handlerWith(
  options: {
    ssmFails?: number;
    jwksFails?: number;
    clock?: () => number;
    /** The keys the pool publishes at each fetch (default: the stand-in pool's). */
    jwks?: (fetchNumber: number) => readonly Jwk[];
  } = {},
) {
  const calls = { parameter: [] as string[], jwks: 0 };
  const logs: Record<string, unknown>[] = [];
  let ssmFails = options.ssmFails ?? 0;
  let jwksFails = options.jwksFails ?? 0;
  const handle = createEdgeHandler({
    files: {
      parameterName: '/rotascope/dev/edge-auth',
      parameterRegion: 'eu-west-2',
      networkIcbs: { U60865: 'QMF', U70000: 'QKK' },
    },
    readParameter: async (name) => {
      calls.parameter.push(name);
      if (ssmFails-- > 0) throw new Error('connect ETIMEDOUT');
      return SETTINGS;
    },
    fetch: (async (url: string) => {
      expect(url).toBe(`${ISSUER}/.well-known/jwks.json`);
      calls.jwks += 1;
      if (jwksFails-- > 0) return new Response('', { status: 500 });
      return Response.json({ keys: options.jwks?.(calls.jwks) ?? POOL_KEYS });
    }) as typeof fetch,
    clock: options.clock ?? (() => NOW * 1000),
    log: (entry) => logs.push(entry),
  });
  return { handle, calls, logs };
}

const lead = `__Host-rotascope_id=${idToken({ 'cognito:groups': ['network-U60865'] })}`;

describe('the edge handler', () => {
  it('reads its settings and keys once, forwarding and refusing by the rule', async () => {
    const { handle, calls } = handlerWith();
    const own = await handle(cloudFrontEvent('/networks/U60865/', [lead]));
    expect(own).toMatchObject({ uri: '/networks/U60865/index.html', method: 'GET' });
    const other = (await handle(
      cloudFrontEvent('/networks/U70000/', [lead]),
    )) as CloudFrontResponse;
    expect(other.status).toBe('403');
    const anonymous = (await handle(cloudFrontEvent('/icb/QMF/'))) as CloudFrontResponse;
    expect(anonymous.status).toBe('302');
    expect(calls).toEqual({ parameter: ['/rotascope/dev/edge-auth'], jwks: 1 });
  });

  it.each([
    ['the settings parameter', { ssmFails: 1 }, 'connect ETIMEDOUT'],
    ['the pool keys', { jwksFails: 1 }, 'answered 500'],
  ])(
    'answers 503 when %s cannot be read, and tries again next time',
    async (_what, fails, error) => {
      const { handle, logs } = handlerWith(fails);
      const first = (await handle(
        cloudFrontEvent('/networks/U60865/', [lead]),
      )) as CloudFrontResponse;
      expect(first.status).toBe('503');
      expect(first.body).toContain(UNAVAILABLE.slice(0, 40));
      expect(logs).toEqual([
        { level: 'ERROR', uri: '/networks/U60865/', error: expect.stringContaining(error) },
      ]);
      await expect(handle(cloudFrontEvent('/networks/U60865/', [lead]))).resolves.toMatchObject({
        uri: '/networks/U60865/index.html',
      });
    },
  );

  it('fetches the keys again for a key it does not have, at most every 5 minutes', async () => {
    let now = NOW * 1000;
    // The pool starts signing with a new key (same key material, new id) after the first fetch.
    const rotated: Jwk[] = [{ ...(POOL_KEYS[0] as Jwk), kid: 'new-key' }];
    const { handle, calls } = handlerWith({
      clock: () => now,
      jwks: (n) => (n === 1 ? POOL_KEYS : rotated),
    });
    const lead2 = idToken({ 'cognito:groups': ['network-U60865'] }, { header: { kid: 'new-key' } });
    const unknownKey = [`__Host-rotascope_id=${lead2}`];
    const status = async () =>
      ((await handle(cloudFrontEvent('/networks/U60865/', unknownKey))) as CloudFrontResponse)
        .status;
    expect(await status()).toBe('302'); // keys fetched now: no second fetch for this token
    expect(calls.jwks).toBe(1);
    now += 5 * 60_000;
    expect(await status()).toBeUndefined(); // kept keys 5 minutes old: fetched again, forwarded
    expect(calls.jwks).toBe(2);
    now += 60_000;
    const forged = [`__Host-rotascope_id=${idToken({}, { header: { kid: 'other' } })}`];
    await handle(cloudFrontEvent('/networks/U60865/', forged)); // just fetched: not again
    expect(calls.jwks).toBe(2);
  });

  it('logs refusals and redirects without cookies, tokens or codes', async () => {
    const { handle, logs } = handlerWith();
    await handle(cloudFrontEvent('/networks/U70000/', [lead]));
    await handle(
      cloudFrontEvent(
        '/_auth/callback',
        ['__Host-rotascope_state=a.b'],
        'code=secret-code&state=x.y',
      ),
    );
    expect(logs).toEqual([
      { level: 'INFO', uri: '/networks/U70000/', result: 'deny', status: 403 },
      { level: 'INFO', uri: '/_auth/callback', result: 'deny', status: 400 },
    ]);
    expect(JSON.stringify(logs)).not.toMatch(/secret-code|eyJ/);
  });

  it('serves the version the site pointer names, read at most every 10 s, and 503s on a bad pointer', async () => {
    let now = NOW * 1000;
    const pointers: string[] = [];
    let pointer: string | undefined = '{"version":"v20261123T060000Z-abc123"}';
    const handle = createEdgeHandler({
      files: {
        parameterName: '/rotascope/dev/edge-auth',
        parameterRegion: 'eu-west-2',
        networkIcbs: { U60865: 'QMF' },
      },
      readParameter: async () =>
        JSON.stringify({
          ...JSON.parse(SETTINGS),
          siteBucket: 'rotascope-dev-site',
          siteBucketRegion: 'eu-west-2',
        }),
      readPointer: async (bucket, region) => {
        pointers.push(`${bucket} ${region}`);
        return pointer;
      },
      fetch: (async () => Response.json({ keys: POOL_KEYS })) as unknown as typeof fetch,
      clock: () => now,
      log: () => {},
    });
    const page = () => handle(cloudFrontEvent('/networks/U60865/', [lead]));
    await expect(page()).resolves.toMatchObject({
      uri: '/versions/v20261123T060000Z-abc123/networks/U60865/index.html',
    });
    // A publish switches the pointer: seen once the kept one is 10 s old.
    pointer = '{"version":"v20261130T060000Z-def456"}';
    await expect(page()).resolves.toMatchObject({
      uri: '/versions/v20261123T060000Z-abc123/networks/U60865/index.html',
    });
    now += 10_000;
    await expect(page()).resolves.toMatchObject({
      uri: '/versions/v20261130T060000Z-def456/networks/U60865/index.html',
    });
    expect(pointers).toEqual(['rotascope-dev-site eu-west-2', 'rotascope-dev-site eu-west-2']);
    // Viewers cannot name a version themselves.
    const direct = (await handle(
      cloudFrontEvent('/versions/v20261123T060000Z-abc123/index.html', [lead]),
    )) as CloudFrontResponse;
    expect(direct.status).toBe('404');
    // No pointer yet (a site published before versions): served from the top.
    pointer = undefined;
    now += 10_000;
    await expect(page()).resolves.toMatchObject({ uri: '/networks/U60865/index.html' });
    // A pointer naming no version: 503, never a guess.
    pointer = '{"version":"../x"}';
    now += 10_000;
    expect(((await page()) as CloudFrontResponse).status).toBe('503');
  });
});
