/**
 * Per-stage settings of the deployment (dev, staging, prod), validated with zod.
 *
 * Every stage starts from `defaultsFor(stage)`; `STAGE_OVERRIDES` holds what a stage changes, and
 * the `config` context value (`cdk deploy -c stage=prod -c 'config={"alarmEmails":["..."]}'`)
 * can override any field at deploy time without editing this file. The result is checked by
 * `StageConfigSchema`, so a typo fails synth with the field's name.
 */
import { z } from 'zod';
import { ENGINE_KINDS } from '../src/config.js';
import { DEFAULT_LAMBDA_ARCHITECTURE, LAMBDA_ARCHITECTURES } from './lambda-architecture.js';

/** Deployment stages; the stage names the stack, so one account can hold several. */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];
export const DEFAULT_STAGE: Stage = 'dev';

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

const MIB = 1024 * 1024;

/** The largest Lambda memory a new account may be given until its limit is raised (MiB). */
export const NEW_ACCOUNT_MAX_MEMORY_MIB = 3008;
/** Stages that hold real data: they must alert someone and serve on a domain with TLS 1.2. */
export const PRODUCTION_STAGES: readonly Stage[] = ['staging', 'prod'];
const GIB = 1024 * MIB;

/** An ISO date (yyyy-mm-dd) that is a Monday: Athena enumerates weeks from it. */
const monday = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-mm-dd')
  .refine((value) => new Date(`${value}T00:00:00Z`).getUTCDay() === 1, 'must be a Monday');

/** What a Cognito prefix domain may be: lower-case letters, digits and inner hyphens. */
const domainPrefix = z
  .string()
  .max(50, 'at most 50 characters (the account id is appended, and the limit is 63)')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and inner hyphens')
  .refine(
    (value) => !/aws|amazon|cognito/.test(value),
    'Cognito forbids aws, amazon and cognito in domain prefixes',
  );

export const SIGN_IN_MFA = ['required', 'optional', 'off'] as const;

