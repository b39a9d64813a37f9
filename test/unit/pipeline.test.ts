import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  InvalidRequestException,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { KeyFileSecrets } from '../../src/ingest/pseudonymise.js';
import { LazySsmSecrets } from '../../src/lazy-ssm-secrets.js';
import { AthenaMetricRunner } from '../../src/metrics/athena-metric-runner.js';
import { DuckDbMetricRunner } from '../../src/metrics/duckdb-metric-runner.js';
import { metricRunnerFor, openRuntime } from '../../src/pipeline.js';
import { LocalFolderStore } from '../../src/store/local-folder-store.js';

const cwd = '/work/project';
const clock = fixedClock('2026-04-06T00:00:00Z');
const log = () => {};

describe('openRuntime', () => {
  it('reads the pseudonymisation key from the key file by default', () => {
    const rt = openRuntime(loadConfig({}, {}, cwd), clock, log);
    expect(rt.secrets).toBeInstanceOf(KeyFileSecrets);
    expect((rt.secrets as KeyFileSecrets).file).toBe('/work/project/local/keys/pseudonym.key');
  });

  it('reads it from SSM when a key parameter is set, without calling SSM yet', () => {
    const config = loadConfig(
      { ROTASCOPE_PSEUDONYM_KEY_PARAMETER: '/aws/reference/secretsmanager/rotascope-key' },
      {},
      cwd,
    );
    const rt = openRuntime(config, clock, log);
    expect(rt.secrets).toBeInstanceOf(LazySsmSecrets);
    expect((rt.secrets as LazySsmSecrets).parameterName).toBe(
      '/aws/reference/secretsmanager/rotascope-key',
    );
  });
});

describe('metricRunnerFor', () => {
  const athenaEnv = {
    ROTASCOPE_ENGINE: 'athena',
    ROTASCOPE_CURATED: 's3://curated',
    ROTASCOPE_ATHENA_WORKGROUP: 'rotascope-test',
    ROTASCOPE_ATHENA_DATABASE: 'rotascope_test',
    AWS_REGION: 'eu-west-1',
  };

  it('picks DuckDB by default and Athena when the config says so, once per runtime', () => {
    expect(metricRunnerFor(loadConfig({}, {}, cwd))).toBeInstanceOf(DuckDbMetricRunner);
    const athena = metricRunnerFor(loadConfig(athenaEnv, {}, cwd));
    expect(athena).toBeInstanceOf(AthenaMetricRunner);
    expect(athena.engine).toBe('athena');
    expect(openRuntime(loadConfig(athenaEnv, {}, cwd), clock, log).metricRunner).toBeInstanceOf(
      AthenaMetricRunner,
    );
    expect(
      openRuntime(
        loadConfig({ ...athenaEnv, ROTASCOPE_ENGINE: 'duckdb' }, { engine: 'athena' }, cwd),
        clock,
        log,
      ).metricRunner,
    ).toBeInstanceOf(AthenaMetricRunner);
    expect(
      metricRunnerFor(loadConfig({ ...athenaEnv, ROTASCOPE_ENGINE: 'duckdb' }, {}, cwd)),
    ).toBeInstanceOf(DuckDbMetricRunner);
  });

  it('gives the Athena runner the configured workgroup, database and region, and a client per run that it destroys', async () => {
    const athena = mockClient(AthenaClient);
    const destroy = vi.spyOn(AthenaClient.prototype, 'destroy');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-runner-for-'));
    try {
      athena
        .on(StartQueryExecutionCommand)
        .rejects(new InvalidRequestException({ message: 'no', $metadata: {} }));
      const curated = new LocalFolderStore(dir);
      await curated.put('shifts/network_code=U60865/week_start=2026-11-16/a.parquet', 'x');
      const runner = metricRunnerFor(loadConfig(athenaEnv, {}, cwd));
      await expect(runner.run({ curated })).rejects.toThrow('no');
      const [call] = athena.commandCalls(StartQueryExecutionCommand);
      expect(call?.args[0].input).toMatchObject({
        WorkGroup: 'rotascope-test',
        QueryExecutionContext: { Database: 'rotascope_test' },
      });
      expect(call?.args[0].input.QueryString).toContain('"rotascope_test"."shifts"');
      expect(await call?.thisValue.config.region()).toBe('eu-west-1');
      expect(destroy).toHaveBeenCalledTimes(1);
    } finally {
      athena.restore();
      destroy.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
