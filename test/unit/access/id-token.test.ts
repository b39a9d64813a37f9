/**
 * ID token verification: a good token passes; missing, expired, forged, tampered, wrong-pool,
 * wrong-client, access tokens, `alg: none` and HMAC tokens are refused, each with its reason.
 */
import { describe, expect, it } from 'vitest';
import { verifyIdToken } from '../../../src/access/id-token.js';
import {
  CLIENT_ID,
  ISSUER,
  idToken,
  NOW,
  onTokenClock,
  POOL_KEYS,
} from '../../helpers/id-tokens.js';

onTokenClock();

const expected = { issuer: ISSUER, audience: CLIENT_ID, now: NOW };
const reason = (token: string) => {
  const result = verifyIdToken(token, POOL_KEYS, expected);
  return result.ok ? 'ok' : result.reason;
};

describe('verifyIdToken', () => {
  it('accepts a token the pool signed for this client, and returns its claims', () => {
    const result = verifyIdToken(
      idToken({ 'cognito:groups': ['network-U60865'], 'custom:rotascope_scope': 'icb:QMF' }),
      POOL_KEYS,
      expected,
    );
    expect(result).toMatchObject({
      ok: true,
      claims: { 'cognito:groups': ['network-U60865'], 'custom:rotascope_scope': 'icb:QMF' },
    });
  });

  it.each([
    ['empty', '', 'not a signed JWT'],
    ['two parts', 'a.b', 'not a signed JWT'],
    ['not JSON', 'a.b.c', 'not a signed JWT'],
    [
      'a null header',
      `${Buffer.from('null').toString('base64url')}.${idToken().split('.')[1]}.c2ln`,
      'not a signed JWT',
    ],
    ['no issue time', idToken({ iat: undefined }), 'no issue time'],
    ['expired a second ago', idToken({ exp: NOW }), 'expired'],
    ['no expiry', idToken({ exp: undefined }), 'expired'],
    ['issued tomorrow', idToken({ iat: NOW + 86_400 }), 'issued in the future'],
    ['forged (another key, same kid)', idToken({}, { forged: true }), 'bad signature'],
    [
      'unknown key id',
      idToken({}, { header: { kid: 'other' } }),
      'signed with a key the user pool does not have',
    ],
    ['alg none', idToken({}, { header: { alg: 'none' } }), 'algorithm none is not RS256'],
    ['alg HS256', idToken({}, { header: { alg: 'HS256' } }), 'algorithm HS256 is not RS256'],
    [
      'alg RS384, signed so by the pool',
      idToken({}, { header: { alg: 'RS384' } }),
      'algorithm RS384 is not RS256',
    ],
    ['another pool', idToken({ iss: `${ISSUER}x` }), 'issued by another user pool'],
    ['another client', idToken({ aud: 'someone-else' }), 'issued for another app client'],
    ['an access token', idToken({ token_use: 'access' }), 'not an ID token'],
    [
      'groups not a list',
      idToken({ 'cognito:groups': 'icb-QMF' }),
      'cognito:groups is not a list of names',
    ],
  ])('refuses %s', (_name, token, why) => {
    expect(reason(token)).toBe(why);
  });

  it('refuses a token whose claims were changed after signing', () => {
    const [header, , signature] = idToken({ 'cognito:groups': ['network-U60865'] }).split('.');
    const widened = Buffer.from(
      JSON.stringify({
        sub: 'x',
        iss: ISSUER,
        aud: CLIENT_ID,
        token_use: 'id',
        iat: NOW,
        exp: NOW + 60,
        'cognito:groups': ['icb-QMF'],
      }),
    ).toString('base64url');
    expect(reason(`${header}.${widened}.${signature}`)).toBe('bad signature');
  });
});
