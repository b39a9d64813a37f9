/**
 * The edge authoriser's decisions for one viewer request, with everything that touches the world
 * (the user pool's keys, the token endpoint, the clock, randomness) passed in, so the whole flow
 * is tested without CloudFront or Cognito. The Lambda@Edge handler (lambdas/edge-auth.ts,
 * assembled in edge-handler.ts) translates CloudFront's event to a `ViewerRequest` and the
 * result back (cloudfront-event.ts).
 *
 * - A site address: the `__Host-rotascope_id` cookie (the Cognito ID token, HttpOnly) is verified
 *   (id-token.ts), its Cognito groups become grants, and the access rule
 *   (site-access.ts) decides. Allowed: the request goes on to S3, a folder address rewritten to
 *   its index.html. Not signed in (no cookie, or a bad or expired token): a redirect to the
 *   hosted sign-in page, with a random `state` and a PKCE code verifier kept in a short-lived
 *   HttpOnly cookie. Signed in but not allowed, or not an address of the site: 403 / 404 / 400,
 *   nothing from S3.
 * - `/_auth/callback?code=...&state=...`: the state must match its cookie (no sign-in forced on
 *   a viewer from another site); the code is exchanged for tokens at the user pool's token
 *   endpoint with the cookie's code verifier (PKCE, S256: the app client is public, so no client
 *   secret has to live at the edge, and a code seen by anyone else is useless without the
 *   verifier); a verified ID token becomes the `__Host-rotascope_id` cookie, and `rotascope_grants` (not
 *   HttpOnly: the grants only, for the index page's script to hide what the viewer cannot open),
 *   and the refresh token, if the pool gave one, becomes `__Host-rotascope_refresh`.
 * - An expired or missing ID token with a refresh cookie (the pool's refresh token,
 *   HttpOnly, kept 12 hours): a new ID token from the token endpoint, and the same address again
 *   with it, so a viewer signs in once a working day, not once an hour. Refused (expired, or
 *   revoked): sign in afresh.
 * - `/_auth/sign-out`: the refresh token revoked, every cookie cleared, and on to the hosted
 *   sign-out page (which ends the pool's own session).
 */
import { createHash } from 'node:crypto';
import {
  authorise,
  CALLBACK_PATH,
  grantsFromGroups,
  type IcbOfNetwork,
  pathAccess,
  SIGN_OUT_PATH,
} from '../site/site-access.js';
import {
  type IdClaims,
  type IdTokenExpectations,
  type Jwk,
  UNKNOWN_KEY,
  verifyIdToken,
} from './id-token.js';

// `__Host-`: the browser takes these only from this exact host, over HTTPS, for Path=/, so no
// other subdomain of the site's domain can plant one (a sign-in forced on the viewer).
export const TOKEN_COOKIE = '__Host-rotascope_id';
export const GRANTS_COOKIE = 'rotascope_grants';
export const STATE_COOKIE = '__Host-rotascope_state';
export const REFRESH_COOKIE = '__Host-rotascope_refresh';
/** How long the pool's refresh tokens last (infra/sign-in.ts sets the app client to this). */
export const REFRESH_TOKEN_HOURS = 12;

/**
 * The user pool refused a grant: an authorization code (used, expired, wrong verifier) or a
 * refresh token (expired, revoked, user disabled).
 */
export class GrantRefusedError extends Error {
  constructor(readonly error: string) {
    super(`The user pool refused the grant: ${error}`);
    this.name = 'GrantRefusedError';
  }
}

export interface EdgeConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>` */
  issuer: string;
  clientId: string;
  /** The hosted sign-in domain: `https://<prefix>.auth.<region>.amazoncognito.com` */
  signInDomain: string;
  /** The site's address: `https://<domain>`, no trailing slash. */
  siteUrl: string;
  /** Where the live version's pointer is (absent: the site is served from the top of the bucket). */
  siteBucket?: string | undefined;
  siteBucketRegion?: string | undefined;
}

