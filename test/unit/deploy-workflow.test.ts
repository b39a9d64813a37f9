/**
 * The deploy pipeline (.github/workflows/deploy.yml), linted here without a YAML parser (none is
 * a dependency): the file keeps a plain shape (two-space indents, one job per `  <name>:` line,
 * steps as `      - ` items), which `jobsOf` splits into jobs, so each job's text can be checked.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const text = readFileSync(new URL('../../.github/workflows/deploy.yml', import.meta.url), 'utf8');
const packageJson = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as { scripts: Record<string, string> };

/** The workflow's jobs in file order: name and text (the lines under `  <name>:`). */
function jobsOf(workflow: string): { name: string; body: string }[] {
  const lines = workflow.split('\n');
  const start = lines.indexOf('jobs:');
  if (start < 0) throw new Error('no jobs: block');
  const jobs: { name: string; body: string }[] = [];
  for (const line of lines.slice(start + 1)) {
    const header = /^ {2}([a-z][a-z0-9-]*):$/.exec(line);
    if (header) jobs.push({ name: header[1] as string, body: '' });
    else if (/^\S/.test(line)) break;
    else if (jobs.length > 0) (jobs.at(-1) as { body: string }).body += `${line}\n`;
  }
  return jobs;
}
const jobs = jobsOf(text);
const job = (name: string) => {
  const found = jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found.body;
};
/** A job's one-line setting at job level (four-space indent), e.g. `needs`. */
const setting = (name: string, key: string) =>
  new RegExp(`^ {4}${key}: (.+)$`, 'm').exec(job(name))?.[1];
const AWS_JOBS = ['dev', 'staging', 'prod-diff', 'prod'];

describe('deploy workflow', () => {
  it('runs on pushes to main, one deploy at a time, read-only by default', () => {
    expect(text).toMatch(/^on:\n {2}push:\n {4}branches: \[main\]$/m);
    expect(text).toMatch(/^concurrency:\n {2}group: deploy\n {2}cancel-in-progress: false$/m);
    expect(text).toMatch(/^permissions:\n {2}contents: read\n\n/m);
  });

  it('tests, then dev, staging, the prod diff and prod, each after the one before', () => {
    expect(jobs.map((j) => j.name)).toEqual(['test', 'dev', 'staging', 'prod-diff', 'prod']);
    expect(setting('test', 'needs')).toBeUndefined();
    expect(setting('dev', 'needs')).toBe('test');
    expect(setting('staging', 'needs')).toBe('dev');
    expect(setting('prod-diff', 'needs')).toBe('staging');
    expect(setting('prod', 'needs')).toBe('prod-diff');
  });

  it('deploys each stage in its own GitHub environment (prod: the one with reviewers)', () => {
    expect(setting('dev', 'environment')).toBe('dev');
    expect(setting('staging', 'environment')).toBe('staging');
    expect(setting('prod', 'environment')).toBe('prod');
    expect(setting('test', 'environment')).toBeUndefined();
    expect(setting('prod-diff', 'environment')).toBeUndefined();
    for (const name of ['dev', 'staging', 'prod'])
      expect(job(name)).toContain(`\n      STAGE: ${name}\n`);
  });

  it('uses OIDC federation and never access keys', () => {
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET|secrets\./i);
    expect(job('test')).not.toMatch(/id-token|configure-aws-credentials/);
    for (const name of AWS_JOBS) {
      expect(job(name)).toMatch(/^ {4}permissions:\n {6}id-token: write\n {6}contents: read$/m);
      expect(job(name)).toContain('uses: aws-actions/configure-aws-credentials@v4');
      expect(job(name)).toMatch(/role-to-assume: \$\{\{ vars\.AWS_[A-Z_]+_ROLE_ARN \}\}/);
    }
    expect(job('prod-diff')).toContain('vars.AWS_PROD_DIFF_ROLE_ARN');
  });

  it('installs, tests and synthesises every stage before any deploy', () => {
    const steps = ['- run: npm ci', '- run: npm test', '- run: npm run build:lambdas'];
    const at = steps.map((step) => job('test').indexOf(step));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    for (const stage of ['dev', 'staging', 'prod'])
      expect(job('test')).toContain(`npx cdk synth --quiet -c stage=${stage}`);
  });

  it('diffs, deploys and smoke-tests each stage in that order; prod-diff only diffs', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const body = job(name);
      const credentials = body.indexOf('configure-aws-credentials');
      const diff = body.indexOf('npx cdk diff --all -c stage=$STAGE');
      const deploy = body.indexOf('npx cdk deploy --all --require-approval never');
      const smoke = body.indexOf(
        'npm run smoke -- --outputs cdk-outputs.json --stack Rotascope-$STAGE',
      );
      expect([credentials, diff, deploy, smoke].every((i) => i >= 0)).toBe(true);
      expect(credentials < diff && diff < deploy && deploy < smoke).toBe(true);
      expect(body).toContain('--outputs-file cdk-outputs.json');
    }
    expect(job('prod-diff')).toContain('npx cdk diff --all -c stage=$STAGE');
    expect(job('prod-diff')).not.toMatch(/cdk deploy|npm run smoke/);
    expect(packageJson.scripts.smoke).toBe('tsx scripts/smoke-test.ts');
  });
});
