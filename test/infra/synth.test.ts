/**
 * `cdk synth` through the real CDK CLI and cdk.json, with no AWS credentials or region: the
 * command an engineer runs first must work offline and write a template. The Lambda artefacts
 * come from a fake folder (`-c artefactsDir=...`), so the test does not need a Lambda build.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFakeArtefacts } from './fake-artefacts.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cdkCli = createRequire(import.meta.url).resolve('aws-cdk/bin/cdk');

/** The parent's environment minus anything that could supply AWS credentials or a target. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('cdk synth (CLI)', () => {
  let dir: string;
  let artefactsDir: string;
  let result: { stdout: string; stderr: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotascope-synth-'));
    artefactsDir = makeFakeArtefacts();
    result = await promisify(execFile)(
      process.execPath,
      [
        cdkCli,
        'synth',
        '--quiet',
        '-o',
        join(dir, 'cdk.out'),
        '-c',
        `artefactsDir=${artefactsDir}`,
      ],
      { cwd: repoRoot, env: offlineEnv(dir), maxBuffer: 16 * 1024 * 1024 },
    );
  }, 120_000);

  const templateOf = async (stackName: string) =>
    JSON.parse(await readFile(join(dir, 'cdk.out', `${stackName}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(artefactsDir, { recursive: true, force: true });
  });

  it('exits 0 and writes the dev stack template with its six buckets and two functions', async () => {
    // execFile rejects on a non-zero exit, so reaching here means exit code 0.
    const template = await templateOf('Rotascope-dev');
    const count = (type: string) =>
      Object.values(template.Resources).filter((r) => r.Type === type).length;
    expect(count('AWS::S3::Bucket')).toBe(6);
    // Ingest and publish, CDK's handler that sets the raw bucket's notifications, and CDK's
    // reader of the edge function's version ARN from us-east-1.
    expect(count('AWS::Lambda::Function')).toBe(4);
  });

  it('writes the edge stack template, with the edge authoriser as its only function', async () => {
    const template = await templateOf('Rotascope-dev-edge');
    const functions = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0]?.Properties?.FunctionName).toBe('rotascope-dev-edge-auth');
  });

  it('reports no validation finding', async () => {
    const report = JSON.parse(
      await readFile(join(dir, 'cdk.out', 'validation-report.json'), 'utf8'),
    ) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
    expect(result.stderr).not.toMatch(/AwsSolutions-/);
  });
});