export interface EdgeDeps {
  config: EdgeConfig;
  icbOf: IcbOfNetwork;
  /** The user pool's JWKS keys (kept by the handler). */
  keys(): Promise<readonly Jwk[]>;
  /** The keys fetched again (a token named a key not kept), unless they were just fetched. */
  newKeys(): Promise<readonly Jwk[]>;
  /** POST to the token endpoint with the code and PKCE verifier; the tokens it returns. */
  exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<Tokens>;
  /** POST to the token endpoint with a refresh token; the new ID token. */
  refresh(refreshToken: string): Promise<string>;
  /** Revokes a refresh token (at sign-out). */
  revoke(refreshToken: string): Promise<void>;
  /** Now, in seconds since the epoch. */
  now(): number;
  /** A fresh unguessable string of 43+ URL-safe characters (state values, PKCE verifiers). */
  nonce(): string;
}

export interface Tokens {
  idToken: string;
  refreshToken?: string;
}

export interface ViewerRequest {
  /** The Host header: the site's own host, or another name of the same distribution. */
  host?: string;
  uri: string;
  querystring: string;
  cookies: Readonly<Record<string, string>>;
}

export type EdgeResult =
  | { kind: 'forward'; uri: string }
  | { kind: 'redirect'; location: string; setCookies: string[]; clearBrowserCache?: true }
  | { kind: 'deny'; status: 400 | 403 | 404; message: string; setCookies?: string[] };

const STATE_SECONDS = 600;

/** The most a browser keeps in one cookie (RFC 6265 asks for at least 4,096 bytes; most stop there). */
export const MAX_COOKIE_BYTES = 4096;
export const TOKEN_TOO_LARGE =
  'Your account is in too many groups for the site to keep you signed in (its sign-in token is ' +
  'over 4 KB). Ask your Rotascope administrator to give you your ICB’s group instead of many ' +
  'network groups.';

