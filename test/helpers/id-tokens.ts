/**
 * A stand-in Cognito user pool for tests: an RSA key pair (published as a JWKS) and ID tokens
 * signed with it, with any claims, plus a forger's key the pool does not know.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterEach, beforeEach, vi } from 'vitest';
import type { Jwk } from '../../src/access/id-token.js';

export const ISSUER = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TestPool1';
export const CLIENT_ID = 'test-client-id';
/** 2026-11-23T08:00:00Z, in seconds. */
export const NOW = Date.parse('2026-11-23T08:00:00Z') / 1000;

/**
 * The wall clock at NOW for each test of the calling file: aws-jwt-verify checks `exp` on
 * `Date.now()` (it takes no clock), and the tokens here are issued at NOW. Only `Date` is faked;
 * timers run.
 */
export function onTokenClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW * 1000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

function keyPair(kid: string): { privateKey: KeyObject; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, kty: 'RSA' } };
}

const pool = keyPair('pool-key-1');
const forger = keyPair('pool-key-1');

/** The user pool's JWKS keys. */
export const POOL_KEYS: readonly Jwk[] = [pool.jwk];

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ID token for `claims` over sensible defaults, signed by the pool (or by a forger). */
export function idToken(
  claims: Record<string, unknown> = {},
  options: { forged?: boolean; header?: Record<string, unknown> } = {},
): string {
  const header = { alg: 'RS256', kid: 'pool-key-1', ...options.header };
  const payload = {
    sub: '0b7e7f3a-0000-4000-8000-000000000001',
    iss: ISSUER,
    aud: CLIENT_ID,
    token_use: 'id',
    iat: NOW - 60,
    exp: NOW + 3600,
    email: 'lead@example.nhs.uk',
    ...claims,
  };
  const data = `${part(header)}.${part(payload)}`;
  const key = options.forged ? forger.privateKey : pool.privateKey;
  // RS384 signed as such (a valid RSA signature Cognito would never make); anything else SHA-256.
  const hash = header.alg === 'RS384' ? 'RSA-SHA384' : 'RSA-SHA256';
  return `${data}.${sign(hash, Buffer.from(data), key).toString('base64url')}`;
}
