/**
 * The edge authoriser (infra/edge-auth.ts): a Lambda@Edge function in its own us-east-1 stack,
 * its role, the code deployed with `edge-config.json` (where its configuration is), the SSM
 * parameter holding that configuration in the main stack, and its viewer-request association
 * on the site's distribution.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { FAKE_EDGE_HANDLER, makeFakeArtefacts } from './fake-artefacts.js';
import {
  assemblyDir,
  CDK_CONTEXT,
  ofType,
  PRODUCTION_READY,
  propertiesOf,
  type Resource,
  resolveText,
  roleStatements,
  type Synthesised,
  synthesise,
} from './synthesise.js';

// Prepare: dev as it ships, and prod in another region.
const dev = synthesise();
const ireland = synthesise({ stage: 'prod', config: { ...PRODUCTION_READY, region: 'eu-west-1' } });
afterAll(() => {
  dev.cleanup();
  ireland.cleanup();
});

function only(resources: Record<string, Resource>, type: string): [string, Resource] {
  const found = Object.entries(ofType(resources, type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
}

const edgeFunction = (s: Synthesised) => only(s.edgeResources, 'AWS::Lambda::Function');
const edgeRole = (s: Synthesised) => only(s.edgeResources, 'AWS::IAM::Role');
const configParameter = (s: Synthesised) => {
  const found = Object.values(ofType(s.resources, 'AWS::SSM::Parameter')).filter((p) =>
    String(p.Properties?.Name).endsWith('/edge-auth'),
  );
  expect(found).toHaveLength(1);
  return found[0] as Resource;
};

/** The folder CDK staged as the edge function's code, in the app's output folder. */
function stagedCode(s: Synthesised): string {
  const code = edgeFunction(s)[1].Properties?.Code as { S3Key: string };
  const dir = join(s.app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  expect(existsSync(dir), dir).toBe(true);
  return dir;
}
const edgeConfigOf = (s: Synthesised) =>
  JSON.parse(readFileSync(join(stagedCode(s), 'edge-config.json'), 'utf8')) as unknown;

describe('the edge stack', () => {
  it('is a sibling of the main stack, in us-east-1, named after it', () => {
    expect(dev.edgeStack.stackName).toBe('Rotascope-dev-edge');
    expect(dev.edgeStack.region).toBe('us-east-1');
    expect(dev.edgeStack.node.scope).toBe(dev.app);
    expect(dev.edgeStack.templateOptions.description).toMatch(/^Rotascope \(dev\): /);
    expect(ireland.edgeStack.stackName).toBe('Rotascope-prod-edge');
    expect(ireland.edgeStack.region).toBe('us-east-1');
  });

  it('is deployed before the main stack, which is in the stage config region', () => {
    expect(dev.stack.region).toBe('eu-west-2');
    expect(ireland.stack.region).toBe('eu-west-1');
    expect(dev.stack.dependencies).toEqual([dev.edgeStack]);
    const artefact = dev.app.synth().getStackArtifact(dev.stack.artifactId);
    expect(artefact.dependencies.map((d) => d.id)).toContain(dev.edgeStack.artifactId);
  });

  it('holds the function, its role and policy, and CDK parameter of its version ARN only', () => {
    expect(
      Object.values(dev.edgeResources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual([
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::Lambda::Function',
      'AWS::Lambda::Version',
      'AWS::SSM::Parameter',
    ]);
  });
});

describe('the edge function', () => {
  it('is Node.js 22 on x86_64, 128 MB and 5 seconds, named after the stage', () => {
    expect(edgeFunction(dev)[1].Properties).toMatchObject({
      FunctionName: 'rotascope-dev-edge-auth',
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      Handler: 'bundle/index.handler',
      MemorySize: 128,
      Timeout: 5,
      Role: { 'Fn::GetAtt': [edgeRole(dev)[0], 'Arn'] },
    });
    expect(edgeFunction(ireland)[1].Properties?.FunctionName).toBe('rotascope-prod-edge-auth');
  });

  it('has no environment variables (Lambda@Edge allows none)', () => {
    expect(edgeFunction(dev)[1].Properties).not.toHaveProperty('Environment');
  });

  it('is named in the main stack outputs', () => {
    const outputs = dev.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.EdgeFunctionName?.Value).toBe('rotascope-dev-edge-auth');
    expect(outputs.EdgeAuthConfigParameterName?.Value).toEqual({
      Ref: dev.logicalId(dev.stack.edgeAuthConfig),
    });
  });
});

describe("the edge function's role", () => {
  it('may be assumed by Lambda and Lambda@Edge, and has no AWS managed policy', () => {
    const [, role] = edgeRole(dev);
    expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: ['edgelambda.amazonaws.com', 'lambda.amazonaws.com'] },
        },
      ],
    });
    expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
    expect(role.Properties).not.toHaveProperty('Policies');
  });

  it('may write its own logs in any region, and read the config parameter in the main region', () => {
    const statements = roleStatements(dev.edgeResources, edgeRole(dev)[0]).map((s) => ({
      ...s,
      Resource: s.Resource.map(resolveText),
    }));
    const logs =
      'arn:aws:logs:*:<AWS::AccountId>:log-group:/aws/lambda/us-east-1.rotascope-dev-edge-auth';
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [logs, `${logs}:*`],
      },
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter'],
        Resource: ['arn:aws:ssm:eu-west-2:<AWS::AccountId>:parameter/rotascope/dev/edge-auth'],
      },
    ]);
  });

  it('reads the parameter in the stage config region when that is not London', () => {
    const ssm = roleStatements(ireland.edgeResources, edgeRole(ireland)[0]).filter((s) =>
      s.Action.includes('ssm:GetParameter'),
    );
    expect(ssm.flatMap((s) => s.Resource.map(resolveText))).toEqual([
      'arn:aws:ssm:eu-west-1:<AWS::AccountId>:parameter/rotascope/prod/edge-auth',
    ]);
  });
});

