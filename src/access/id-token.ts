/**
 * Verify a Cognito ID token (a JWT signed RS256 with one of the user pool's keys) the way the edge
 * authoriser must: the signature with the key its `kid` names, RS256 only (never `none` or an
 * HMAC algorithm a forger could pick), issued by this user pool, for this app client, an ID token
 * (not an access token), and not expired. Pure apart from node:crypto; the keys (the pool's JWKS)
 * and the time are given.
 */
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';

/** One RSA key of the user pool's JWKS (`<issuer>/.well-known/jwks.json`). */
export interface Jwk extends JsonWebKey {
  kid: string;
  kty: string;
}

export interface IdTokenExpectations {
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>` */
  issuer: string;
  /** The app client id. */
  audience: string;
  /** Now, in seconds since the epoch. */
  now: number;
}

/** The claims Rotascope reads. */
export interface IdClaims {
  sub: string;
  exp: number;
  email?: string;
  'cognito:groups'?: string[];
}

export type Verified = { ok: true; claims: IdClaims } | { ok: false; reason: string };

/** Tokens issued a little in the future (clock skew between Cognito and the edge) still pass. */
const SKEW_SECONDS = 120;

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

const fail = (reason: string): Verified => ({ ok: false, reason });

/** The reason given for a token whose `kid` is not among the keys (they may have changed). */
export const UNKNOWN_KEY = 'signed with a key the user pool does not have';

export function verifyIdToken(
  token: string,
  keys: readonly Jwk[],
  expected: IdTokenExpectations,
): Verified {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    return fail('not a signed JWT');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown; kid?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = decodePart(headerPart) as typeof header;
    claims = decodePart(payloadPart) as typeof claims;
  } catch {
    return fail('not a signed JWT');
  }
  // JSON.parse accepts `null`, numbers and lists too: each part must be an object.
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(header) || !isObject(claims)) return fail('not a signed JWT');
  if (header.alg !== 'RS256') return fail(`algorithm ${String(header.alg)} is not RS256`);
  const key = keys.find((k) => k.kid === header.kid && k.kty === 'RSA');
  if (!key) return fail(UNKNOWN_KEY);
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    createPublicKey({ key, format: 'jwk' }),
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) return fail('bad signature');
  if (claims.iss !== expected.issuer) return fail('issued by another user pool');
  if (claims.aud !== expected.audience) return fail('issued for another app client');
  if (claims.token_use !== 'id') return fail('not an ID token');
  if (typeof claims.exp !== 'number' || claims.exp <= expected.now) return fail('expired');
  if (typeof claims.iat !== 'number') return fail('no issue time');
  if (claims.iat > expected.now + SKEW_SECONDS) return fail('issued in the future');
  if (typeof claims.sub !== 'string') return fail('no subject');
  const groups = claims['cognito:groups'];
  if (
    groups !== undefined &&
    !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))
  ) {
    return fail('cognito:groups is not a list of names');
  }
  return { ok: true, claims: claims as unknown as IdClaims };
}
