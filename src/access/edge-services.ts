/**
 * What the edge authoriser reads from the world, each kept small and bounded for Lambda@Edge (a
 * viewer-request function has 5 seconds and no environment variables):
 *
 * - its settings (issuer, app client, sign-in domain, site address): a JSON SSM parameter the
 *   stack writes in its own region (infra/edge-auth.ts), read at cold start and again after
 *   SETTINGS_TTL_MS, so a redeployed stack is picked up without a new function version;
 * - the user pool's signing keys: `<issuer>/.well-known/jwks.json`, public, kept KEYS_TTL_MS;
 * - the token endpoint: `<sign-in domain>/oauth2/token`, authorization-code grant with the PKCE
 *   verifier, and refresh-token grant (the app client is public: no secret).
 *
 * `fetch` and the parameter reader are passed in: the tests serve stand-in endpoints on 127.0.0.1.
 */
import { z } from 'zod';
import { type EdgeConfig, GrantRefusedError, type Tokens } from './edge-auth.js';
import type { Jwk } from './id-token.js';

export const SETTINGS_TTL_MS = 15 * 60_000;
export const KEYS_TTL_MS = 60 * 60_000;
/** A token signed with a key not in the kept set makes the keys load again, at most this often. */
export const KEYS_RECHECK_MS = 5 * 60_000;
/**
 * Each call gets this long. A viewer request has 5 s, and the worst is three calls: the settings
 * (cold container), then the token endpoint with the keys fetched alongside.
 */
export const CALL_TIMEOUT_MS = 1_500;

// https only, except a port on 127.0.0.1: the tests' stand-in pool (the stack always writes https).
const httpsOrLoopback = z
  .string()
  .regex(/^(?:https:\/\/[^/\s]+|http:\/\/127\.0\.0\.1:\d+)(?:\/[^\s]*)?$/, 'an https:// address')
  .refine((value) => !value.endsWith('/'), 'no trailing slash');

/** The settings parameter's value, as infra/edge-auth.ts writes it. */
const EdgeSettingsSchema = z
  .object({
    issuer: httpsOrLoopback,
    clientId: z.string().min(1),
    signInDomain: httpsOrLoopback,
    siteUrl: httpsOrLoopback,
    /**
     * The site bucket and its region: the edge reads the live version's pointer there
     * (`current.json`, src/site/site-versions.ts). Absent in settings written before versions.
     */
    siteBucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
      .optional(),
    siteBucketRegion: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region')
      .optional(),
  })
  .strict();

/** The edge keeps the live version's pointer this long: a publish shows within seconds. */
export const POINTER_TTL_MS = 10_000;

/** The version a site pointer (`current.json`) names, if it is one (src/site/site-versions.ts). */
export function pointerVersion(text: string): string | undefined {
  try {
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' && /^v\d{8}T\d{6}Z-[0-9a-z-]+$/.test(version)
      ? version
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the parameter's text; throws naming the parameter and the first bad field. */
export function parseEdgeSettings(text: string, parameterName: string): EdgeConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`SSM parameter ${parameterName} is not JSON`);
  }
  const parsed = EdgeSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `SSM parameter ${parameterName}: ${issue?.path.join('.') || '(value)'} ${issue?.message ?? 'is invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * `load`'s result, kept for `ttlMs`; one load at a time (concurrent callers share it); a failed
 * load is not kept, so the next request tries again. `reload(minAgeMs)` loads again now unless
 * what is kept is younger than `minAgeMs` (so a caller that needs newer data cannot make it load
 * more often than that).
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, clock = Date.now) {
  let kept: { value: Promise<T>; at: number } | undefined;
  const loadNow = (): Promise<T> => {
    const value = load();
    kept = { value, at: clock() };
    value.catch(() => {
      if (kept?.value === value) kept = undefined;
    });
    return value;
  };
  const keptFor = (ms: number) => (kept && clock() < kept.at + ms ? kept.value : undefined);
  return Object.assign(() => keptFor(ttlMs) ?? loadNow(), {
    reload: (minAgeMs: number) => keptFor(minAgeMs) ?? loadNow(),
  });
}

type Fetch = typeof fetch;

async function call(fetchFn: Fetch, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`${url} did not answer: ${(error as Error).message}`);
  }
}

/** The user pool's public signing keys. */
export async function fetchJwks(issuer: string, fetchFn: Fetch = fetch): Promise<Jwk[]> {
  const url = `${issuer}/.well-known/jwks.json`;
  const response = await call(fetchFn, url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  const body = (await response.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error(`${url} has no keys`);
  return body.keys as Jwk[];
}

/** POSTs a grant to the pool's token endpoint; the JSON it answers. */
/** POSTs form fields, as the pool's OAuth endpoints take them. */
function postForm(fetchFn: Fetch, url: string, fields: Record<string, string>) {
  return call(fetchFn, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

async function postGrant(
  config: EdgeConfig,
  fetchFn: Fetch,
  grant: Record<string, string>,
): Promise<Record<string, unknown>> {
  const url = `${config.signInDomain}/oauth2/token`;
  const response = await postForm(fetchFn, url, { ...grant, client_id: config.clientId });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  // `invalid_grant` is the pool refusing this code or refresh token; any other error (say
  // invalid_client: the app client or its callback is misconfigured) is ours to fix.
  if (response.status === 400 && body.error === 'invalid_grant') {
    throw new GrantRefusedError('invalid_grant');
  }
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status} ${String(body.error ?? '')}`.trim());
  }
  if (typeof body.id_token !== 'string') throw new Error(`${url} returned no id_token`);
  return body;
}

/**
 * Exchanges an authorization code (with its PKCE verifier) for tokens. The pool refusing the
 * code (used, expired, wrong verifier) is a GrantRefusedError, which the callback turns into
 * "start again"; anything else is an outage.
 */
export function tokenExchange(config: EdgeConfig, fetchFn: Fetch = fetch) {
  return async (code: string, redirectUri: string, codeVerifier: string): Promise<Tokens> => {
    const body = await postGrant(config, fetchFn, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    });
    return {
      idToken: body.id_token as string,
      ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    };
  };
}

/** A new ID token for a refresh token; GrantRefusedError when the pool no longer honours it. */
export function tokenRefresh(config: EdgeConfig, fetchFn: Fetch = fetch) {
  return async (refreshToken: string): Promise<string> => {
    const body = await postGrant(config, fetchFn, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    return body.id_token as string;
  };
}

/** Revokes a refresh token at `<sign-in domain>/oauth2/revoke` (token revocation is on). */
export function tokenRevoke(config: EdgeConfig, fetchFn: Fetch = fetch) {
  return async (refreshToken: string): Promise<void> => {
    const url = `${config.signInDomain}/oauth2/revoke`;
    const response = await postForm(fetchFn, url, {
      token: refreshToken,
      client_id: config.clientId,
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  };
}