function cookie(name: string, value: string, maxAge: number, httpOnly = true): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; Secure; SameSite=Lax${httpOnly ? '; HttpOnly' : ''}`;
}
const cleared = (name: string) => cookie(name, '', 0);

/** A folder address (`/a/b/`, `/a/b`) becomes its index.html, as the site is written. */
export function indexRewrite(uri: string): string {
  if (uri.endsWith('/')) return `${uri}index.html`;
  const last = uri.slice(uri.lastIndexOf('/') + 1);
  return last.includes('.') ? uri : `${uri}/index.html`;
}

export async function handleViewerRequest(
  request: ViewerRequest,
  deps: EdgeDeps,
): Promise<EdgeResult> {
  // One host only (a custom domain, not also *.cloudfront.net): cookies are per host, and
  // Cognito returns the viewer to the site's address.
  const siteHost = new URL(deps.config.siteUrl).host;
  if (request.host && request.host !== siteHost) {
    return { kind: 'redirect', location: addressOnSite(deps.config, request), setCookies: [] };
  }
  if (request.uri === CALLBACK_PATH) return callback(request, deps);
  if (request.uri === SIGN_OUT_PATH) return signOut(request, deps);
  const grants = await viewerGrants(request.cookies[TOKEN_COOKIE], deps);
  const decision = authorise(request.uri, grants, deps.icbOf);
  if (decision.allow) return { kind: 'forward', uri: indexRewrite(request.uri) };
  if (decision.status === 401) {
    const refreshToken = request.cookies[REFRESH_COOKIE];
    return refreshToken ? refreshSession(request, refreshToken, deps) : signIn(request.uri, deps);
  }
  return { kind: 'deny', status: decision.status, message: denyMessage(decision.status) };
}

function denyMessage(status: 400 | 403 | 404): string {
  if (status === 403)
    return 'You are signed in, but this page is not one of your networks or ICBs.';
  return status === 404 ? 'There is no such page.' : 'That is not an address of this site.';
}

/** The viewer's grants, or undefined when there is no valid token. */
async function viewerGrants(token: string | undefined, deps: EdgeDeps) {
  if (!token) return undefined;
  const verified = await verify(token, deps.keys(), deps);
  if (!verified.ok) return undefined;
  return tokenGrants(verified.claims);
}

/**
 * The grants a verified ID token carries: its Cognito groups, for every user, federated or not.
 * Not the `custom:rotascope_scope` attribute (Entra's app roles, copied at each Entra sign-in):
 * a user can rewrite their own attributes through Cognito's API (the attribute must stay
 * writable by the app client for Cognito to copy Entra's roles into it, and the client is
 * public), so it is a hint for admins, never a grant.
 */
export function tokenGrants(claims: IdClaims) {
  return grantsFromGroups(claims['cognito:groups'] ?? []);
}

/** Verifies a token; if it names a key not kept (the pool's keys changed), once more with new keys. */
async function verify(token: string, keys: Promise<readonly Jwk[]>, deps: EdgeDeps) {
  const verified = verifyIdToken(token, await keys, expectations(deps));
  if (verified.ok || verified.reason !== UNKNOWN_KEY) return verified;
  return verifyIdToken(token, await deps.newKeys(), expectations(deps));
}

function expectations(deps: EdgeDeps): IdTokenExpectations {
  return { issuer: deps.config.issuer, audience: deps.config.clientId, now: deps.now() };
}

const redirectUri = (config: EdgeConfig) => `${config.siteUrl}${CALLBACK_PATH}`;

/**
 * The pool's keys, asked for now so that a cold container fetches them while it waits for the
 * token endpoint (a viewer request has 5 seconds). Marked handled: if the token call fails first,
 * nobody awaits them.
 */
function keysInParallel(deps: EdgeDeps): Promise<readonly Jwk[]> {
  const keys = deps.keys();
  keys.catch(() => undefined);
  return keys;
}

/** The PKCE S256 challenge of a code verifier (RFC 7636 §4.2). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * The ID token is missing or expired but a refresh token is kept: a new ID token from the pool,
 * and the same address again with it. If the pool refuses (the refresh token expired, was revoked
 * at sign-out, or the user was disabled), sign in afresh.
 */
async function refreshSession(
  request: ViewerRequest,
  refreshToken: string,
  deps: EdgeDeps,
): Promise<EdgeResult> {
  const signInAfresh = () => {
    const result = signIn(request.uri, deps);
    return { ...result, setCookies: [...result.setCookies, cleared(REFRESH_COOKIE)] };
  };
  const keys = keysInParallel(deps);
  let token: string;
  try {
    token = await deps.refresh(refreshToken);
  } catch (error) {
    if (error instanceof GrantRefusedError) return signInAfresh();
    throw error;
  }
  const verified = await verify(token, keys, deps);
  if (!verified.ok) return signInAfresh();
  const session = sessionCookies(token, verified.claims, deps.now());
  if (!session) return tooLarge();
  return { kind: 'redirect', location: addressOnSite(deps.config, request), setCookies: session };
}

/** The address asked for, on the site's own host. */
function addressOnSite(config: EdgeConfig, request: ViewerRequest): string {
  const query = request.querystring ? `?${request.querystring}` : '';
  return `${config.siteUrl}${request.uri}${query}`;
}

/**
 * The cookies of a signed-in viewer, for as long as the ID token lasts: the token (HttpOnly) and
 * the grants (readable by the index page's script). Undefined when the token cookie is longer
 * than a browser keeps: it would be dropped silently and the viewer sent to sign in again and
 * again.
 */
function sessionCookies(token: string, claims: IdClaims, now: number): string[] | undefined {
  const maxAge = Math.max(0, claims.exp - now);
  const tokenCookie = cookie(TOKEN_COOKIE, token, maxAge);
  if (tokenCookie.length > MAX_COOKIE_BYTES) return undefined;
  const grants = [...tokenGrants(claims)].sort().join('+');
  return [tokenCookie, cookie(GRANTS_COOKIE, grants, maxAge, false)];
}

const tooLarge = (): EdgeResult => ({
  kind: 'deny',
  status: 403,
  message: TOKEN_TOO_LARGE,
  setCookies: [cleared(STATE_COOKIE)],
});

function signIn(returnTo: string, deps: EdgeDeps): EdgeResult & { kind: 'redirect' } {
  const nonce = deps.nonce();
  const verifier = deps.nonce();
  const state = `${nonce}.${Buffer.from(returnTo).toString('base64url')}`;
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: deps.config.clientId,
    redirect_uri: redirectUri(deps.config),
    scope: 'openid email profile',
    state,
    code_challenge: codeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return {
    kind: 'redirect',
    location: `${deps.config.signInDomain}/oauth2/authorize?${query}`,
    // The state cookie holds `<nonce>.<verifier>`: both are base64url, which has no `.`.
    setCookies: [cookie(STATE_COOKIE, `${nonce}.${verifier}`, STATE_SECONDS)],
  };
}

async function signOut(request: ViewerRequest, deps: EdgeDeps): Promise<EdgeResult> {
  const config = deps.config;
  const refreshToken = request.cookies[REFRESH_COOKIE];
  // Best effort: the viewer is signed out of the site whether or not the pool answers (the
  // cookie goes either way, and the token lapses within REFRESH_TOKEN_HOURS).
  if (refreshToken) await deps.revoke(refreshToken).catch(() => undefined);
  const query = new URLSearchParams({
    client_id: config.clientId,
    logout_uri: `${config.siteUrl}/`,
  });
  return {
    kind: 'redirect',
    location: `${config.signInDomain}/logout?${query}`,
    setCookies: [
      cleared(TOKEN_COOKIE),
      cleared(GRANTS_COOKIE),
      cleared(REFRESH_COOKIE),
      cleared(STATE_COOKIE),
    ],
    // Pages kept by the browser must not be shown to the next person at a shared computer.
    clearBrowserCache: true,
  };
}

async function callback(request: ViewerRequest, deps: EdgeDeps): Promise<EdgeResult> {
  const query = new URLSearchParams(request.querystring);
  const code = query.get('code');
  const [nonce, encodedPath] = (query.get('state') ?? '').split('.');
  const [expectedNonce, verifier] = (request.cookies[STATE_COOKIE] ?? '').split('.');
  const startAgain: EdgeResult = {
    kind: 'deny',
    status: 400,
    message: 'Sign-in could not be completed: start again.',
    setCookies: [cleared(STATE_COOKIE)],
  };
  if (!code || !nonce || !expectedNonce || !verifier || nonce !== expectedNonce) return startAgain;
  const keys = keysInParallel(deps);
  let tokens: Tokens;
  try {
    tokens = await deps.exchangeCode(code, redirectUri(deps.config), verifier);
  } catch (error) {
    // A code used twice (the callback page reloaded) or expired: sign in afresh.
    if (error instanceof GrantRefusedError) return startAgain;
    throw error;
  }
  const verified = await verify(tokens.idToken, keys, deps);
  if (!verified.ok) {
    return { kind: 'deny', status: 403, message: `Sign-in refused: ${verified.reason}.` };
  }
  const session = sessionCookies(tokens.idToken, verified.claims, deps.now());
  if (!session) return tooLarge();
  const refresh = tokens.refreshToken
    ? [cookie(REFRESH_COOKIE, tokens.refreshToken, REFRESH_TOKEN_HOURS * 3600)]
    : [];
  return {
    kind: 'redirect',
    location: `${deps.config.siteUrl}${returnPath(encodedPath, deps.icbOf)}`,
    setCookies: [...session, ...refresh, cleared(STATE_COOKIE)],
  };
}

/** Where to go after signing in: the address asked for, if it is one of the site's; else `/`. */
function returnPath(encoded: string | undefined, icbOf: IcbOfNetwork): string {
  const path = encoded ? Buffer.from(encoded, 'base64url').toString('utf8') : '/';
  return pathAccess(path, icbOf).kind === 'invalid' ? '/' : path;
}
