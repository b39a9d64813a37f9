/**
 * The Lambda@Edge viewer-request handler, built from its parts so the whole of it runs in tests:
 * CloudFront's event in (cloudfront-event.ts), the authoriser's decision (edge-auth.ts) with the
 * settings, keys and token endpoint of edge-services.ts, CloudFront's answer out.
 *
 * A page it lets through is served from the live version of the site, `/versions/<id>/...`, which
 * the pointer object `current.json` in the site bucket names (src/site/site-versions.ts; read at
 * most every POINTER_TTL_MS). Viewers cannot ask for `/versions/` themselves (site-access.ts).
 *
 * If the settings, the pointer or the user pool cannot be reached, the viewer gets a 503 page saying to try
 * again (never a page from S3) and the error is logged; nothing secret is ever logged (no cookie,
 * token or code).
 */
import { randomBytes } from 'node:crypto';
import {
  type CloudFrontRequestEvent,
  type CloudFrontResponse,
  cloudFrontResult,
  messagePage,
  requestOf,
  viewerRequestOf,
} from './cloudfront-event.js';
import { type EdgeConfig, handleViewerRequest } from './edge-auth.js';
import {
  cachedFor,
  fetchJwks,
  KEYS_RECHECK_MS,
  KEYS_TTL_MS,
  POINTER_TTL_MS,
  parseEdgeSettings,
  pointerVersion,
  SETTINGS_TTL_MS,
  tokenExchange,
  tokenRefresh,
  tokenRevoke,
} from './edge-services.js';
import type { Jwk } from './id-token.js';

/** The configuration files written beside the bundle (lambdas/edge-auth.ts reads them). */
export interface EdgeFiles {
  /** The SSM parameter holding the settings JSON, and the region it is in (the stack's). */
  parameterName: string;
  parameterRegion: string;
  /** Network (PCN) code -> ICB code, from the reference data at build time. */
  networkIcbs: Readonly<Record<string, string>>;
}

export interface EdgeHandlerDeps {
  files: EdgeFiles;
  /** Reads the settings parameter's value. */
  readParameter(name: string): Promise<string>;
  /**
   * Reads the site's pointer object (`current.json`) from the bucket the settings name; undefined
   * when there is none (a site published before versions, served from the top of the bucket).
   */
  readPointer?(bucket: string, region: string): Promise<string | undefined>;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  log?: (entry: Record<string, unknown>) => void;
}

export const UNAVAILABLE =
  'Sign-in is not available just now. Please try again in a minute; if it goes on, tell the Rotascope team.';

export function createEdgeHandler(deps: EdgeHandlerDeps) {
  const { files } = deps;
  const fetchFn = deps.fetch ?? fetch;
  const clock = deps.clock ?? Date.now;
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const settings = cachedFor(
    SETTINGS_TTL_MS,
    async () =>
      parseEdgeSettings(await deps.readParameter(files.parameterName), files.parameterName),
    clock,
  );
  // Keys by issuer: the settings could name another pool after a redeploy.
  const keysByIssuer = new Map<string, ReturnType<typeof cachedFor<Jwk[]>>>();
  const keysOf = (config: EdgeConfig) => {
    let keys = keysByIssuer.get(config.issuer);
    if (!keys) {
      keys = cachedFor(KEYS_TTL_MS, () => fetchJwks(config.issuer, fetchFn), clock);
      keysByIssuer.set(config.issuer, keys);
    }
    return keys;
  };
  const icbOf = (network: string) => files.networkIcbs[network];
  // The live version (src/site/site-versions.ts), kept for seconds: a page this handler lets through
  // is served from `/versions/<id>/`, so each version has its own keys in CloudFront's cache.
  let pointerOf:
    | { bucket: string; load: ReturnType<typeof cachedFor<string | undefined>> }
    | undefined;
  const liveVersion = (config: EdgeConfig): Promise<string | undefined> => {
    const { siteBucket, siteBucketRegion } = config;
    const read = deps.readPointer;
    if (!siteBucket || !siteBucketRegion || !read) return Promise.resolve(undefined);
    if (pointerOf?.bucket !== siteBucket) {
      pointerOf = {
        bucket: siteBucket,
        load: cachedFor(
          POINTER_TTL_MS,
          async () => {
            const text = await read(siteBucket, siteBucketRegion);
            if (text === undefined) return undefined;
            const version = pointerVersion(text);
            if (!version) throw new Error(`s3://${siteBucket}/current.json names no version`);
            return version;
          },
          clock,
        ),
      };
    }
    return pointerOf.load();
  };

  return async (event: CloudFrontRequestEvent) => {
    const request = requestOf(event);
    try {
      const config = await settings();
      const result = await handleViewerRequest(viewerRequestOf(request), {
        config,
        icbOf,
        keys: () => keysOf(config)(),
        newKeys: () => keysOf(config).reload(KEYS_RECHECK_MS),
        exchangeCode: tokenExchange(config, fetchFn),
        refresh: tokenRefresh(config, fetchFn),
        revoke: tokenRevoke(config, fetchFn),
        now: () => Math.floor(clock() / 1000),
        nonce: () => randomBytes(32).toString('base64url'),
      });
      if (result.kind !== 'forward') {
        log({ level: 'INFO', uri: request.uri, result: result.kind, status: statusOf(result) });
        return cloudFrontResult(result, request);
      }
      const version = await liveVersion(config);
      return cloudFrontResult(
        version ? { ...result, uri: `/versions/${version}${result.uri}` } : result,
        request,
      );
    } catch (error) {
      log({ level: 'ERROR', uri: request.uri, error: (error as Error).message });
      return messagePage(503, UNAVAILABLE) satisfies CloudFrontResponse;
    }
  };
}

const statusOf = (result: { kind: string; status?: number }) =>
  result.kind === 'redirect' ? 302 : result.status;
