/**
 * EdgeAuth: the site's sign-in check, a Lambda@Edge function CloudFront runs on every viewer
 * request (docs/access.md, "At the edge"). It signs viewers in through the Cognito hosted pages,
 * checks their ID token and grants, and rewrites folder addresses to their index.html.
 *
 * - Lambda@Edge functions must live in us-east-1, so the function goes in a stack of its own,
 *   `<main stack name>-edge`, made here as a sibling of the main stack in the same app. CDK's
 *   `experimental.EdgeFunction` puts the function there, makes the main stack depend on it, and
 *   reads the version's ARN back into the main stack through an SSM parameter in us-east-1 and a
 *   custom resource (`Custom::CrossRegionStringParameterReader`).
 * - Lambda@Edge has no environment variables. The function's configuration (issuer, client id,
 *   sign-in domain, site URL) lives in an SSM parameter in the main region, which the main stack
 *   writes (`configParameterName`) and the function reads at cold start. Only where to find it is
 *   written into the code at synth: `edge-config.json` at the root of the deployed folder,
 *   `{"parameterName": ..., "parameterRegion": ...}`. The function therefore depends on the
 *   parameter's name, not its value, and the main stack can build the value from the
 *   distribution that uses the function without a cycle.
 * - Code: `<artefactsDir>/edge-auth/` as the Lambda build writes it (`bundle/index.js`, CommonJS,
 *   handler `bundle/index.handler`, and `network-icbs.json`), plus `edge-config.json`.
 * - Node.js 22 on x86_64 (Lambda@Edge has no arm64), 128 MB and 5 seconds: the limits of a
 *   viewer-request function.
 * - Role: its own, no AWS managed policy. Writing its logs, which Lambda@Edge sends to
 *   `/aws/lambda/us-east-1.<function name>` in whichever region ran the function (hence the
 *   region wildcard), and reading the configuration parameter, in the main region only.
 */
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ArnFormat, AssetHashType, DockerImage, Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { experimental } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, type IVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledge, cfnOf, defaultPolicyOf, findingText } from './nag.js';
import { LAMBDA_HANDLER, LAMBDA_RUNTIME } from './pipeline-function.js';
import type { Stage as StageName } from './stage-config.js';

/** Lambda@Edge functions are created in us-east-1 and replicated from there. */
export const EDGE_REGION = 'us-east-1';

/** The artefact folder the Lambda build writes for the edge function, under `artefactsDir`. */
export const EDGE_ARTEFACT = 'edge-auth';

/** The file added to the deployed code at synth: where the function's configuration is. */
export const EDGE_CONFIG_FILE = 'edge-config.json';

/** The SSM parameter holding the edge function's configuration, in the main region. */
export function edgeConfigParameterName(stage: StageName): string {
  return `/rotascope/${stage}/edge-auth`;
}

/** The edge function's role, by name (the site bucket's policy names it). */
export function edgeRoleName(stage: StageName): string {
  return `rotascope-${stage}-edge-auth`;
}

/** What `edge-config.json` holds. */
export interface EdgeConfigLocation {
  readonly parameterName: string;
  readonly parameterRegion: string;
}

export interface EdgeAuthProps {
  /** Folder holding one built folder per function (`dist/lambdas`). */
  readonly artefactsDir: string;
  readonly stage: StageName;
  /** The SSM parameter (in this stack's region) the function reads its configuration from. */
  readonly configParameterName: string;
}

