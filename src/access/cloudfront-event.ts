/**
 * CloudFront's viewer-request event and the edge authoriser's result, translated both ways
 * (Lambda@Edge event structure: headers are lower-case names holding `{ key, value }` lists).
 *
 * - In: the URI, the query string, and the cookies of every `Cookie` header (the first value of
 *   a name wins, as browsers send the most specific path first).
 * - Out: the request itself to go on to S3 (only its URI changed), or a response CloudFront
 *   sends without asking S3: a redirect with its cookies, or a short refusal page. Responses made
 *   here carry the site's security headers and are never cached.
 */
import { CONTENT_SECURITY_POLICY } from '../site/content-security-policy.js';
import { escapeHtml } from '../site/html.js';
import type { EdgeResult, ViewerRequest } from './edge-auth.js';

type HeaderList = { key?: string; value: string }[];

export interface CloudFrontRequest {
  uri: string;
  querystring: string;
  method: string;
  clientIp: string;
  headers: Record<string, HeaderList>;
  [other: string]: unknown;
}

export interface CloudFrontRequestEvent {
  Records: { cf: { config: Record<string, unknown>; request: CloudFrontRequest } }[];
}

export interface CloudFrontResponse {
  status: string;
  statusDescription: string;
  headers: Record<string, HeaderList>;
  body?: string;
}

/** The request of a viewer-request event; throws if the event is not one. */
export function requestOf(event: CloudFrontRequestEvent): CloudFrontRequest {
  const request = event?.Records?.[0]?.cf?.request;
  if (!request || typeof request.uri !== 'string') {
    throw new Error('Not a CloudFront viewer-request event');
  }
  return request;
}

/** Cookies from every `Cookie` header; the first value of a name wins. */
export function cookiesOf(headers: CloudFrontRequest['headers']): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const { value } of headers.cookie ?? []) {
    for (const pair of value.split(';')) {
      const at = pair.indexOf('=');
      if (at <= 0) continue;
      const name = pair.slice(0, at).trim();
      if (name && !(name in cookies)) cookies[name] = pair.slice(at + 1).trim();
    }
  }
  return cookies;
}

export function viewerRequestOf(request: CloudFrontRequest): ViewerRequest {
  const host = request.headers?.host?.[0]?.value;
  return {
    ...(host ? { host } : {}),
    uri: request.uri,
    querystring: request.querystring ?? '',
    cookies: cookiesOf(request.headers ?? {}),
  };
}

const STATUS_TEXT = {
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
} as const;

const header = (key: string, value: string): HeaderList => [{ key, value }];

/** Headers of every response made at the edge (the distribution's policy adds the same). */
function responseHeaders(): Record<string, HeaderList> {
  return {
    'cache-control': header('Cache-Control', 'no-store'),
    'strict-transport-security': header(
      'Strict-Transport-Security',
      'max-age=63072000; includeSubDomains',
    ),
    'x-content-type-options': header('X-Content-Type-Options', 'nosniff'),
    'x-frame-options': header('X-Frame-Options', 'DENY'),
    'referrer-policy': header('Referrer-Policy', 'no-referrer'),
    'content-security-policy': header('Content-Security-Policy', CONTENT_SECURITY_POLICY),
  };
}

/** A small page for a refusal: the reason, and the ways on. */
export function messagePage(status: keyof typeof STATUS_TEXT, message: string): CloudFrontResponse {
  const body = `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>${STATUS_TEXT[status]} - Rotascope</title></head>
<body><h1>${STATUS_TEXT[status]}</h1><p>${escapeHtml(message)}</p>
<p><a href="/">Rotascope home</a> · <a href="/_auth/sign-out">Sign out</a></p></body></html>
`;
  return {
    status: String(status),
    statusDescription: STATUS_TEXT[status],
    headers: {
      ...responseHeaders(),
      'content-type': header('Content-Type', 'text/html; charset=utf-8'),
    },
    body,
  };
}

function withCookies(
  response: CloudFrontResponse,
  setCookies: readonly string[] | undefined,
): CloudFrontResponse {
  if (!setCookies?.length) return response;
  const cookies = setCookies.map((value) => ({ key: 'Set-Cookie', value }));
  return { ...response, headers: { ...response.headers, 'set-cookie': cookies } };
}

/** What the Lambda@Edge handler returns for the authoriser's result. */
export function cloudFrontResult(
  result: EdgeResult,
  request: CloudFrontRequest,
): CloudFrontRequest | CloudFrontResponse {
  if (result.kind === 'forward') return { ...request, uri: result.uri };
  if (result.kind === 'redirect') {
    return withCookies(
      {
        status: '302',
        statusDescription: STATUS_TEXT[302],
        headers: {
          ...responseHeaders(),
          location: header('Location', result.location),
          ...(result.clearBrowserCache
            ? { 'clear-site-data': header('Clear-Site-Data', '"cache"') }
            : {}),
        },
      },
      result.setCookies,
    );
  }
  return withCookies(messagePage(result.status, result.message), result.setCookies);
}
