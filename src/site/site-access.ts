/**
 * Who may open which page of the site: one pure rule, used by the edge authoriser in front of
 * CloudFront (src/access/edge-auth.ts, which depends on the site, never the other way) and by
 * the site builder, which labels each index entry with the grants that open it so the index lists
 * only what the viewer may open.
 *
 * A viewer holds grants: `network:<PCN code>` (a network lead or rota coordinator) and
 * `icb:<ICB code>` (a commissioner: every network in that ICB). The site's addresses
 * (src/site/build-site.ts) map to grants:
 *
 *   /, /index.html, /assets/...          any signed-in viewer (the index lists names only)
 *   /icb/<ICB>/...                       icb:<ICB>
 *   /networks/<PCN>/...                  network:<PCN>, or icb:<the network's ICB>
 *   /reports/<ISO week>/<PCN>/...        network:<PCN>, or icb:<the network's ICB>
 *
 * Deny by default: any other address, and any address that is not plainly written, is refused
 * before grants are looked at. Plainly written means: only the characters the site's own paths
 * use (letters, digits, `.`, `_`, `-`, `/`), so percent-encoding (`%2F`, `%2e%2e`), backslashes
 * and other tricks never reach the matching; no empty, `.` or `..` segment; codes in the case the
 * site writes them (`/networks/u60865/` is not `/networks/U60865/`; S3 keys are case-sensitive).
 */

/**
 * The two addresses the edge answers itself (src/access/edge-auth.ts), never files of the site:
 * where Cognito sends the browser back after sign-in, and the site's "Sign out" link.
 */
export const CALLBACK_PATH = '/_auth/callback';
export const SIGN_OUT_PATH = '/_auth/sign-out';

/** `network:U60865` or `icb:QMF`. */
export type Grant = `network:${string}` | `icb:${string}`;

/** The ICB a network belongs to (reference data), if known. */
export type IcbOfNetwork = (network: string) => string | undefined;

export type Decision =
  | { allow: true }
  /** 401: not signed in (the edge sends the viewer to sign in); 403: signed in, not allowed. */
  | { allow: false; status: 401 | 403; reason: string }
  /** 400 / 404: not an address of the site at all, whoever asks. */
  | { allow: false; status: 400 | 404; reason: string };

/** What opens an address: any signed-in viewer, or any one of some grants, or nothing. */
export type PathAccess =
  | { kind: 'signed-in' }
  | { kind: 'grants'; grants: Grant[] }
  | { kind: 'invalid'; status: 400 | 404; reason: string };

const PLAIN_PATH = /^\/[A-Za-z0-9._\-/]*$/;
const PCN_CODE = /^U[0-9]{5}$/;
/** ICB codes are three characters (QMF); networks without a known ICB are filed under UNKNOWN. */
const ICB_CODE = /^(?:[A-Z0-9]{3}|UNKNOWN)$/;
const ISO_WEEK = /^[0-9]{4}-W(?:0[1-9]|[1-4][0-9]|5[0-3])$/;

/** The grants that open a network's pages: its own, and its ICB's when the ICB is known. */
export function networkGrants(network: string, icbOf: IcbOfNetwork): Grant[] {
  const icb = icbOf(network);
  return icb ? [`network:${network}`, `icb:${icb}`] : [`network:${network}`];
}

/** What opens `path` (a URL path as the viewer sent it, without query string). */
export function pathAccess(path: string, icbOf: IcbOfNetwork): PathAccess {
  if (!PLAIN_PATH.test(path)) {
    return { kind: 'invalid', status: 400, reason: 'address has characters the site never uses' };
  }
  const segments = path.slice(1).split('/');
  // A trailing slash names a folder's index.html; any other empty segment is `//`.
  if (segments.at(-1) === '') segments.pop();
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return { kind: 'invalid', status: 400, reason: 'address has an empty, . or .. segment' };
  }
  const [area, first, second] = segments;
  if (area === undefined || (area === 'index.html' && segments.length === 1)) {
    return { kind: 'signed-in' };
  }
  if (area === 'assets' && segments.length > 1) return { kind: 'signed-in' };
  if (area === 'icb' && first !== undefined && ICB_CODE.test(first)) {
    return { kind: 'grants', grants: [`icb:${first}`] };
  }
  if (area === 'networks' && first !== undefined && PCN_CODE.test(first)) {
    return { kind: 'grants', grants: networkGrants(first, icbOf) };
  }
  if (
    area === 'reports' &&
    first !== undefined &&
    ISO_WEEK.test(first) &&
    second !== undefined &&
    PCN_CODE.test(second)
  ) {
    return { kind: 'grants', grants: networkGrants(second, icbOf) };
  }
  return { kind: 'invalid', status: 404, reason: 'no such page' };
}

/**
 * May a viewer with these grants (undefined: not signed in) open `path`? Invalid addresses are
 * refused whoever asks; then a viewer must be signed in; then hold one of the path's grants.
 */
export function authorise(
  path: string,
  viewer: ReadonlySet<string> | undefined,
  icbOf: IcbOfNetwork,
): Decision {
  const access = pathAccess(path, icbOf);
  if (access.kind === 'invalid')
    return { allow: false, status: access.status, reason: access.reason };
  if (viewer === undefined) return { allow: false, status: 401, reason: 'not signed in' };
  if (access.kind === 'signed-in') return { allow: true };
  if (access.grants.some((grant) => viewer.has(grant))) return { allow: true };
  return { allow: false, status: 403, reason: `needs one of ${access.grants.join(', ')}` };
}

/**
 * Grants from a viewer's Cognito groups, named `network-U60865` and `icb-QMF`: only an admin
 * puts a user in a group. Anything else (other groups, malformed, lower-case or UNKNOWN codes)
 * grants nothing. (Nothing a user can write about themselves, such as their attributes, counts:
 * docs/access.md, "Where grants come from".)
 */
export function grantsFromGroups(groups: readonly string[]): Set<Grant> {
  const grants = new Set<Grant>();
  for (const group of groups) {
    const match = /^(network|icb)-([A-Z0-9]+)$/.exec(group);
    if (!match) continue;
    const kind = match[1] as string;
    const code = match[2] as string;
    if (kind === 'network' && PCN_CODE.test(code)) grants.add(`network:${code}`);
    if (kind === 'icb' && ICB_CODE.test(code) && code !== 'UNKNOWN') grants.add(`icb:${code}`);
  }
  return grants;
}
