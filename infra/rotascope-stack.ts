/**
 * RotascopeStack: the AWS deployment of Rotascope, one per stage (DESIGN.md §2):
 *
 *   raw bucket --S3 event--> queue --> ingest Lambda --> curated bucket <-- Glue tables / Athena
 *                                                             |
 *   EventBridge Scheduler (Mon 06:00 London) --> publish Lambda --> site bucket <-- CloudFront
 *                                                                       edge authoriser --/
 *                                                      \--> announcements topic (email)
 *   alarms (Lambda errors, dead-letter queues) --> alarm topic (email)
 *   Cognito user pool + hosted sign-in pages: who may read the site (infra/sign-in.ts)
 *   edge authoriser (Lambda@Edge, its own stack in us-east-1) --reads--> SSM edge-auth config
 *
 * Each piece is a construct in its own file; this stack wires them and names the outputs an
 * operator needs (docs/deploying.md). The stack's region is the stage config's (London unless
 * set otherwise); only the edge authoriser lives in us-east-1 (infra/edge-auth.ts).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { ArnPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { packageRoot } from '../src/package-root.js';
import { CURRENT_POINTER } from '../src/site/site-versions.js';
import { Announcements } from './announcements.js';
import { AthenaWorkGroup } from './athena.js';
import { Catalog } from './catalog.js';
import { EdgeAuth, edgeConfigParameterName } from './edge-auth.js';
import { INGEST_TIMEOUT, Ingest } from './ingest.js';
import { Observability } from './observability.js';
import { PUBLISH_TIMEOUT, Publish } from './publish.js';
import { rawReplicaBucketName } from './raw-replica-stack.js';
import { WeeklySchedule } from './schedule.js';
import { SignIn } from './sign-in.js';
import { SiteDistribution } from './site-distribution.js';
import {
  DEFAULT_STAGE,
  quotaWarnings,
  type Stage,
  type StageConfig,
  stageConfig,
} from './stage-config.js';
import { RAW_REPLICATION_RULE, Storage } from './storage.js';
import { TopicKey } from './topic-key.js';

export { DEFAULT_STAGE, isStage, STAGES, type Stage } from './stage-config.js';

/** Where the Lambda build writes one folder per function (`ingest/`, `publish/`). */
export const DEFAULT_ARTEFACTS_DIR = path.join(packageRoot, 'dist', 'lambdas');

export interface RotascopeStackProps extends StackProps {
  /** @default 'dev' */
  readonly stage?: Stage;
  /** @default the stage's defaults (infra/stage-config.ts) */
  readonly config?: StageConfig;
  /** @default DEFAULT_ARTEFACTS_DIR */
  readonly artefactsDir?: string;
  /** Source systems with a mapping. @default the names of `mappings/*.json` */
  readonly sourceSystems?: readonly string[];
}

export class RotascopeStack extends Stack {
  readonly stage: Stage;
  readonly config: StageConfig;
  readonly storage: Storage;
  readonly ingest: Ingest;
  readonly publish: Publish;
  readonly schedule: WeeklySchedule;
  readonly catalog: Catalog;
  readonly athena: AthenaWorkGroup;
  readonly edgeAuth: EdgeAuth;
  readonly site: SiteDistribution;
  readonly signIn: SignIn;
  /** The edge authoriser's configuration (JSON), read by the function at cold start. */
  readonly edgeAuthConfig: StringParameter;
  readonly announcements: Announcements;
  readonly observability: Observability;
  readonly topicKey: TopicKey;

