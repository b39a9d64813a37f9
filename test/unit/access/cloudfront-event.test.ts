/**
 * CloudFront's viewer-request event in and the edge's answer out: cookies from several headers,
 * the request forwarded with only its URI changed, redirects with their cookies, refusal pages
 * with security headers, never cached.
 */
import { describe, expect, it } from 'vitest';
import {
  type CloudFrontResponse,
  cloudFrontResult,
  cookiesOf,
  requestOf,
  viewerRequestOf,
} from '../../../src/access/cloudfront-event.js';
import { CONTENT_SECURITY_POLICY } from '../../../src/site/content-security-policy.js';
import { cloudFrontEvent } from '../../helpers/cloudfront-events.js';

describe('the viewer request', () => {
  it('takes the URI, the query string and the cookies of every Cookie header', () => {
    const event = cloudFrontEvent(
      '/_auth/callback',
      ['rotascope_state=n.v; theme=dark', 'rotascope_id=a.b.c; empty='],
      'code=abc&state=n.L3',
    );
    expect(viewerRequestOf(requestOf(event))).toEqual({
      host: 'd111111abcdef8.cloudfront.net',
      uri: '/_auth/callback',
      querystring: 'code=abc&state=n.L3',
      cookies: { rotascope_state: 'n.v', theme: 'dark', rotascope_id: 'a.b.c', empty: '' },
    });
  });

  it('keeps the first value of a cookie sent twice, and skips pairs without a name', () => {
    const headers = { cookie: [{ value: 'a=1; =x; junk; a=2' }, { value: 'a=3' }] };
    expect(cookiesOf(headers)).toEqual({ a: '1' });
  });

  it('has no cookies when there is no Cookie header', () => {
    expect(cookiesOf({})).toEqual({});
  });

  it('refuses an event that is not a viewer request', () => {
    expect(() => requestOf({ Records: [] } as never)).toThrow('Not a CloudFront viewer-request');
  });
});

describe('the answer', () => {
  const request = requestOf(cloudFrontEvent('/networks/U60865/', ['rotascope_id=t']));

  it('forwards the request itself with only its URI changed', () => {
    const result = cloudFrontResult(
      { kind: 'forward', uri: '/networks/U60865/index.html' },
      request,
    );
    expect(result).toEqual({ ...request, uri: '/networks/U60865/index.html' });
  });

  it('redirects with every cookie as its own Set-Cookie and no caching', () => {
    const result = cloudFrontResult(
      {
        kind: 'redirect',
        location: 'https://signin.example/oauth2/authorize?x=1',
        setCookies: ['a=1; Path=/', 'b=2; Path=/'],
      },
      request,
    ) as CloudFrontResponse;
    expect(result.status).toBe('302');
    expect(result.headers.location).toEqual([
      { key: 'Location', value: 'https://signin.example/oauth2/authorize?x=1' },
    ]);
    expect(result.headers['set-cookie']).toEqual([
      { key: 'Set-Cookie', value: 'a=1; Path=/' },
      { key: 'Set-Cookie', value: 'b=2; Path=/' },
    ]);
    expect(result.headers['cache-control']).toEqual([{ key: 'Cache-Control', value: 'no-store' }]);
    expect(result.body).toBeUndefined();
  });

  it.each([
    [400, 'Bad Request'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
  ] as const)('answers %i with a page saying why, and the security headers', (status, text) => {
    const result = cloudFrontResult(
      { kind: 'deny', status, message: 'Not <yours> & not now.' },
      request,
    ) as CloudFrontResponse;
    expect(result).toMatchObject({ status: String(status), statusDescription: text });
    expect(result.body).toContain('<p>Not &lt;yours&gt; &amp; not now.</p>');
    expect(result.body).toContain('href="/_auth/sign-out"');
    const headers = Object.fromEntries(
      Object.entries(result.headers).map(([name, [first]]) => [name, first?.value]),
    );
    expect(headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': 'max-age=63072000; includeSubDomains',
    });
    expect(result.headers['set-cookie']).toBeUndefined();
  });
});
