/**
 * The built Lambda@Edge artefact (scripts/build-lambdas.ts), loaded as Lambda loads it, with
 * CloudFront viewer-request events, against a stand-in pool and SSM on 127.0.0.1
 * (test/helpers/stand-in-cognito.ts): the settings come from the SSM parameter its
 * edge-config.json names, the network -> ICB map from the real reference data, and a viewer
 * goes the whole way: sent to sign in with a PKCE challenge, back through the callback (code
 * exchanged with the verifier from the state cookie), then their pages opened and others refused.
 * Also: the artefact's size against Lambda@Edge's 1 MB limit for viewer-request functions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdgeArtefact, deflatedBytes, networkIcbs } from '../../../scripts/build-lambdas.js';
import type { CloudFrontResponse } from '../../../src/access/cloudfront-event.js';
import { cloudFrontEvent } from '../../helpers/cloudfront-events.js';
import { CLIENT_ID, idToken } from '../../helpers/id-tokens.js';
import { type StandInCognito, startStandInCognito } from '../../helpers/stand-in-cognito.js';

const PARAMETER = '/rotascope/dev/edge-auth';
const SITE = 'https://d111111abcdef8.cloudfront.net';
type Handler = (event: unknown) => Promise<CloudFrontResponse & { uri?: string }>;

let pool: StandInCognito;
let artefact: string;
let handler: Handler;
let icbs: Record<string, string>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  pool = await startStandInCognito();
  pool.parameters.set(
    PARAMETER,
    JSON.stringify({
      issuer: pool.issuer,
      clientId: CLIENT_ID,
      signInDomain: pool.url,
      siteUrl: SITE,
    }),
  );
  artefact = path.join(await mkdtemp(path.join(os.tmpdir(), 'rotascope-edge-')), 'edge-auth');
  await buildEdgeArtefact(artefact);
  // What infra/edge-auth.ts adds at synth.
  await writeFile(
    path.join(artefact, 'edge-config.json'),
    JSON.stringify({ parameterName: PARAMETER, parameterRegion: 'eu-west-2' }),
  );
  icbs = await networkIcbs();
  Object.assign(process.env, {
    LAMBDA_TASK_ROOT: artefact,
    AWS_ENDPOINT_URL_SSM: pool.url,
    AWS_ACCESS_KEY_ID: 'AKIDSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'stand-in-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  handler = createRequire(import.meta.url)(path.join(artefact, 'bundle', 'index.js')).handler;
});

afterAll(async () => {
  process.env = savedEnv;
  await pool?.close();
  if (artefact) await rm(path.dirname(artefact), { recursive: true, force: true });
});

/** A token from the stand-in pool, issued a minute ago by the wall clock (the bundle's clock). */
function poolToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return idToken({ iss: pool.issuer, iat: now - 60, exp: now + 3600, ...claims });
}