export class EdgeAuth extends Construct {
  /** The us-east-1 stack holding the function and its role. */
  readonly edgeStack: Stack;
  readonly role: Role;
  readonly function: experimental.EdgeFunction;
  /** The version CloudFront runs (its ARN is read across regions into this stack). */
  readonly version: IVersion;
  readonly functionName: string;
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: EdgeAuthProps) {
    super(scope, id);
    const mainStack = Stack.of(this);
    const mainRegion = mainStack.region;
    if (Token.isUnresolved(mainRegion)) {
      throw new Error(
        `${mainStack.stackName} has no explicit region; the edge authoriser (Lambda@Edge) needs one.`,
      );
    }
    const source = path.join(props.artefactsDir, EDGE_ARTEFACT);
    for (const file of ['bundle/index.js', 'network-icbs.json']) {
      if (!existsSync(path.join(source, file))) {
        throw new Error(
          `Lambda artefact not found: ${path.join(source, file)}. Build the Lambdas first (they ` +
            'are written to dist/lambdas/), or pass another folder with -c artefactsDir=<dir>.',
        );
      }
    }
    this.functionName = `rotascope-${props.stage}-edge-auth`;

    // EdgeFunction finds this stack in the app by its id (stackId below) instead of making one.
    const app = Stage.of(mainStack);
    if (!app) throw new Error(`${mainStack.stackName} is not in a CDK app`);
    this.edgeStack = new Stack(app, `${mainStack.stackName}-edge`, {
      env: { region: EDGE_REGION, account: mainStack.account },
      description:
        `Rotascope (${props.stage}): the site's sign-in check (Lambda@Edge, created in ` +
        `${EDGE_REGION} and run by CloudFront); everything else is in ${mainStack.stackName}`,
    });
    // Lambda@Edge never writes to /aws/lambda/<name> (see the role below), so the log group CDK
    // would otherwise make there in us-east-1 would stay empty.
    this.edgeStack.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', false);

    // Named, so the main stack's site bucket policy can let it read the site's pointer object
    // (`current.json`) without a reference across regions.
    this.roleName = edgeRoleName(props.stage);
    this.role = new Role(this.edgeStack, 'EdgeAuthRole', {
      roleName: this.roleName,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Rotascope ${props.stage} edge authoriser (Lambda@Edge)`,
    });
    const logGroupArn = this.edgeStack.formatArn({
      service: 'logs',
      region: '*',
      resource: 'log-group',
      resourceName: `/aws/lambda/${EDGE_REGION}.${this.functionName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroupArn, `${logGroupArn}:*`],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          this.edgeStack.formatArn({
            service: 'ssm',
            region: mainRegion,
            resource: 'parameter',
            resourceName: props.configParameterName.replace(/^\//, ''),
          }),
        ],
      }),
    );

    const location: EdgeConfigLocation = {
      parameterName: props.configParameterName,
      parameterRegion: mainRegion,
    };
    this.function = new experimental.EdgeFunction(this, 'EdgeAuthFunction', {
      stackId: this.edgeStack.node.id,
      functionName: this.functionName,
      description: `Rotascope ${props.stage}: signs viewers in and checks what they may open`,
      runtime: LAMBDA_RUNTIME,
      // Lambda@Edge runs x86_64 functions only, whatever the stage's `architecture`.
      architecture: Architecture.X86_64,
      handler: LAMBDA_HANDLER,
      code: edgeCode(source, location),
      memorySize: 128,
      timeout: Duration.seconds(5),
      role: this.role,
    });
    this.version = this.function.currentVersion;

    this.acknowledgeFindings(logGroupArn);
  }

  private acknowledgeFindings(logGroupArn: string): void {
    acknowledge(
      defaultPolicyOf(this.role),
      'AwsSolutions-IAM5',
      'Lambda@Edge writes its logs in the region where it ran, which can be any region with an ' +
        'edge cache, so its own log group (and its streams) are named in every region.',
      [logGroupArn, `${logGroupArn}:*`].map(
        (arn) => `Resource::${findingText(this.edgeStack, arn)}`,
      ),
    );
    acknowledge(
      cfnOf(this.function.lambda),
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the edge bundle is built for and tested on (esbuild target ' +
        'node22, like the other Lambdas); moving to Node.js 24 is a build change, made with the ' +
        'build and its tests.',
    );
  }
}

/**
 * The deployed code: the artefact folder copied as it is, plus `edge-config.json`. The copy is
 * made by CDK's asset bundling (locally, never in Docker) straight into the app's output
 * folder, and the asset is hashed after it, so a change of configuration is a new version.
 */
function edgeCode(source: string, location: EdgeConfigLocation): Code {
  return Code.fromAsset(source, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('none'),
      local: {
        tryBundle(outputDir) {
          cpSync(source, outputDir, { recursive: true });
          writeFileSync(path.join(outputDir, EDGE_CONFIG_FILE), JSON.stringify(location));
          return true;
        },
      },
    },
  });
}
