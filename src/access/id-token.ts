/**
 * Verify a Cognito ID token (a JWT signed RS256 with one of the user pool's keys) the way the edge
 * authoriser must: the signature with the key its `kid` names, RS256 only (never `none` or an
 * HMAC algorithm a forger could pick), issued by this user pool, for this app client, an ID token
 * (not an access token), and not expired. The JWT work (parsing, key choice, algorithm, signature,
 * issuer, audience, token use) is AWS's `aws-jwt-verify` (`JwtRsaVerifier` with its Cognito
 * claim checks; not `CognitoJwtVerifier`, which derives the issuer from a pool id and so cannot
 * take the tests' stand-in pool on 127.0.0.1). What it leaves to us, checked here on the edge's
 * own clock (`now`): a token must carry `exp` and `iat` (the library skips absent ones), `iat` not
 * in the future, a `sub`, and `cognito:groups` a list of names. The keys are given: the edge keeps
 * them (edge-handler.ts) within its own time budget.
 */

import type { JsonWebKey } from 'node:crypto';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtParseError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';

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

const fail = (reason: string): Verified => ({ ok: false, reason });

/** The reason given for a token whose `kid` is not among the keys (they may have changed). */
export const UNKNOWN_KEY = 'signed with a key the user pool does not have';

/** Cognito signs with RS256 only; the library would also take RS384, RS512, ES256 and EdDSA. */
class NotRs256Error extends Error {}

/** The library's refusals, in the words the edge logs and the tests name. */
function reasonOf(error: unknown, alg: unknown): string {
  if (error instanceof JwtParseError) return 'not a signed JWT';
  if (error instanceof JwtInvalidSignatureAlgorithmError || error instanceof NotRs256Error)
    return `algorithm ${String(alg)} is not RS256`;
  if (error instanceof KidNotFoundInJwksError) return UNKNOWN_KEY;
  if (error instanceof JwtInvalidSignatureError) return 'bad signature';
  if (error instanceof JwtInvalidIssuerError) return 'issued by another user pool';
  if (error instanceof JwtInvalidAudienceError || error instanceof CognitoJwtInvalidClientIdError)
    return 'issued for another app client';
  if (error instanceof CognitoJwtInvalidTokenUseError) return 'not an ID token';
  if (error instanceof JwtExpiredError) return 'expired';
  throw error;
}

/** The (unverified) header's algorithm, for the reason given when it is refused. */
function headerAlg(token: string): unknown {
  try {
    return (
      JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
        alg?: unknown;
      }
    ).alg;
  } catch {
    return undefined;
  }
}

export function verifyIdToken(
  token: string,
  keys: readonly Jwk[],
  expected: IdTokenExpectations,
): Verified {
  const verifier = JwtRsaVerifier.create({
    issuer: expected.issuer,
    audience: expected.audience,
    jwksUri: `${expected.issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ header, payload }) => {
      if (header.alg !== 'RS256') throw new NotRs256Error();
      validateCognitoJwtFields(payload, { tokenUse: 'id', clientId: expected.audience });
    },
  });
  verifier.cacheJwks({ keys: keys.filter((k) => k.kty === 'RSA') } as unknown as Jwks);
  let claims: Record<string, unknown>;
  try {
    claims = verifier.verifySync(token) as Record<string, unknown>;
  } catch (error) {
    return fail(reasonOf(error, headerAlg(token)));
  }
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