const cookieValues = (response: CloudFrontResponse) =>
  Object.fromEntries(
    (response.headers['set-cookie'] ?? []).map(({ value }) => {
      const [pair = ''] = value.split(';');
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
const location = (response: CloudFrontResponse) =>
  new URL(response.headers.location?.[0]?.value ?? '');

/** A network in the same ICB as U60865, and one in another ICB. */
function neighbours() {
  const own = icbs.U60865 as string;
  const entries = Object.entries(icbs);
  const sameIcb = entries.find(([code, icb]) => icb === own && code !== 'U60865')?.[0];
  const otherIcb = entries.find(([, icb]) => icb !== own)?.[0];
  if (!sameIcb || !otherIcb) throw new Error('reference data lacks the networks this test needs');
  return { own, sameIcb, otherIcb };
}

describe('the built Lambda@Edge authoriser', () => {
  it('is within the 1 MB (zipped) limit of a viewer-request function', async () => {
    const bytes = await deflatedBytes(artefact);
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it('knows every network of the reference data that has an ICB', () => {
    expect(icbs.U60865).toMatch(/^[A-Z0-9]{3}$/);
    expect(Object.keys(icbs).length).toBeGreaterThan(1000);
  });

  it('takes a viewer through sign-in to their own pages, and no further', async () => {
    const { own, sameIcb, otherIcb } = neighbours();
    // 1. Not signed in: to the hosted sign-in page, with state and a PKCE challenge.
    const first = await handler(cloudFrontEvent('/networks/U60865/'));
    expect(first.status).toBe('302');
    const authorize = location(first);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${pool.url}/oauth2/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${SITE}/_auth/callback`);
    const stateCookie = cookieValues(first)['__Host-rotascope_state'] as string;
    expect(stateCookie).toMatch(/^[\w-]{43}\.[\w-]{43}$/);

    // 2. The pool sends the viewer back with a code for their token.
    const token = poolToken({ 'cognito:groups': ['network-U60865'] });
    const code = pool.issueCode(authorize.searchParams.get('code_challenge') as string, token);
    const callbackQuery = `code=${code}&state=${authorize.searchParams.get('state')}`;
    const callback = await handler(
      cloudFrontEvent('/_auth/callback', [`__Host-rotascope_state=${stateCookie}`], callbackQuery),
    );
    expect(callback.status).toBe('302');
    expect(location(callback).href).toBe(`${SITE}/networks/U60865/`);
    const cookies = cookieValues(callback);
    expect(cookies).toEqual({
      '__Host-rotascope_id': token,
      rotascope_grants: 'network:U60865',
      '__Host-rotascope_refresh': `refresh-${code}`,
      '__Host-rotascope_state': '',
    });
    const exchange = pool.requests.find((r) => r.path === '/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(exchange?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      code,
      redirect_uri: `${SITE}/_auth/callback`,
      code_verifier: stateCookie.split('.')[1],
    });

    // 3. Signed in: their network's pages go on to S3; others are refused.
    const signedIn = [`__Host-rotascope_id=${cookies['__Host-rotascope_id']}`];
    await expect(handler(cloudFrontEvent('/networks/U60865/', signedIn))).resolves.toMatchObject({
      uri: '/networks/U60865/index.html',
    });
    for (const refused of [`/networks/${sameIcb}/`, `/networks/${otherIcb}/`, `/icb/${own}/`]) {
      const response = await handler(cloudFrontEvent(refused, signedIn));
      expect(response.status, refused).toBe('403');
    }

    // 4. The same code again (the callback page reloaded): the pool refuses it; start again.
    const again = await handler(
      cloudFrontEvent('/_auth/callback', [`__Host-rotascope_state=${stateCookie}`], callbackQuery),
    );
    expect(again.status).toBe('400');
    expect(again.body).toContain('start again');
  });

  it('swaps an expired ID token for a new one with the refresh token, once', async () => {
    const fresh = poolToken({ 'cognito:groups': ['network-U60865'] });
    pool.refreshes.set('refresh-good', fresh);
    const expired = poolToken({ 'cognito:groups': ['network-U60865'], exp: 1 });
    const again = await handler(
      cloudFrontEvent('/networks/U60865/', [
        `__Host-rotascope_id=${expired}; __Host-rotascope_refresh=refresh-good`,
      ]),
    );
    expect(again.status).toBe('302');
    expect(location(again).href).toBe(`${SITE}/networks/U60865/`);
    const refreshes = pool.requests.filter((r) => r.body.includes('grant_type=refresh_token'));
    expect(refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token'))).toEqual([
      'refresh-good',
    ]);
    expect(cookieValues(again)).toEqual({
      '__Host-rotascope_id': fresh,
      rotascope_grants: 'network:U60865',
    });
    // A refresh token the pool no longer honours: sign in afresh, the refresh cookie dropped.
    const refused = await handler(
      cloudFrontEvent('/networks/U60865/', ['__Host-rotascope_refresh=refresh-revoked']),
    );
    expect(location(refused).pathname).toBe('/oauth2/authorize');
    expect(cookieValues(refused)).toMatchObject({ '__Host-rotascope_refresh': '' });
  });

  it('signs out: revokes the refresh token at the pool and clears every cookie', async () => {
    pool.refreshes.set('refresh-to-revoke', poolToken({}));
    const out = await handler(
      cloudFrontEvent('/_auth/sign-out', ['__Host-rotascope_refresh=refresh-to-revoke']),
    );
    expect(pool.refreshes.has('refresh-to-revoke')).toBe(false);
    expect(location(out).pathname).toBe('/logout');
    expect(cookieValues(out)).toEqual({
      '__Host-rotascope_id': '',
      rotascope_grants: '',
      '__Host-rotascope_refresh': '',
      '__Host-rotascope_state': '',
    });
    expect(out.headers['clear-site-data']).toEqual([{ key: 'Clear-Site-Data', value: '"cache"' }]);
  });

  it('opens every network of an ICB to its commissioner, and only those', async () => {
    const { own, sameIcb, otherIcb } = neighbours();
    const commissioner = [`__Host-rotascope_id=${poolToken({ 'cognito:groups': [`icb-${own}`] })}`];
    for (const open of [`/icb/${own}/`, `/networks/${sameIcb}/`, `/reports/2026-W46/U60865/`]) {
      await expect(handler(cloudFrontEvent(open, commissioner)), open).resolves.toHaveProperty(
        'uri',
        `${open}index.html`,
      );
    }
    const refused = await handler(cloudFrontEvent(`/networks/${otherIcb}/`, commissioner));
    expect(refused.status).toBe('403');
  });

  it('read its settings from SSM once, by the name in edge-config.json', () => {
    const reads = pool.requests.filter((r) => r.target === 'AmazonSSM.GetParameter');
    expect(reads).toHaveLength(1);
    expect(JSON.parse(reads[0]?.body ?? '{}')).toMatchObject({ Name: PARAMETER });
  });
});
