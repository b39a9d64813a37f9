/**
 * The edge authoriser's flow with a stand-in user pool (test/helpers/id-tokens.ts): forwarding
 * allowed pages (folders rewritten to index.html), sending anonymous viewers to sign in, refusing
 * other networks and ICBs, tokens that are missing, expired or forged, and the sign-in callback
 * (state checked against its cookie, code exchanged with the PKCE verifier from that cookie,
 * cookies set, return address kept only when it is one of the site's).
 */
import { describe, expect, it } from 'vitest';
import {
  codeChallenge,
  type EdgeDeps,
  GRANTS_COOKIE,
  GrantRefusedError,
  handleViewerRequest,
  indexRewrite,
  MAX_COOKIE_BYTES,
  REFRESH_COOKIE,
  STATE_COOKIE,
  TOKEN_COOKIE,
  TOKEN_TOO_LARGE,
  type ViewerRequest,
} from '../../../src/access/edge-auth.js';
import {
  CLIENT_ID,
  ISSUER,
  idToken,
  NOW,
  onTokenClock,
  POOL_KEYS,
} from '../../helpers/id-tokens.js';

onTokenClock();

const SITE = 'https://d111111abcdef8.cloudfront.net';
const SIGN_IN = 'https://rotascope-dev.auth.eu-west-2.amazoncognito.com';
const ICBS: Record<string, string> = { U60865: 'QMF', U61000: 'QMF', U70000: 'QKK' };

function deps(exchanged: string[] = [], tokenFromCode = idToken()): EdgeDeps {
  return {
    config: { issuer: ISSUER, clientId: CLIENT_ID, signInDomain: SIGN_IN, siteUrl: SITE },
    icbOf: (network) => ICBS[network],
    keys: async () => POOL_KEYS,
    newKeys: async () => POOL_KEYS,
    exchangeCode: async (code, redirectUri, verifier) => {
      exchanged.push(`${code} ${redirectUri} ${verifier}`);
      return { idToken: tokenFromCode, refreshToken: 'refresh-1' };
    },
    refresh: async () => {
      throw new Error('no refresh expected');
    },
    revoke: async (token) => {
      exchanged.push(`revoke ${token}`);
    },
    now: () => NOW,
    nonce: nonces(),
  };
}

/** `nonce-1`, `verifier-1`, `nonce-2`, `verifier-2`...: a state nonce, then a PKCE verifier. */
function nonces(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `${n % 2 === 1 ? 'nonce' : 'verifier'}-${Math.ceil(n / 2)}`;
  };
}
/** The state cookie a sign-in redirect sets: `<nonce>.<verifier>`. */
const STATE = 'nonce-1.verifier-1';

const request = (uri: string, cookies: Record<string, string> = {}, querystring = '') =>
  ({ uri, querystring, cookies }) satisfies ViewerRequest;
const lead = { [TOKEN_COOKIE]: idToken({ 'cognito:groups': ['network-U60865'] }) };
/** Cognito's `identities` claim of a user who signed in through Entra ID. */
const ENTRA_IDENTITY = [
  {
    userId: 'c0ffee00-0000-4000-8000-000000000002',
    providerName: 'EntraID',
    providerType: 'OIDC',
    issuer: null,
    primary: 'true',
    dateCreated: '1763000000000',
  },
];
/** A commissioner who signs in through Entra ID; an admin put them in the ICB's group. */
const commissioner = {
  [TOKEN_COOKIE]: idToken({ 'cognito:groups': ['icb-QMF'], identities: ENTRA_IDENTITY }),
};

