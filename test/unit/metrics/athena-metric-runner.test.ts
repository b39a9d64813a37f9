/**
 * What an Athena run owns: a client made for the run and destroyed when it ends, also when a query
 * fails. Athena's API is mocked (aws-sdk-client-mock); the curated store is a local folder with
 * one network's folder, so the run gets as far as its first query.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  AthenaClient,
  InvalidRequestException,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AthenaMetricRunner } from '../../../src/metrics/athena-metric-runner.js';
import { LocalFolderStore } from '../../../src/store/local-folder-store.js';

let dir: string;
let curated: LocalFolderStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rotascope-athena-runner-'));
  curated = new LocalFolderStore(dir);
  // Listed, never read: the networks the Athena queries name.
  await curated.put('shifts/network_code=U60865/week_start=2026-11-09/a.parquet', 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('AthenaMetricRunner', () => {
  it('destroys the client it made for the run when a query fails, and makes a new one per run', async () => {
    const clients: AthenaClient[] = [];
    const runner = new AthenaMetricRunner({
      workGroup: 'rotascope-test',
      database: 'rotascope_test',
      newClient: () => {
        const client = new AthenaClient({
          region: 'eu-west-2',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        });
        mockClient(client)
          .on(StartQueryExecutionCommand)
          .rejects(
            new InvalidRequestException({ message: 'WorkGroup is not found', $metadata: {} }),
          );
        vi.spyOn(client, 'destroy');
        clients.push(client);
        return client;
      },
    });

    for (let run = 1; run <= 2; run++) {
      await expect(runner.run({ curated })).rejects.toThrow(
        'Athena StartQueryExecution failed: WorkGroup is not found',
      );
      expect(clients).toHaveLength(run);
      expect(clients[run - 1]?.destroy).toHaveBeenCalledTimes(1);
    }
    expect(runner.engine).toBe('athena');
    // Nothing was stored: the first query failed.
    expect(await curated.list('metrics/')).toEqual([]);
  });
});