describe("the edge function's code", () => {
  it('is the artefact folder as the Lambda build wrote it', () => {
    const dir = stagedCode(dev);
    expect(readFileSync(join(dir, 'bundle', 'index.js'), 'utf8')).toBe(FAKE_EDGE_HANDLER);
    expect(readFileSync(join(dir, 'network-icbs.json'), 'utf8')).toBe('{}\n');
    expect(readdirSync(dir).sort()).toEqual(['bundle', 'edge-config.json', 'network-icbs.json']);
  });

  it('says in edge-config.json which parameter, in which region, holds the configuration', () => {
    expect(edgeConfigOf(dev)).toEqual({
      parameterName: '/rotascope/dev/edge-auth',
      parameterRegion: 'eu-west-2',
    });
    expect(edgeConfigOf(ireland)).toEqual({
      parameterName: '/rotascope/prod/edge-auth',
      parameterRegion: 'eu-west-1',
    });
  });

  it('leaves the artefacts folder as it was, and no bundling folder behind', () => {
    expect(existsSync(join(dev.artefactsDir, 'edge-auth', 'edge-config.json'))).toBe(false);
    expect(readdirSync(dev.app.outdir).filter((name) => name.startsWith('bundling-temp'))).toEqual(
      [],
    );
  });

  it('is a new asset when the configuration changes', () => {
    // Prepare: the same artefacts, another region.
    const base = { ...CDK_CONTEXT, artefactsDir: dev.artefactsDir };
    const keyOf = (context: Record<string, unknown>) => {
      const built = buildApp({ outdir: assemblyDir(), context: { ...base, ...context } });
      const template = built.app.synth().getStackArtifact(built.edgeStack.artifactId).template;
      const [, fn] = only(template.Resources, 'AWS::Lambda::Function');
      const code = fn.Properties?.Code as { S3Key: string } | undefined;
      return code?.S3Key;
    };
    // Act
    const london = keyOf({});
    const again = keyOf({});
    const paris = keyOf({ config: { region: 'eu-west-3' } });
    // Assess
    expect(again).toBe(london);
    expect(paris).not.toBe(london);
  });

  it('fails synth naming the missing file when the edge artefact is incomplete', () => {
    const artefactsDir = makeFakeArtefacts();
    rmSync(join(artefactsDir, 'edge-auth', 'network-icbs.json'));
    expect(() =>
      buildApp({ outdir: assemblyDir(), context: { ...CDK_CONTEXT, artefactsDir } }),
    ).toThrow(
      `Lambda artefact not found: ${join(artefactsDir, 'edge-auth', 'network-icbs.json')}. ` +
        'Build the Lambdas first',
    );
    rmSync(artefactsDir, { recursive: true, force: true });
  });
});