  constructor(scope: Construct, id: string, props: RotascopeStackProps = {}) {
    const stage = props.stage ?? DEFAULT_STAGE;
    super(scope, id, {
      description: `Rotascope (${stage}): workforce analytics for primary care networks`,
      ...props,
    });
    this.stage = stage;
    const config = props.config ?? stageConfig(stage);
    this.config = config;
    const artefactsDir = props.artefactsDir ?? DEFAULT_ARTEFACTS_DIR;
    for (const { id, message } of quotaWarnings(config))
      Annotations.of(this).addWarningV2(id, message);

    this.storage = new Storage(this, 'Storage', {
      retention: config.retention,
      rawReplicaBucketName: config.rawReplication
        ? rawReplicaBucketName(this, stage, config.rawReplication.region)
        : undefined,
    });
    const { raw, curated, site } = this.storage;
    const topicKey = new TopicKey(this, 'TopicKey');
    this.topicKey = topicKey;

    // The edge function needs only the parameter's name, so it comes before the distribution
    // and the sign-in whose addresses go into the parameter's value.
    const edgeAuthConfigName = edgeConfigParameterName(stage);
    this.edgeAuth = new EdgeAuth(this, 'EdgeAuth', {
      artefactsDir,
      stage,
      configParameterName: edgeAuthConfigName,
    });
    this.site = new SiteDistribution(this, 'Site', {
      site,
      logs: this.storage.cdnLogs,
      edgeAuth: this.edgeAuth.version,
      domain: config.siteDomain,
      webAclArn: config.siteWebAclArn,
    });
    this.signIn = new SignIn(this, 'SignIn', {
      siteUrl: this.site.url,
      domainPrefix: config.signInDomainPrefix,
      mfa: config.signInMfa,
      passwordMinLength: config.passwordMinLength,
      entraId: config.entraId,
      retain: stage !== 'dev',
      email: config.signInEmail,
      wafRateLimit: config.signInWafRateLimit,
    });
    this.edgeAuthConfig = new StringParameter(this, 'EdgeAuthConfig', {
      parameterName: edgeAuthConfigName,
      description: `Rotascope ${stage}: what the edge authoriser signs viewers in with`,
      stringValue: this.toJsonString({
        issuer: this.signIn.issuer,
        clientId: this.signIn.client.userPoolClientId,
        signInDomain: this.signIn.signInUrl,
        siteUrl: this.site.url,
        // The edge serves the version the pointer object names (src/site/site-versions.ts).
        siteBucket: site.bucketName,
        siteBucketRegion: this.region,
      }),
    });
    // ... and may read that one object: by the role's name, which the edge stack fixes.
    site.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EdgeReadsSitePointer',
        principals: [
          new ArnPrincipal(
            this.formatArn({
              service: 'iam',
              region: '',
              resource: 'role',
              resourceName: this.edgeAuth.roleName,
            }),
          ),
        ],
        actions: ['s3:GetObject'],
        resources: [site.arnForObjects(CURRENT_POINTER)],
      }),
    );
    this.announcements = new Announcements(this, 'Announcements', {
      key: topicKey.key,
      emails: config.announcementEmails,
    });

    this.ingest = new Ingest(this, 'Ingest', {
      artefactsDir,
      architecture: config.architecture,
      raw,
      curated,
      pseudonymKeyParameter: config.pseudonymKeyParameter,
      maxConcurrency: config.ingestMaxConcurrency,
    });
    this.catalog = new Catalog(this, 'Catalog', {
      curated,
      databaseName: config.glueDatabase,
      firstWeek: config.firstWeek,
      sourceSystems: props.sourceSystems ?? mappedSourceSystems(),
    });
    this.athena = new AthenaWorkGroup(this, 'Athena', {
      name: `rotascope-${stage}`,
      results: this.storage.athenaResults,
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoff,
    });

    this.publish = new Publish(this, 'Publish', {
      artefactsDir,
      architecture: config.architecture,
      curated,
      site,
      announcements: this.announcements,
      siteUrl: this.site.url,
      memoryMiB: config.publishMemoryMiB,
      reservedConcurrency: config.publishReservedConcurrency,
      ephemeralStorageMiB: config.publishEphemeralStorageMiB,
      metricsEngine: config.metricsEngine,
      athena: this.athena,
      catalog: this.catalog,
    });
    this.schedule = new WeeklySchedule(this, 'WeeklySchedule', {
      publish: this.publish.lambda.function,
    });

    // The `stage` dimension of the functions' metrics (lambdas/business-metrics.ts): stages in one
    // account and region write separate series, and each stage's heartbeat alarm watches its own.
    for (const fn of [this.ingest.lambda.function, this.publish.lambda.function]) {
      fn.addEnvironment('ROTASCOPE_STAGE', stage);
    }
    this.observability = new Observability(this, 'Observability', {
      key: topicKey.key,
      emails: config.alarmEmails,
      functions: {
        Ingest: { fn: this.ingest.lambda.function, timeout: INGEST_TIMEOUT },
        Publish: { fn: this.publish.lambda.function, timeout: PUBLISH_TIMEOUT },
      },
      ingestQueue: this.ingest.queue,
      publishService: 'rotascope-publish',
      stage,
      monthlyBudget: config.monthlyBudgetUsd,
      ...(config.rawReplication
        ? {
            rawReplication: {
              source: this.storage.raw,
              destinationName: rawReplicaBucketName(this, stage, config.rawReplication.region),
              ruleId: RAW_REPLICATION_RULE,
            },
          }
        : {}),
      deadLetterQueues: {
        IngestDeadLetter: {
          queue: this.ingest.deadLetterQueue,
          holds: 'exports that failed ingest three times',
        },
        PublishFailures: {
          queue: this.publish.failures,
          holds: 'publish runs that failed after their retry',
        },
        ScheduleDeadLetter: {
          queue: this.schedule.deadLetterQueue,
          holds: 'weekly runs the scheduler could not deliver to the publish Lambda',
        },
      },
    });

    this.outputs();
  }

  private outputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    const s = this.storage;
    output(
      'RawBucketName',
      s.raw.bucketName,
      'Upload exports here: <source>/<network>/<kind>/<file>',
    );
    output('CuratedBucketName', s.curated.bucketName, 'Curated Parquet, rejects and metric tables');
    output('SiteBucketName', s.site.bucketName, 'The published site (served by CloudFront only)');
    output('AthenaResultsBucketName', s.athenaResults.bucketName, 'Athena query results (30 days)');
    output('AccessLogsBucketName', s.accessLogs.bucketName, 'S3 server access logs');
    output('CdnLogsBucketName', s.cdnLogs.bucketName, 'CloudFront access logs');
    output('SiteDomainName', this.site.distribution.distributionDomainName, 'CloudFront domain');
    output('SiteUrl', this.site.url, 'The site');
    output('DistributionId', this.site.distribution.distributionId, 'For cache invalidations');
    output('UserPoolId', this.signIn.userPool.userPoolId, 'Cognito user pool of the site users');
    output('UserPoolClientId', this.signIn.client.userPoolClientId, 'The site app client');
    output('SignInDomain', this.signIn.signInUrl, 'Hosted sign-in pages and OAuth endpoints');
    output(
      'EdgeFunctionName',
      this.edgeAuth.functionName,
      `Edge authoriser (Lambda@Edge, in us-east-1, stack ${this.edgeAuth.edgeStack.stackName})`,
    );
    output(
      'EdgeAuthConfigParameterName',
      this.edgeAuthConfig.parameterName,
      "The edge authoriser's configuration (read at cold start)",
    );
    output('IngestQueueUrl', this.ingest.queue.queueUrl, 'Raw-bucket events waiting for ingest');
    output('IngestDeadLetterQueueUrl', this.ingest.deadLetterQueue.queueUrl, 'Failed ingests');
    output('IngestFunctionName', this.ingest.lambda.function.functionName, 'Ingest Lambda');
    output('PublishFunctionName', this.publish.lambda.function.functionName, 'Invoke on demand');
    output('PublishFailuresQueueUrl', this.publish.failures.queueUrl, 'Failed publish runs');
    output('AlarmTopicArn', this.observability.topic.topicArn, 'Alarm notifications');
    output('AnnouncementsTopicArn', this.announcements.topic.topicArn, 'Weekly announcements');
    output('GlueDatabaseName', this.catalog.databaseName, 'Glue database of the curated tables');
    output('AthenaWorkGroupName', this.athena.name, 'Athena workgroup to query in');
  }
}

/** Source systems this build can ingest: one mapping file each (`mappings/<name>.json`). */
export function mappedSourceSystems(dir = path.join(packageRoot, 'mappings')): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}
