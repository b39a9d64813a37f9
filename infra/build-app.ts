/**
 * buildApp: the Rotascope CDK app, with cdk-nag's AWS Solutions checks registered, built
 * without synthesising so tests can inspect it. `infra/app.ts` is the CLI entry point.
 */
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_STAGE, isStage, RotascopeStack, STAGES, type Stage } from './rotascope-stack.js';

export interface RotascopeApp {
  readonly app: App;
  readonly stack: RotascopeStack;
}

/**
 * Builds the app. The stage comes from the `stage` context value (`cdk synth -c stage=prod`),
 * default 'dev'. The CLI passes cdk.json's context in itself; tests pass it in `props.context`.
 */
export function buildApp(props: AppProps = {}): RotascopeApp {
  const app = new App(props);
  const stage = stageFrom(app.node.tryGetContext('stage'));
  // Acknowledged findings are also written to each resource's CloudFormation Metadata
  // (`cdk_nag.rules_to_suppress`), so the template itself carries the reasons.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
  );
  const stack = new RotascopeStack(app, `Rotascope-${stage}`, { stage });
  Tags.of(stack).add('project', 'rotascope');
  Tags.of(stack).add('stage', stage);
  return { app, stack };
}

function stageFrom(value: unknown): Stage {
  if (value === undefined) return DEFAULT_STAGE;
  if (isStage(value)) return value;
  throw new Error(
    `Context value "stage" is ${JSON.stringify(value)}; expected one of ${STAGES.join(', ')}.`,
  );
}
