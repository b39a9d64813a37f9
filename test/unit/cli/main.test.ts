import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/cli/commands.js';
import { main } from '../../../src/cli/main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n'), errLines: err };
}

describe('rotascope CLI', () => {
  it('lists its commands', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const name of ['demo', 'ingest', 'metrics', 'publish', 'run'])
      expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it.each(Object.keys(COMMANDS))('has --help for %s', async (name) => {
    const { code, out } = await run([name, '--help']);
    expect(code).toBe(0);
    expect(out).toContain(`Usage: rotascope ${name}`);
    expect(out).toContain('--data <dir>');
  });

  it('exits 2 with one line on a usage error', async () => {
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      err: 'rotascope: unknown command "frobnicate" (try rotascope --help)',
    });
    const bad = await run(['ingest', '--nope']);
    expect(bad.code).toBe(2);
    expect(bad.errLines).toHaveLength(1);
    expect(bad.err).toMatch(/^rotascope ingest: Unknown option '--nope'/);
    expect((await run([])).code).toBe(2);
  });

  it('exits 2 on a --week that is not an ISO week or has not ended, before doing any work', async () => {
    const data = path.join(dir, 'no-data');
    const bad = await run(['publish', '--week', '2026-46', '--data', data]);
    expect(bad).toMatchObject({
      code: 2,
      err: 'rotascope publish: --week: Not an ISO week (YYYY-Www): 2026-46',
    });
    expect((await run(['publish', '--week', '2026-W54', '--data', data])).err).toBe(
      'rotascope publish: --week: No such ISO week: 2026-W54',
    );
    const future = await run(['run', '--week', '2999-W01', '--data', data]);
    expect(future.code).toBe(2);
    expect(future.errLines).toEqual([
      expect.stringMatching(
        /^rotascope run: week 2999-W01 has not ended yet: the last complete week is \d{4}-W\d{2}$/,
      ),
    ]);
  });

  it('exits 1 with one line naming the problem when a step fails', async () => {
    const data = path.join(dir, 'empty');
    const result = await run(['metrics', '--data', data]);
    expect(result.code).toBe(1);
    expect(result.errLines.at(-1)).toMatch(
      /^rotascope metrics: No curated shifts in local folder .*: run `rotascope ingest` first$/,
    );
  });

  it('takes --engine duckdb|athena for metrics and run, and refuses anything else', async () => {
    const bogus = await run(['metrics', '--engine', 'spark', '--data', dir]);
    expect(bogus).toMatchObject({
      code: 1,
      err: 'rotascope metrics: --engine must be duckdb or athena, got "spark"',
    });
    // Athena with the local curated folder: refused before anything runs.
    const local = await run(['run', '--engine', 'athena', '--data', dir], {
      ROTASCOPE_ATHENA_WORKGROUP: 'rotascope-dev',
      ROTASCOPE_ATHENA_DATABASE: 'rotascope_dev',
    });
    expect(local.code).toBe(1);
    expect(local.err).toMatch(/^rotascope run: The Athena engine reads curated data .* in S3/);
    expect((await run(['publish', '--engine', 'athena'])).code).toBe(2);
  });

  it('reports a bad setting as one line', async () => {
    const result = await run(['demo', '--weeks', '5', '--data', dir]);
    expect(result).toMatchObject({
      code: 1,
      err: 'rotascope demo: Demo weeks must be a whole number from 12 to 104, got 5',
    });
  });

  it('athena-check takes no options of its own and needs the Athena settings, whatever the engine', async () => {
    expect(await run(['athena-check', '--engine', 'duckdb'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^rotascope athena-check: Unknown option '--engine'/),
    });
    // ROTASCOPE_ENGINE=duckdb does not excuse the missing settings: the command is Athena's.
    expect(await run(['athena-check'], { ROTASCOPE_ENGINE: 'duckdb' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /^rotascope athena-check: The Athena engine needs ROTASCOPE_ATHENA_WORKGROUP and ROTASCOPE_ATHENA_DATABASE/,
      ),
    });
    expect(
      await run(['athena-check'], {
        ROTASCOPE_ATHENA_WORKGROUP: 'wg',
        ROTASCOPE_ATHENA_DATABASE: 'db',
        ROTASCOPE_DATA_DIR: dir,
      }),
    ).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /^rotascope athena-check: .*set ROTASCOPE_CURATED to the stack's curated bucket/,
      ),
    });
    const { code, out } = await run(['athena-check', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: rotascope athena-check');
  });
});