export const StageConfigSchema = z
  .object({
    /**
     * The AWS region of the stack and its data (London by default: NHS data stays in the UK).
     * Set explicitly because the edge authoriser (Lambda@Edge) needs the stack's region known at
     * synth; only the edge function itself lives in us-east-1 (infra/edge-auth.ts).
     */
    region: z
      .string()
      .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, 'an AWS region name, e.g. eu-west-2'),
    /** SSM SecureString parameter holding the pseudonymisation key (docs/configuration.md). */
    pseudonymKeyParameter: z
      .string()
      .regex(
        /^\/[A-Za-z0-9_.\-/]+$/,
        'an SSM parameter name with a leading slash, e.g. /rotascope/dev/pseudonym-key',
      ),
    /** Glue database of the curated tables (lower case: Athena folds names to lower case). */
    glueDatabase: z.string().regex(/^[a-z0-9_]{1,255}$/, 'lower-case letters, digits and _'),
    /** The first week Athena's partition projection enumerates (PCNs began on 1 July 2019). */
    firstWeek: monday,
    /** Athena stops a query that scans more than this (the service minimum is 10 MB). */
    athenaBytesScannedCutoff: z
      .number()
      .int()
      .min(10 * MIB),
    /**
     * What computes the metric tables in the weekly publish: DuckDB inside the Lambda, or Athena
     * (docs/engines.md says when to switch). An on-demand run can name the other.
     */
    metricsEngine: z.enum(ENGINE_KINDS),
    /**
     * Memory of the publish Lambda (metrics + site build), MiB. The default is what a new account
     * allows (NEW_ACCOUNT_MAX_MEMORY_MIB); more needs the account's limit raised first, and synth
     * warns (docs/deploying.md, "Quotas to check").
     */
    publishMemoryMiB: z.number().int().min(128).max(10240),
    /**
     * Concurrency reserved for the publish Lambda (1 serialises runs at the Lambda level). Unset,
     * nothing is reserved: a new account (concurrency quota 10) cannot reserve any, since Lambda
     * keeps 100 unreserved. Runs are serialised by the publish lock in the site bucket either way
     * (src/site/site-versions.ts). Zero would disable the function, so it is refused.
     */
    publishReservedConcurrency: z
      .number()
      .int()
      .min(1, 'at least 1 (0 disables publish)')
      .optional(),
    /**
     * At most this many ingest functions at once (the SQS event source's maxConcurrency, 2 to
     * 1000): a backfill of a year of exports then queues instead of starting dozens of 2 GB
     * functions at once, which would use up a new account's concurrency and throttle SSM.
     */
    ingestMaxConcurrency: z.number().int().min(2).max(1000),
    /**
     * What the pipeline functions (ingest, publish) run on: x86_64 (the default: its DuckDB binding
     * is the one the tests run) or arm64 (Graviton, about 20% cheaper per GB-second; the build
     * must package the arm64 binding: `npm run build:lambdas -- --architecture arm64`, and synth
     * refuses artefacts built for the other one). The edge authoriser is x86_64 either way.
     */
    architecture: z.enum(LAMBDA_ARCHITECTURES),
    /** /tmp of the publish Lambda, MiB: curated data is staged there for DuckDB. */
    publishEphemeralStorageMiB: z.number().int().min(512).max(10240),
    /** Who gets alarm emails (each address confirms its subscription once). */
    alarmEmails: z.array(z.email()),
    /**
     * A monthly AWS Budgets cost budget in the account's currency (USD for most accounts):
     * alarm addresses are emailed at 80% of actual and 100% of forecast spend. Unset, no budget.
     */
    monthlyBudgetUsd: z.number().positive().optional(),
    /**
     * How long data is kept (docs/deploying.md, "Retention"): exports and the curated rows made
     * from them expire `dataYears` after they were written (the NHS Records Management Code of
     * Practice keeps duty rosters 6 years after the year they cover, so 7 years from upload);
     * a replaced or deleted raw export's old version expires `rawNoncurrentDays` later.
     * `rawObjectLockDays` adds S3 Object Lock in governance mode to raw (a new bucket only).
     */
    retention: z
      .object({
        dataYears: z.number().int().min(1).max(100),
        rawNoncurrentDays: z.number().int().min(91),
        rawObjectLockDays: z.number().int().min(1).optional(),
      })
      .strict(),
    /**
     * Replicate raw exports to a bucket in another region (off unless set): S3 replication of
     * every new export version to `rotascope-<stage>-raw-replica-<account>-<region>`, made by a
     * small stack in that region (infra/raw-replica-stack.ts) with raw's retention. The region
     * must differ from `region`; AWS has one UK region, so the replica is outside the UK
     * (docs/deploying.md, "Replication of raw to a second region").
     */
    rawReplication: z
      .object({
        region: z
          .string()
          .regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, 'an AWS region name, e.g. eu-west-1'),
      })
      .strict()
      .optional(),
    /**
     * Cognito sends its invitations and codes through SES from this verified identity, instead of
     * its default sender (about 50 emails a day per account, too few to invite an ICB). The
     * domain (or address) must be verified in SES in `sesRegion` and the account out of the SES
     * sandbox (docs/deploying.md, "Sign-in").
     */
    signInEmail: z
      .object({
        fromEmail: z.email(),
        /** The verified SES domain identity fromEmail belongs to (omit for an address identity). */
        sesVerifiedDomain: z
          .string()
          .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/)
          .optional(),
        sesRegion: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/),
      })
      .strict()
      .optional(),
    /**
     * A WAF web ACL (scope CLOUDFRONT, made in us-east-1 outside this stack) to put in front of
     * the distribution: its ARN. Unset, no web ACL (the AwsSolutions-CFR2 reason says why).
     */
    siteWebAclArn: z
      .string()
      .regex(
        /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]+\/[0-9a-f-]+$/,
        'a WAFv2 global web ACL ARN (us-east-1)',
      )
      .optional(),
    /**
     * A regional WAF web ACL on the Cognito user pool: AWS managed common rules plus a rate
     * limit of this many requests per 5 minutes per IP address. Unset, none.
     */
    signInWafRateLimit: z.number().int().min(10).max(2_000_000_000).optional(),
    /** Who gets the weekly announcement emails. */
    announcementEmails: z.array(z.email()),
    /**
     * A custom domain for the site. Without one the site is served on its *.cloudfront.net name
     * with CloudFront's default certificate.
     */
    siteDomain: z
      .object({
        domainName: z.string().regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/),
        /** An ACM certificate for domainName, in us-east-1 (CloudFront's region). */
        certificateArn: z
          .string()
          .regex(
            /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/,
            'an ACM certificate ARN in us-east-1',
          ),
      })
      .strict()
      .optional(),
    /**
     * MFA for Cognito users of the site (TOTP apps only, infra/sign-in.ts): required, optional
     * (each user may enrol) or off. Federated users get MFA from their own tenant.
     */
    signInMfa: z.enum(SIGN_IN_MFA),
    /** The hosted sign-in domain is `<signInDomainPrefix>-<account id>.auth.<region>.amazoncognito.com`. */
    signInDomainPrefix: domainPrefix,
    /** Minimum password length of Cognito users (upper, lower, digit and symbol always required). */
    passwordMinLength: z.number().int().min(8).max(99),
    /**
     * Sign-in with an NHS Microsoft Entra ID tenant (OIDC), besides Cognito's own users. Without
     * it only invited Cognito users sign in.
     */
    entraId: z
      .object({
        /** The directory (tenant) id. */
        tenantId: z.guid('the directory (tenant) id, a GUID'),
        /** The application (client) id of the app registration Cognito signs in with. */
        clientId: z.guid('the application (client) id, a GUID'),
        /**
         * Name or ARN of the Secrets Manager secret whose SecretString is the app registration's
         * client secret (never the secret itself: the template holds only a reference).
         */
        clientSecretName: z
          .string()
          .regex(
            /^(?:[A-Za-z0-9/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)$/,
            'a Secrets Manager secret name or ARN',
          ),
        /**
         * The Entra claim mapped to custom:rotascope_scope: `roles` (app roles named like
         * `network:U60865`, the intended way) or `groups`.
         */
        scopeClaim: z.enum(['roles', 'groups']).default('roles'),
      })
      .strict()
      .optional(),
  })
  .strict();