describe('site addresses', () => {
  it.each([
    ['/', lead, '/index.html'],
    ['/networks/U60865/', lead, '/networks/U60865/index.html'],
    ['/networks/U60865', lead, '/networks/U60865/index.html'],
    ['/networks/U60865/data/network-week.csv', lead, '/networks/U60865/data/network-week.csv'],
    ['/reports/2026-W46/U61000/', commissioner, '/reports/2026-W46/U61000/index.html'],
    ['/icb/QMF/', commissioner, '/icb/QMF/index.html'],
    ['/assets/site.css', lead, '/assets/site.css'],
  ])('forwards %s for a viewer who may see it', async (uri, cookies, forwarded) => {
    await expect(handleViewerRequest(request(uri, cookies), deps())).resolves.toEqual({
      kind: 'forward',
      uri: forwarded,
    });
  });

  it.each([
    ['/networks/U61000/', lead, 403],
    ['/icb/QMF/', lead, 403],
    ['/networks/U70000/', commissioner, 403],
    ['/icb/QKK/', commissioner, 403],
    ['/networks/U60865/../U61000/', lead, 400],
    ['/networks/U60865%2F..%2FU61000/', lead, 400],
    ['/networks/u60865/', lead, 404],
    ['/.env', lead, 404],
  ])('refuses %s for this viewer', async (uri, cookies, status) => {
    await expect(handleViewerRequest(request(uri, cookies), deps())).resolves.toMatchObject({
      kind: 'deny',
      status,
    });
  });

  it.each([
    ['no token', {}],
    ['an expired token', { [TOKEN_COOKIE]: idToken({ exp: NOW - 1 }) }],
    [
      'a forged token',
      { [TOKEN_COOKIE]: idToken({ 'cognito:groups': ['icb-QMF'] }, { forged: true }) },
    ],
    ['garbage', { [TOKEN_COOKIE]: 'not-a-token' }],
  ])('sends a viewer with %s to sign in, remembering the address', async (_name, cookies) => {
    const result = await handleViewerRequest(request('/networks/U60865/', cookies), deps());
    expect(result).toMatchObject({
      kind: 'redirect',
      setCookies: [
        expect.stringMatching(/^__Host-rotascope_state=nonce-1\.verifier-1; .*HttpOnly/),
      ],
    });
    const location = new URL((result as { location: string }).location);
    expect(`${location.origin}${location.pathname}`).toBe(`${SIGN_IN}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${SITE}/_auth/callback`,
      scope: 'openid email profile',
      state: `nonce-1.${Buffer.from('/networks/U60865/').toString('base64url')}`,
      code_challenge: codeChallenge('verifier-1'),
      code_challenge_method: 'S256',
    });
  });

  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('does not send a bad address to sign in: refused before the token is looked at', async () => {
    await expect(
      handleViewerRequest(request('/networks/../secret'), deps()),
    ).resolves.toMatchObject({ kind: 'deny', status: 400 });
  });
});

describe('the pool’s keys', () => {
  it('fetches the keys again when a token names a key it does not have, and uses them', async () => {
    const asked: string[] = [];
    const rotated: EdgeDeps = {
      ...deps(),
      keys: async () => {
        asked.push('kept');
        return [];
      },
      newKeys: async () => {
        asked.push('new');
        return POOL_KEYS;
      },
    };
    await expect(
      handleViewerRequest(request('/networks/U60865/', lead), rotated),
    ).resolves.toMatchObject({ kind: 'forward' });
    expect(asked).toEqual(['kept', 'new']);
  });

  it('does not fetch them again for a token that fails otherwise', async () => {
    const asked: string[] = [];
    const counting: EdgeDeps = {
      ...deps(),
      newKeys: async () => {
        asked.push('new');
        return POOL_KEYS;
      },
    };
    const forged = { [TOKEN_COOKIE]: idToken({}, { forged: true }) };
    await handleViewerRequest(request('/networks/U60865/', forged), counting);
    expect(asked).toEqual([]);
  });
});

describe('the site’s own host', () => {
  it('sends a viewer on another name of the distribution to the site’s address, as asked', async () => {
    const result = await handleViewerRequest(
      { ...request('/networks/U60865/', lead, 'v=2'), host: 'd999999example.cloudfront.net' },
      deps(),
    );
    expect(result).toEqual({
      kind: 'redirect',
      location: `${SITE}/networks/U60865/?v=2`,
      setCookies: [],
    });
  });

  it('goes on as usual on the site’s host', async () => {
    const result = await handleViewerRequest(
      { ...request('/networks/U60865/', lead), host: new URL(SITE).host },
      deps(),
    );
    expect(result).toMatchObject({ kind: 'forward' });
  });
});