describe("the edge function's configuration parameter", () => {
  it('is a String parameter named /rotascope/<stage>/edge-auth in the main stack', () => {
    expect(configParameter(dev).Properties).toMatchObject({
      Name: '/rotascope/dev/edge-auth',
      Type: 'String',
    });
    expect(configParameter(ireland).Properties?.Name).toBe('/rotascope/prod/edge-auth');
    expect(ofType(dev.edgeResources, 'AWS::SSM::Parameter')).not.toHaveProperty(
      dev.logicalId(dev.stack.edgeAuthConfig),
    );
  });

  it('holds the issuer, the app client, the sign-in domain, the site URL and the site bucket, as JSON', () => {
    const { signIn, site, storage } = dev.stack;
    const value = JSON.parse(resolveText(configParameter(dev).Properties?.Value));
    expect(value).toEqual({
      issuer: `https://cognito-idp.eu-west-2.amazonaws.com/<${dev.logicalId(signIn.userPool)}>`,
      clientId: `<${dev.logicalId(signIn.client)}>`,
      signInDomain: `https://<${dev.logicalId(signIn.domain)}>.auth.eu-west-2.amazoncognito.com`,
      siteUrl: `https://<${dev.logicalId(site.distribution)}.DomainName>`,
      // Where the edge reads the live version's pointer (src/site/site-versions.ts).
      siteBucket: `<${dev.logicalId(storage.site)}>`,
      siteBucketRegion: 'eu-west-2',
    });
  });
});

describe('the distribution', () => {
  const behaviourOf = (s: Synthesised) => {
    const config = propertiesOf(s.resources, s.logicalId(s.stack.site.distribution))
      .DistributionConfig as { DefaultCacheBehavior: Record<string, unknown> };
    return config.DefaultCacheBehavior;
  };

  it('runs the edge function on every viewer request, and no CloudFront Function', () => {
    const [reader] = only(dev.resources, 'Custom::CrossRegionStringParameterReader');
    expect(behaviourOf(dev).LambdaFunctionAssociations).toEqual([
      { EventType: 'viewer-request', LambdaFunctionARN: { 'Fn::GetAtt': [reader, 'FunctionArn'] } },
    ]);
    expect(behaviourOf(dev)).not.toHaveProperty('FunctionAssociations');
    expect(ofType(dev.resources, 'AWS::CloudFront::Function')).toEqual({});
    expect(ofType(dev.edgeResources, 'AWS::CloudFront::Function')).toEqual({});
  });

  it("gets the ARN of the function's current version, read from us-east-1", () => {
    // Main stack: the reader asks for a parameter in us-east-1 ...
    const [, reader] = only(dev.resources, 'Custom::CrossRegionStringParameterReader');
    expect(reader.Properties).toMatchObject({ Region: 'us-east-1' });
    // ... which the edge stack writes with the version of the edge function.
    const [, parameter] = only(dev.edgeResources, 'AWS::SSM::Parameter');
    const [versionId, version] = only(dev.edgeResources, 'AWS::Lambda::Version');
    expect(parameter.Properties?.Name).toBe(reader.Properties?.ParameterName);
    expect(parameter.Properties?.Value).toEqual({ Ref: versionId });
    expect(version.Properties?.FunctionName).toEqual({ Ref: edgeFunction(dev)[0] });
  });
});