export type StageConfig = z.infer<typeof StageConfigSchema>;

export function defaultsFor(stage: Stage): StageConfig {
  return {
    region: 'eu-west-2',
    pseudonymKeyParameter: `/rotascope/${stage}/pseudonym-key`,
    glueDatabase: `rotascope_${stage}`,
    firstWeek: '2019-07-01',
    athenaBytesScannedCutoff: 10 * GIB,
    metricsEngine: 'duckdb',
    publishMemoryMiB: NEW_ACCOUNT_MAX_MEMORY_MIB,
    publishEphemeralStorageMiB: 4096,
    architecture: DEFAULT_LAMBDA_ARCHITECTURE,
    ingestMaxConcurrency: 5,
    retention: { dataYears: 7, rawNoncurrentDays: 365 },
    alarmEmails: [],
    announcementEmails: [],
    signInMfa: 'required',
    signInDomainPrefix: `rotascope-${stage}`,
    passwordMinLength: 12,
  };
}

/** What each stage changes from its defaults (addresses go in the `config` context value). */
export const STAGE_OVERRIDES: Record<Stage, Partial<StageConfig>> = {
  dev: { athenaBytesScannedCutoff: 1 * GIB, signInMfa: 'optional' },
  staging: {},
  prod: {},
};

/**
 * The stage's settings: defaults, then the stage's overrides, then `overrides` (the `config`
 * context value: an object, or its JSON text as `-c` gives it).
 */
export function stageConfig(stage: Stage, overrides: unknown = {}): StageConfig {
  const given = typeof overrides === 'string' ? parseJson(overrides) : overrides;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new Error('Context value "config" must be a JSON object of stage settings.');
  }
  const parsed = StageConfigSchema.safeParse({
    ...defaultsFor(stage),
    ...STAGE_OVERRIDES[stage],
    ...given,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(config)';
    throw new Error(`Stage ${stage} setting ${field} is invalid: ${issue?.message ?? ''}`);
  }
  if (parsed.data.rawReplication?.region === parsed.data.region) {
    throw new Error(
      `Stage ${stage} setting rawReplication.region is invalid: it is the stack's own region ` +
        `(${parsed.data.region}); a replica protects against losing a region only in another one.`,
    );
  }
  const unsafe = productionProblem(stage, parsed.data);
  if (unsafe) throw new Error(`Stage ${stage} is not safe for production: ${unsafe}`);
  return parsed.data;
}

/**
 * What a staging or prod config lacks to run with real data: someone to alert, and a custom
 * domain with its certificate (the *.cloudfront.net name allows TLS 1.0; a custom domain gets
 * TLSv1.2_2021, infra/site-distribution.ts). Undefined when nothing is missing or the stage is dev.
 */
export function productionProblem(stage: Stage, config: StageConfig): string | undefined {
  if (!PRODUCTION_STAGES.includes(stage)) return undefined;
  if (config.alarmEmails.length === 0) {
    return 'alarmEmails is empty (alarms would notify nobody); give at least one address.';
  }
  if (!config.siteDomain) {
    return (
      'siteDomain is not set (the *.cloudfront.net name allows TLS 1.0); give a domain and ' +
      'its us-east-1 ACM certificate.'
    );
  }
  return undefined;
}

/** Synth warnings for settings that deploy only once the account's quotas are raised. */
export function quotaWarnings(config: StageConfig): { id: string; message: string }[] {
  const warnings: { id: string; message: string }[] = [];
  if (config.publishMemoryMiB > NEW_ACCOUNT_MAX_MEMORY_MIB) {
    warnings.push({
      id: 'rotascope:publishMemoryMiB',
      message:
        `publishMemoryMiB is ${config.publishMemoryMiB} MB: new accounts allow at most ` +
        `${NEW_ACCOUNT_MAX_MEMORY_MIB} MB until their Lambda memory limit is raised; check it ` +
        'before deploying (docs/deploying.md, "Quotas to check").',
    });
  }
  if (config.publishReservedConcurrency !== undefined) {
    warnings.push({
      id: 'rotascope:publishReservedConcurrency',
      message:
        `publishReservedConcurrency is ${config.publishReservedConcurrency}: the account's ` +
        'concurrency quota must leave 100 unreserved after it (a new account, quota 10, cannot ' +
        'reserve any); check it before deploying (docs/deploying.md, "Quotas to check").',
    });
  }
  return warnings;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Context value "config" is not valid JSON.');
  }
}