describe('where grants come from', () => {
  it('takes the groups of a user who signed in through Entra ID', async () => {
    await expect(
      handleViewerRequest(request('/icb/QMF/', commissioner), deps()),
    ).resolves.toMatchObject({ kind: 'forward' });
  });

  it.each([
    ['a Cognito user', undefined],
    ['a user who signed in through Entra ID', ENTRA_IDENTITY],
  ])('ignores the scope attribute (users can write it) of %s', async (_name, identities) => {
    const token = idToken({ 'custom:rotascope_scope': 'icb:QMF network:U60865', identities });
    for (const uri of ['/icb/QMF/', '/networks/U60865/']) {
      await expect(
        handleViewerRequest(request(uri, { [TOKEN_COOKIE]: token }), deps()),
      ).resolves.toMatchObject({ kind: 'deny', status: 403 });
    }
  });
});

describe('keeping a viewer signed in with the refresh token', () => {
  const expired = idToken({ 'cognito:groups': ['network-U60865'], exp: NOW - 1 });
  const refreshing = (answer: () => Promise<string>, refreshed: string[] = []): EdgeDeps => ({
    ...deps(),
    refresh: async (token) => {
      refreshed.push(token);
      return answer();
    },
  });

  it('swaps an expired ID token for a new one and asks for the same address again', async () => {
    const fresh = idToken({ 'cognito:groups': ['network-U60865'] });
    const refreshed: string[] = [];
    const result = await handleViewerRequest(
      request(
        '/networks/U60865/data/network-week.csv',
        { [TOKEN_COOKIE]: expired, [REFRESH_COOKIE]: 'refresh-1' },
        'v=2',
      ),
      refreshing(async () => fresh, refreshed),
    );
    expect(refreshed).toEqual(['refresh-1']);
    expect(result).toEqual({
      kind: 'redirect',
      location: `${SITE}/networks/U60865/data/network-week.csv?v=2`,
      setCookies: [
        `${TOKEN_COOKIE}=${fresh}; Path=/; Max-Age=3600; Secure; SameSite=Lax; HttpOnly`,
        `${GRANTS_COOKIE}=network:U60865; Path=/; Max-Age=3600; Secure; SameSite=Lax`,
      ],
    });
  });

  it.each([
    [
      'the pool refuses the refresh token (expired, revoked)',
      async () => {
        throw new GrantRefusedError('invalid_grant');
      },
    ],
    ['the new token does not verify', async () => idToken({}, { forged: true })],
  ])(
    'sends the viewer to sign in afresh when %s, dropping the refresh cookie',
    async (_n, answer) => {
      const result = await handleViewerRequest(
        request('/networks/U60865/', { [REFRESH_COOKIE]: 'refresh-1' }),
        refreshing(answer),
      );
      expect(result).toMatchObject({
        kind: 'redirect',
        location: expect.stringContaining(`${SIGN_IN}/oauth2/authorize?`),
        setCookies: [
          expect.stringMatching(/^__Host-rotascope_state=nonce-1\.verifier-1; /),
          expect.stringMatching(/^__Host-rotascope_refresh=; .*Max-Age=0/),
        ],
      });
    },
  );

  it('lets an outage of the token endpoint through to the handler (503 there)', async () => {
    const outage = refreshing(async () => {
      throw new Error('token endpoint answered 502');
    });
    await expect(
      handleViewerRequest(request('/networks/U60865/', { [REFRESH_COOKIE]: 'r' }), outage),
    ).rejects.toThrow('answered 502');
  });

  it('does not refresh a valid token, nor for an address the viewer may not open', async () => {
    const refreshed: string[] = [];
    const never = refreshing(async () => idToken(), refreshed);
    const cookies = { ...lead, [REFRESH_COOKIE]: 'refresh-1' };
    await handleViewerRequest(request('/networks/U60865/', cookies), never);
    await handleViewerRequest(request('/networks/U70000/', cookies), never);
    await handleViewerRequest(request('/networks/../x', { [REFRESH_COOKIE]: 'r' }), never);
    expect(refreshed).toEqual([]);
  });
});

