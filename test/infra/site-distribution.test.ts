/**
 * The site's CloudFront distribution: the private bucket read through Origin Access Control,
 * HTTPS only, security headers with a strict Content-Security-Policy, access logs, price class
 * 100, and TLS 1.2 on a custom domain. The edge authoriser on its viewer requests (which also
 * serves folder addresses as their index.html) is tested in edge-auth.test.ts.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/site/content-security-policy.js';
import { ofType, propertiesOf, type Resource, type Statement, synthesise } from './synthesise.js';

const synthesised = synthesise();
const { stack, template, resources, logicalId } = synthesised;
afterAll(() => synthesised.cleanup());

const distributionId = logicalId(stack.site.distribution);
const config = propertiesOf(resources, distributionId).DistributionConfig as Record<
  string,
  unknown
>;
const behaviour = config.DefaultCacheBehavior as Record<string, unknown>;
const siteId = logicalId(stack.storage.site);

describe('CloudFront distribution', () => {
  it('reads the site bucket through Origin Access Control, not an identity or a website endpoint', () => {
    const origins = config.Origins as Record<string, unknown>[];
    expect(origins).toHaveLength(1);
    expect(origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [siteId, 'RegionalDomainName'] },
      OriginAccessControlId: {
        'Fn::GetAtt': [
          Object.keys(ofType(resources, 'AWS::CloudFront::OriginAccessControl'))[0],
          'Id',
        ],
      },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
  });

  it('keeps the bucket private: only this distribution may read it, and the edge role the pointer', () => {
    const [policy] = Object.values(ofType(resources, 'AWS::S3::BucketPolicy')).filter(
      (p: Resource) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify({ Ref: siteId }),
    );
    const document = policy?.Properties?.PolicyDocument as { Statement: Statement[] } | undefined;
    const allows = document?.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
      {
        // The edge function's role (named in the edge stack) reads current.json, nothing else.
        Sid: 'EdgeReadsSitePointer',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: {
          AWS: {
            'Fn::Join': [
              '',
              ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':role/rotascope-dev-edge-auth'],
            ],
          },
        },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [siteId, 'Arn'] }, '/current.json']] },
      },
    ]);
  });

  it('redirects HTTP to HTTPS and serves GET and HEAD only', () => {
    expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
  });

  it('serves index.html at the root, uses price class 100 and restricts no country', () => {
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.PriceClass).toBe('PriceClass_100');
    expect(config.Restrictions).toBeUndefined();
  });

  it('caches pages 10 minutes by default, so a Monday publish shows within minutes', () => {
    const [policyId = ''] = Object.keys(ofType(resources, 'AWS::CloudFront::CachePolicy'));
    expect(behaviour.CachePolicyId).toEqual({ Ref: policyId });
    expect(propertiesOf(resources, policyId).CachePolicyConfig).toMatchObject({
      DefaultTTL: 600,
      MinTTL: 0,
      MaxTTL: 86400,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      },
    });
  });

  it('logs requests to the CloudFront log bucket', () => {
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logicalId(stack.storage.cdnLogs), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('uses the default certificate without a custom domain', () => {
    expect(config.ViewerCertificate).toBeUndefined();
    expect(config.Aliases).toBeUndefined();
  });

  it('requires TLS 1.2 (TLSv1.2_2021) on a custom domain', () => {
    // Prepare
    const siteDomain = {
      domainName: 'rotascope.example.nhs.uk',
      certificateArn:
        'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab',
    };
    // Act
    const custom = synthesise({ config: { siteDomain } });
    // Assess
    custom.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['rotascope.example.nhs.uk'],
        ViewerCertificate: {
          AcmCertificateArn: siteDomain.certificateArn,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    custom.cleanup();
  });

  it('puts no web ACL in front by default, and the stage one when siteWebAclArn is set', () => {
    const webAclArn =
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/rotascope/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
    const [plain] = Object.values(ofType(resources, 'AWS::CloudFront::Distribution'));
    expect(
      (plain?.Properties?.DistributionConfig as Record<string, unknown> | undefined)?.WebACLId,
    ).toBeUndefined();
    const guarded = synthesise({ config: { siteWebAclArn: webAclArn } });
    const [distribution] = Object.values(
      ofType(guarded.resources, 'AWS::CloudFront::Distribution'),
    );
    expect(
      (distribution?.Properties?.DistributionConfig as Record<string, unknown> | undefined)
        ?.WebACLId,
    ).toBe(webAclArn);
    guarded.cleanup();
  });
});

describe('security headers', () => {
  const [policyId = ''] = Object.keys(ofType(resources, 'AWS::CloudFront::ResponseHeadersPolicy'));
  const headers = (
    propertiesOf(resources, policyId).ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, unknown>;
    }
  ).SecurityHeadersConfig;

  it('attaches the security-headers policy to the default behaviour', () => {
    expect(behaviour.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('sends HSTS for two years with subdomains, nosniff, DENY framing and no referrer', () => {
    expect(headers).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 2 * 365 * 24 * 60 * 60,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
  });

  it('tells browsers to keep pages private and ask again each time (so every view is authorised)', () => {
    const policy = propertiesOf(resources, policyId).ResponseHeadersPolicyConfig as Record<
      string,
      unknown
    >;
    expect(policy.CustomHeadersConfig).toEqual({
      Items: [{ Header: 'Cache-Control', Value: 'private, no-cache', Override: true }],
    });
  });

  it("sends a CSP allowing only the site's own scripts, and inline styles only", () => {
    expect(headers.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: CONTENT_SECURITY_POLICY,
      Override: true,
    });
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });
});
