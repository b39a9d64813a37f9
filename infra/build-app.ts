/**
 * buildApp: the Rotascope CDK app (the stage's stack, the us-east-1 stack of its edge
 * authoriser, for a stage with alarm recipients the us-east-1 stack of its edge alarms, and for a
 * stage with `rawReplication` the stack of raw's replica bucket in that region), with cdk-nag's
 * AWS Solutions checks registered, built without synthesising so tests can inspect it.
 * `infra/app.ts` is the CLI entry point.
 */
import path from 'node:path';
import { App, type AppProps, type Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EdgeAlarmsStack } from './edge-alarms-stack.js';
import { RawReplicaStack } from './raw-replica-stack.js';
import { DEFAULT_ARTEFACTS_DIR, RotascopeStack } from './rotascope-stack.js';
import { DEFAULT_STAGE, isStage, STAGES, type Stage, stageConfig } from './stage-config.js';

export interface RotascopeApp {
  readonly app: App;
  readonly stack: RotascopeStack;
  /** The us-east-1 stack of the edge authoriser (Lambda@Edge), deployed before `stack`. */
  readonly edgeStack: Stack;
  /**
   * The us-east-1 stack of the CloudFront and Lambda@Edge alarms, deployed after `stack`; only
   * for a stage with `alarmEmails` (an alarm nobody receives is not worth a stack and a key).
   */
  readonly edgeAlarmsStack?: EdgeAlarmsStack;
  /**
   * The stack of raw's replica bucket in another region, deployed before `stack`; only for a
   * stage with `rawReplication`.
   */
  readonly rawReplicaStack?: RawReplicaStack;
}

/**
 * Builds the app. Context values (`cdk synth -c name=value`; tests pass them in `props.context`):
 * - `stage`: dev (default), staging or prod;
 * - `config`: stage settings to override, as a JSON object (infra/stage-config.ts);
 * - `artefactsDir`: the folder holding the built Lambdas (default `dist/lambdas`).
 */
export function buildApp(props: AppProps = {}): RotascopeApp {
  const app = new App(props);
  const stage = stageFrom(app.node.tryGetContext('stage'));
  const config = stageConfig(stage, app.node.tryGetContext('config') ?? {});
  const artefactsDir = artefactsDirFrom(app.node.tryGetContext('artefactsDir'));
  // Acknowledged findings are also written to each resource's CloudFormation Metadata
  // (`cdk_nag.rules_to_suppress`), so the template itself carries the reasons.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
  // The region is explicit (stage config, London by default): Lambda@Edge needs it known at
  // synth. The account stays unresolved unless the CLI knows it, so synth works offline.
  const env = { region: config.region, account: process.env.CDK_DEFAULT_ACCOUNT };
  const withEdgeAlarms = config.alarmEmails.length > 0;
  // Before the main stack, which names its bucket as raw's replication destination.
  const rawReplicaStack = config.rawReplication
    ? new RawReplicaStack(app, `Rotascope-${stage}-raw-replica`, {
        stage,
        env,
        replicaRegion: config.rawReplication.region,
        retention: config.retention,
      })
    : undefined;
  const stack = new RotascopeStack(app, `Rotascope-${stage}`, {
    stage,
    config,
    artefactsDir,
    env,
    // The edge alarms stack reads the distribution's ID across regions (infra/edge-alarms-stack.ts).
    crossRegionReferences: withEdgeAlarms,
  });
  const edgeStack = stack.edgeAuth.edgeStack;
  if (rawReplicaStack)
    stack.addStackDependency(rawReplicaStack, 'S3 replicates raw into its bucket');
  const edgeAlarmsStack = withEdgeAlarms
    ? new EdgeAlarmsStack(app, `${stack.stackName}-edge-alarms`, {
        stage,
        env,
        distributionId: stack.site.distribution.distributionId,
        edgeFunctionName: stack.edgeAuth.functionName,
        emails: config.alarmEmails,
      })
    : undefined;
  for (const tagged of [stack, edgeStack, edgeAlarmsStack, rawReplicaStack]) {
    if (!tagged) continue;
    Tags.of(tagged).add('project', 'rotascope');
    Tags.of(tagged).add('stage', stage);
  }
  return { app, stack, edgeStack, edgeAlarmsStack, rawReplicaStack };
}

function stageFrom(value: unknown): Stage {
  if (value === undefined) return DEFAULT_STAGE;
  if (isStage(value)) return value;
  throw new Error(
    `Context value "stage" is ${JSON.stringify(value)}; expected one of ${STAGES.join(', ')}.`,
  );
}

function artefactsDirFrom(value: unknown): string {
  if (value === undefined) return DEFAULT_ARTEFACTS_DIR;
  if (typeof value === 'string' && value.trim() !== '') return path.resolve(value);
  throw new Error('Context value "artefactsDir" must be a folder path.');
}
