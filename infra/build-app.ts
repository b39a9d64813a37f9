/**
 * buildApp: the Rotascope CDK app, with cdk-nag's AWS Solutions checks registered, built
 * without synthesising so tests can inspect it. `infra/app.ts` is the CLI entry point.
 */
import path from 'node:path';
import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DEFAULT_ARTEFACTS_DIR, RotascopeStack } from './rotascope-stack.js';
import { DEFAULT_STAGE, isStage, STAGES, type Stage, stageConfig } from './stage-config.js';

export interface RotascopeApp {
  readonly app: App;
  readonly stack: RotascopeStack;
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
  const stack = new RotascopeStack(app, `Rotascope-${stage}`, { stage, config, artefactsDir });
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

function artefactsDirFrom(value: unknown): string {
  if (value === undefined) return DEFAULT_ARTEFACTS_DIR;
  if (typeof value === 'string' && value.trim() !== '') return path.resolve(value);
  throw new Error('Context value "artefactsDir" must be a folder path.');
}
