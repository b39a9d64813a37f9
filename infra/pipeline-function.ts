/**
 * PipelineFunction: one of Rotascope's Lambda functions (ingest, publish), built from the
 * artefacts folder the Lambda build writes, with its own role and log group.
 *
 * - Code: `<artefactsDir>/<name>/` as it is, handler `bundle/index.handler` (the folder holds
 *   `bundle/index.mjs` plus `queries/`, `mappings/`, `dashboards/`, `data/reference/`, `data/arrs/` and
 *   DuckDB's native binding under `node_modules/@duckdb/`).
 * - Runtime Node.js 22 on the stage's `architecture` (x86_64 by default, or arm64): the artefact's
 *   `build.json` must name the same one, since the DuckDB binding in it is built for one machine
 *   (infra/lambda-architecture.ts, docs/deploying.md "Runtime and architecture").
 * - Role: only what the function is granted by its construct, plus writing to its own log group.
 *   No AWS managed policy (AWSLambdaBasicExecutionRole would allow every log group).
 * - Logs: a log group kept 90 days, JSON Powertools logs and metrics (namespace Rotascope).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CfnResource, type Duration, RemovalPolicy, Size, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ARTEFACT_MANIFEST,
  type ArtefactManifest,
  isLambdaArchitecture,
  type LambdaArchitecture,
} from './lambda-architecture.js';
import { acknowledge, cfnOf } from './nag.js';

export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;
export const LAMBDA_HANDLER = 'bundle/index.handler';
export const METRICS_NAMESPACE = 'Rotascope';

export interface PipelineFunctionProps {
  /** `ingest` or `publish`: the artefact folder's name and the function's service name. */
  readonly name: 'ingest' | 'publish';
  /** Folder holding one built folder per function (`dist/lambdas`). */
  readonly artefactsDir: string;
  readonly description: string;
  /** What the function runs on; the artefact must have been built for it. */
  readonly architecture: LambdaArchitecture;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly ephemeralStorage?: Size;
  readonly environment: Record<string, string>;
  /** At most this many at once; unset, nothing is reserved (a new account cannot reserve any). */
  readonly reservedConcurrency?: number;
}

export class PipelineFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    if (props.reservedConcurrency !== undefined && props.reservedConcurrency < 1) {
      throw new Error(
        `${props.name}: reserved concurrency ${props.reservedConcurrency} would stop every ` +
          'invocation; reserve at least 1, or leave it unset.',
      );
    }
    const code = path.join(props.artefactsDir, props.name);
    if (!existsSync(path.join(code, 'bundle', 'index.mjs'))) {
      throw new Error(
        `Lambda artefact not found: ${path.join(code, 'bundle', 'index.mjs')}. Build the Lambdas ` +
          'first (they are written to dist/lambdas/), or pass another folder with -c artefactsDir=<dir>.',
      );
    }
    const built = artefactArchitecture(code);
    if (built !== props.architecture) {
      throw new Error(
        `${props.name}: the stage runs on ${props.architecture} but ${code} was built for ` +
          `${built ?? 'an unknown architecture (no valid build.json)'}, and its DuckDB binding ` +
          `would not load. Rebuild: npm run build:lambdas -- --architecture ${props.architecture}`,
      );
    }

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Rotascope ${props.name} Lambda`,
    });
    // Only this function's log group (its ARN ends in :*, which names the group's streams).
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new LambdaFunction(this, 'Function', {
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: props.architecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      handler: LAMBDA_HANDLER,
      code: Code.fromAsset(code),
      memorySize: props.memorySize,
      timeout: props.timeout,
      ephemeralStorageSize: props.ephemeralStorage ?? Size.mebibytes(1024),
      role: this.role,
      logGroup: this.logGroup,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      environment: {
        POWERTOOLS_SERVICE_NAME: `rotascope-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        // DuckDB looks for a home directory (for its extension and secret folders); a Lambda
        // has none, and only /tmp is writable.
        HOME: '/tmp',
        ...props.environment,
      },
    });

    acknowledge(
      cfnOf(this.function),
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the Lambda artefacts are built for and tested on (esbuild ' +
        'target node22, DuckDB native binding); moving to Node.js 24 is a build change, made ' +
        'with the build and its tests.',
    );
  }

  /** Allows s3:ListBucket on the bucket (a HeadObject on a missing key then gives 404, not 403). */
  allowList(bucket: IBucket): void {
    this.allow(['s3:ListBucket'], [bucket.bucketArn]);
  }

  /** Allows s3:GetObject (GetObject and HeadObject) on the objects under each prefix. */
  allowRead(bucket: IBucket, prefixes: string[]): void {
    this.allow(['s3:GetObject'], objectArns(bucket, prefixes));
  }

  /** Allows writing (PutObject, multipart upload abort) under each prefix. */
  allowWrite(bucket: IBucket, prefixes: string[]): void {
    this.allow(['s3:PutObject', 's3:AbortMultipartUpload'], objectArns(bucket, prefixes));
  }

  /** Allows s3:DeleteObject (also what DeleteObjects needs, per key) under each prefix. */
  allowDelete(bucket: IBucket, prefixes: string[]): void {
    this.allow(['s3:DeleteObject'], objectArns(bucket, prefixes));
  }

  private allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
  }
}

/** The architecture an artefact folder's build.json names, or undefined if it has none. */
export function artefactArchitecture(dir: string): LambdaArchitecture | undefined {
  const file = path.join(dir, ARTEFACT_MANIFEST);
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<ArtefactManifest>;
    return isLambdaArchitecture(manifest.architecture) ? manifest.architecture : undefined;
  } catch {
    return undefined;
  }
}

/** `<bucket ARN>/<prefix>*` for each prefix (`''`: every object). */
export function objectArns(bucket: IBucket, prefixes: string[]): string[] {
  return prefixes.map((prefix) => bucket.arnForObjects(`${prefix}*`));
}

/**
 * The IAM5 `appliesTo` entry cdk-nag reports for `<bucket ARN>/<prefix>*`: the bucket's ARN as
 * `<LogicalId.Arn>`.
 */
export function objectWildcardFinding(bucket: IBucket, prefix: string): string {
  const cfn = bucket.node.defaultChild as CfnResource;
  return `Resource::<${Stack.of(bucket).getLogicalId(cfn)}.Arn>/${prefix}*`;
}
