/**
 * CloudFront viewer-request events as Lambda@Edge receives them (the documented event structure,
 * example values), for the edge authoriser's tests.
 */
import type { CloudFrontRequest } from '../../src/access/cloudfront-event.js';

/** A viewer request as CloudFront delivers it (fields from the Lambda@Edge event structure). */
export function cloudFrontEvent(uri: string, cookies: string[] = [], querystring = '') {
  const request: CloudFrontRequest = {
    clientIp: '203.0.113.178',
    method: 'GET',
    uri,
    querystring,
    headers: {
      host: [{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }],
      'user-agent': [{ key: 'User-Agent', value: 'curl/8.5.0' }],
      ...(cookies.length ? { cookie: cookies.map((value) => ({ key: 'Cookie', value })) } : {}),
    },
  };
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request,
        },
      },
    ],
  };
}
