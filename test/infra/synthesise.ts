/**
 * Shared set-up for the infra tests: the app as `cdk synth` builds it (cdk.json's context, feature
 * flags included) over fake Lambda artefacts, and small readers for the synthesised templates
 * (the main stack's, and the us-east-1 edge stack's). Each test file synthesises once, at load,
 * and removes its artefacts folder afterwards.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { inject } from 'vitest';
import { buildApp, type RotascopeApp } from '../../infra/build-app.js';
import type { LambdaArchitecture } from '../../infra/lambda-architecture.js';
import { templateText } from '../../infra/nag.js';
import { makeFakeArtefacts } from './fake-artefacts.js';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};
/** The context the CLI passes (feature flags included). */
export const CDK_CONTEXT = cdkJson.context;

/**
 * A fresh folder for one app's cloud assembly (`buildApp({ outdir: assemblyDir(), ... })`), under
 * the folder the project's global set-up removes when the run ends (scratch-setup.ts).
 */
export function assemblyDir(): string {
  return mkdtempSync(path.join(inject('infraScratch'), 'out-'));
}

export type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  [key: string]: unknown;
};

export type Statement = {
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Resource: unknown;
};

export interface Synthesised extends RotascopeApp {
  template: Template;
  resources: Record<string, Resource>;
  /** The edge authoriser's stack (us-east-1). */
  edgeTemplate: Template;
  edgeResources: Record<string, Resource>;
  /** The fake artefacts folder the app was built from. */
  artefactsDir: string;
  /** The logical ID of a construct's CloudFormation resource (an L2's default child). */
  logicalId(construct: IConstruct): string;
  /** Removes the fake artefacts folder. */
  cleanup(): void;
}

/**
 * Builds the app with cdk.json's context plus `context`, over a fresh fake artefacts folder
 * built for `architecture` (x86_64 unless given).
 */
export function synthesise(
  context: Record<string, unknown> = {},
  architecture: LambdaArchitecture = 'x86_64',
): Synthesised {
  const artefactsDir = makeFakeArtefacts(architecture);
  // As `cdk synth` without credentials: the account stays unresolved (`AWS::AccountId`), which
  // the assertions expect, even in a shell where the CDK CLI's variable is set.
  delete process.env.CDK_DEFAULT_ACCOUNT;
  const outdir = assemblyDir();
  const built = buildApp({ outdir, context: { ...CDK_CONTEXT, artefactsDir, ...context } });
  const template = Template.fromStack(built.stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const edgeTemplate = Template.fromStack(built.edgeStack);
  return {
    ...built,
    template,
    resources,
    edgeTemplate,
    edgeResources: edgeTemplate.toJSON().Resources as Record<string, Resource>,
    artefactsDir,
    logicalId: (construct) =>
      built.stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnResource),
    cleanup: () => {
      rmSync(artefactsDir, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** A resource's Properties; fails the test if the resource or its Properties are missing. */
export function propertiesOf(
  resources: Record<string, Resource>,
  logicalId: string,
): Record<string, unknown> {
  const properties = resources[logicalId]?.Properties;
  if (!properties) throw new Error(`No resource ${logicalId} with Properties in the template`);
  return properties;
}

/** The resources of one type, by logical ID. */
export function ofType(resources: Record<string, Resource>, type: string) {
  return Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type));
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the IAM policies attached to a role, with Action and Resource as arrays. */
export function roleStatements(
  resources: Record<string, Resource>,
  roleId: string,
): { Effect: string; Action: string[]; Resource: unknown[]; Condition?: Statement['Condition'] }[] {
  return Object.values(ofType(resources, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap((p) => {
      const document = p.Properties?.PolicyDocument as { Statement: Statement[] } | undefined;
      return document?.Statement ?? [];
    })
    .map((s) => ({ ...s, Action: asArray(s.Action), Resource: asArray(s.Resource) }));
}

/** Whether a template value refers to the resource with this logical ID (Ref or GetAtt). */
export function refersTo(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value).includes(`"${logicalId}"`);
}

/**
 * A template string with its references to resources replaced by their logical IDs: resolves
 * `Fn::Join` of strings, `Ref` and `Fn::GetAtt` (as `<id>` and `<id>.<attribute>`).
 */
export const resolveText = templateText;

/**
 * What staging and prod must be given before they synthesise (infra/stage-config.ts,
 * `productionProblem`): an alarm address and a custom domain with its us-east-1 certificate.
 */
export const PRODUCTION_READY = {
  alarmEmails: ['ops@example.nhs.uk'],
  siteDomain: {
    domainName: 'rotascope.example.nhs.uk',
    certificateArn:
      'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555',
  },
};