describe('the sign-in callback', () => {
  const state = `nonce-1.${Buffer.from('/reports/2026-W46/U60865/').toString('base64url')}`;

  it('exchanges the code, sets the token and grants cookies, and returns to the page asked for', async () => {
    const exchanged: string[] = [];
    const token = idToken({ 'cognito:groups': ['network-U60865', 'icb-QMF'] });
    const result = await handleViewerRequest(
      request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
      deps(exchanged, token),
    );
    expect(exchanged).toEqual([`abc ${SITE}/_auth/callback verifier-1`]);
    expect(result).toEqual({
      kind: 'redirect',
      location: `${SITE}/reports/2026-W46/U60865/`,
      setCookies: [
        `${TOKEN_COOKIE}=${token}; Path=/; Max-Age=3600; Secure; SameSite=Lax; HttpOnly`,
        `${GRANTS_COOKIE}=icb:QMF+network:U60865; Path=/; Max-Age=3600; Secure; SameSite=Lax`,
        `${REFRESH_COOKIE}=refresh-1; Path=/; Max-Age=43200; Secure; SameSite=Lax; HttpOnly`,
        `${STATE_COOKIE}=; Path=/; Max-Age=0; Secure; SameSite=Lax; HttpOnly`,
      ],
    });
  });

  it.each([
    ['no state cookie', {}, `code=abc&state=${state}`],
    ['a state from elsewhere', { [STATE_COOKIE]: 'nonce-2.verifier-2' }, `code=abc&state=${state}`],
    ['a state cookie without verifier', { [STATE_COOKIE]: 'nonce-1' }, `code=abc&state=${state}`],
    ['no code', { [STATE_COOKIE]: STATE }, `state=${state}`],
  ])('refuses a callback with %s, exchanging nothing', async (_name, cookies, query) => {
    const exchanged: string[] = [];
    const result = await handleViewerRequest(
      request('/_auth/callback', cookies, query),
      deps(exchanged),
    );
    expect(result).toMatchObject({ kind: 'deny', status: 400 });
    expect(exchanged).toEqual([]);
  });

  it('fetches the pool’s keys while it waits for the token endpoint', async () => {
    const order: string[] = [];
    const timed: EdgeDeps = {
      ...deps(),
      keys: async () => {
        order.push('keys asked');
        return POOL_KEYS;
      },
      exchangeCode: async () => {
        order.push('code exchanged');
        return { idToken: idToken() };
      },
    };
    await handleViewerRequest(
      request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
      timed,
    );
    expect(order).toEqual(['keys asked', 'code exchanged']);
  });

  it('asks to start again when the pool refuses the code (used twice, expired)', async () => {
    const refusing: EdgeDeps = {
      ...deps(),
      exchangeCode: async () => {
        throw new GrantRefusedError('invalid_grant');
      },
    };
    const result = await handleViewerRequest(
      request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
      refusing,
    );
    expect(result).toMatchObject({
      kind: 'deny',
      status: 400,
      setCookies: [expect.stringMatching(/^__Host-rotascope_state=; .*Max-Age=0/)],
    });
  });

  it('lets an outage of the token endpoint through to the handler (503 there)', async () => {
    const failing: EdgeDeps = {
      ...deps(),
      exchangeCode: async () => {
        throw new Error('token endpoint answered 500');
      },
    };
    await expect(
      handleViewerRequest(
        request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
        failing,
      ),
    ).rejects.toThrow('answered 500');
  });

  it('refuses a token too large for a cookie, saying why, instead of a sign-in loop', async () => {
    const groups = Array.from({ length: 250 }, (_, i) => `network-U${String(60000 + i)}`);
    const result = await handleViewerRequest(
      request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
      deps([], idToken({ 'cognito:groups': groups })),
    );
    expect(result).toMatchObject({ kind: 'deny', status: 403, message: TOKEN_TOO_LARGE });
    // The boundary: the largest token whose cookie fits is taken, one group more is not.
    const cookieLength = (n: number) =>
      `${TOKEN_COOKIE}=${idToken({ 'cognito:groups': groups.slice(0, n) })}; Path=/; Max-Age=3600; Secure; SameSite=Lax; HttpOnly`
        .length;
    let most = 0;
    while (cookieLength(most + 1) <= MAX_COOKIE_BYTES) most += 1;
    const withGroups = (n: number) =>
      handleViewerRequest(
        request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
        deps([], idToken({ 'cognito:groups': groups.slice(0, n) })),
      );
    await expect(withGroups(most)).resolves.toMatchObject({ kind: 'redirect' });
    await expect(withGroups(most + 1)).resolves.toMatchObject({ kind: 'deny', status: 403 });
    expect(most).toBeGreaterThan(100);
  });

  it('refuses a token from the exchange that does not verify', async () => {
    const result = await handleViewerRequest(
      request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${state}`),
      deps([], idToken({ aud: 'another-client' })),
    );
    expect(result).toMatchObject({ kind: 'deny', status: 403 });
  });

  it('returns to the index instead of an address that is not the site’s', async () => {
    for (const target of ['//evil.example/', 'https://evil.example/', '/networks/../x', '/nope']) {
      const s = `nonce-1.${Buffer.from(target).toString('base64url')}`;
      const result = await handleViewerRequest(
        request('/_auth/callback', { [STATE_COOKIE]: STATE }, `code=abc&state=${s}`),
        deps(),
      );
      expect((result as { location: string }).location, target).toBe(`${SITE}/`);
    }
  });

  it('signs out: revokes the refresh token, clears the cookies, goes to the hosted sign-out page', async () => {
    const calls: string[] = [];
    const result = await handleViewerRequest(
      request('/_auth/sign-out', { ...lead, [REFRESH_COOKIE]: 'refresh-1' }),
      deps(calls),
    );
    expect(calls).toEqual(['revoke refresh-1']);
    expect(result).toMatchObject({
      kind: 'redirect',
      setCookies: [
        expect.stringMatching(/^__Host-rotascope_id=; .*Max-Age=0/),
        expect.stringMatching(/^rotascope_grants=; .*Max-Age=0/),
        expect.stringMatching(/^__Host-rotascope_refresh=; .*Max-Age=0/),
        expect.stringMatching(/^__Host-rotascope_state=; .*Max-Age=0/),
      ],
      clearBrowserCache: true,
    });
    const location = new URL((result as { location: string }).location);
    expect(location.pathname).toBe('/logout');
    expect(location.searchParams.get('logout_uri')).toBe(`${SITE}/`);
  });

  it('signs out even when the pool cannot revoke the refresh token', async () => {
    const failing: EdgeDeps = {
      ...deps(),
      revoke: async () => {
        throw new Error('revoke endpoint answered 503');
      },
    };
    const result = await handleViewerRequest(
      request('/_auth/sign-out', { [REFRESH_COOKIE]: 'refresh-1' }),
      failing,
    );
    expect(result).toMatchObject({
      kind: 'redirect',
      location: expect.stringContaining('/logout?'),
    });
  });
});

describe('indexRewrite', () => {
  it.each([
    ['/', '/index.html'],
    ['/icb/QMF/', '/icb/QMF/index.html'],
    ['/icb/QMF', '/icb/QMF/index.html'],
    ['/assets/site.css', '/assets/site.css'],
  ])('%s -> %s', (uri, rewritten) => {
    expect(indexRewrite(uri)).toBe(rewritten);
  });
});
