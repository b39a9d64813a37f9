/**
 * SiteDistribution: CloudFront in front of the private site bucket.
 *
 * - The bucket stays private: CloudFront reads it through Origin Access Control (a bucket policy
 *   statement for this distribution only); nothing else can.
 * - HTTP is redirected to HTTPS. With a custom domain (stage config `siteDomain`) viewers need TLS
 *   1.2 or newer (TLSv1.2_2021); on the default *.cloudfront.net name CloudFront's own certificate
 *   fixes the policy at TLSv1, which is why cdk-nag's AwsSolutions-CFR4 is acknowledged for it.
 * - Every viewer request goes first to the edge authoriser (infra/edge-auth.ts, Lambda@Edge):
 *   it signs viewers in, refuses what they may not open, and rewrites folder addresses
 *   (`/reports/2026-W46/U60865/`) to their `index.html`, as CloudFront does for `/`.
 * - Edge caches keep a page 10 minutes unless it says otherwise: publish rewrites pages and
 *   assets under the same names every Monday, and they should show within minutes.
 * - Every response carries security headers: HSTS for two years with subdomains, nosniff, no
 *   framing, no referrer, `Cache-Control: private, no-cache`, and the site's Content-Security-Policy
 *   (src/site/content-security-policy.ts).
 * - Access logs go to their own bucket (infra/storage.ts `cdnLogs`: CloudFront logging needs ACLs).
 * - Price class 100 (Europe and North America edge locations: the users are in England); no geo
 *   restriction and no WAF (see the acknowledged findings below).
 */
import { Duration } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  LambdaEdgeEventType,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IVersion } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONTENT_SECURITY_POLICY } from '../src/site/content-security-policy.js';
import { acknowledge, cfnOf } from './nag.js';
import type { StageConfig } from './stage-config.js';

/** How long edge caches keep an object that sends no Cache-Control. */
export const SITE_DEFAULT_TTL = Duration.minutes(10);

/**
 * What browsers are told: keep a page for this viewer only, and ask again each time it is shown,
 * so every view passes the edge authoriser (a page opened at a shared computer is not shown from
 * the browser's cache to the next person, nor after access is taken away). Unchanged pages and
 * assets come back as 304s. CloudFront's own caching follows the cache policy, not this header.
 */
export const BROWSER_CACHE_CONTROL = 'private, no-cache';

export interface SiteDistributionProps {
  readonly site: IBucket;
  readonly logs: IBucket;
  /** The edge authoriser's version, run on every viewer request (infra/edge-auth.ts). */
  readonly edgeAuth: IVersion;
  readonly domain?: StageConfig['siteDomain'];
  /** A WAF web ACL (CLOUDFRONT scope, us-east-1) in front of the distribution, by ARN. */
  readonly webAclArn?: string;
}

export class SiteDistribution extends Construct {
  readonly distribution: Distribution;
  readonly securityHeaders: ResponseHeadersPolicy;
  /** `https://<domain>` without a trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Rotascope site: HSTS, CSP, no sniffing, no framing, no referrer, private caching',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [{ header: 'Cache-Control', value: BROWSER_CACHE_CONTROL, override: true }],
      },
    });

    // The managed CachingOptimized policy keeps objects without Cache-Control for a day.
    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: 'Rotascope site: 10 minutes by default (pages are rewritten weekly in place)',
      defaultTtl: SITE_DEFAULT_TTL,
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const domain = props.domain;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Rotascope site',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: this.securityHeaders,
        compress: true,
        edgeLambdas: [
          { functionVersion: props.edgeAuth, eventType: LambdaEdgeEventType.VIEWER_REQUEST },
        ],
      },
      defaultRootObject: 'index.html',
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.logs,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    this.url = `https://${domain ? domain.domainName : this.distribution.distributionDomainName}`;

    acknowledge(
      cfnOf(this.distribution),
      'AwsSolutions-CFR1',
      'No geo restriction: NHS staff and commissioners read the dashboards from anywhere ' +
        '(travel, remote work); the content is aggregate and published for them.',
    );
    if (!props.webAclArn)
      acknowledge(
        cfnOf(this.distribution),
        'AwsSolutions-CFR2',
        'No WAF: the site is static files from S3 behind OAC with GET/HEAD only, no forms, no ' +
          'API and no origin that could be attacked; a web ACL would add cost and little protection. ' +
          'A stage may still name one (stage config siteWebAclArn).',
      );
    if (!domain) {
      acknowledge(
        cfnOf(this.distribution),
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the *.cloudfront.net default ' +
          'certificate, whose security policy CloudFront fixes at TLSv1; setting siteDomain ' +
          'in the stage config applies TLSv1.2_2021.',
      );
    }
  }
}
