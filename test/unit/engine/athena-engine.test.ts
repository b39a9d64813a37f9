/**
 * AthenaQueryEngine over a mocked AthenaClient (aws-sdk-client-mock): Athena's API cannot run
 * here. Time is fake (the engine's `sleep` and `now`), so polling, backoff and timeouts take no
 * real time. Also the cost estimate (parameters: athena-parameters.test.ts).
 */
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  type GetQueryExecutionOutput,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ATHENA_QUERY_ACTIONS } from '../../../infra/athena.js';
import { tableRows } from '../../../src/engine/arrow-types.js';
import {
  type AthenaEngineOptions,
  AthenaQueryEngine,
  AthenaQueryError,
  estimatedCostUsd,
} from '../../../src/engine/athena-engine.js';
import { RotascopeError } from '../../../src/errors.js';
import { athenaStandIn } from '../../helpers/athena-rules.js';

const client = new AthenaClient({
  region: 'eu-west-2',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const athena = mockClient(client);
afterEach(() => {
  athena.reset();
});

const ID = 'a1b2c3d4-0000-4000-8000-000000000001';

/** Fake time: `sleep` moves `now` on and records each wait. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
  };
}

function engine(options: Partial<AthenaEngineOptions> = {}) {
  const time = fakeTime();
  const progress: string[] = [];
  const created = new AthenaQueryEngine({
    client,
    workGroup: 'rotascope-test',
    database: 'rotascope_curated',
    onProgress: (message) => progress.push(message),
    sleep: time.sleep,
    now: time.now,
    ...options,
  });
  return { engine: created, time, progress };
}

function state(
  State: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED',
  extra: NonNullable<GetQueryExecutionOutput['QueryExecution']> = {},
): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: ID,
      StatementType: 'DML',
      ...extra,
      Status: { State, ...extra.Status },
    },
  };
}

const succeeded = (bytes = 52_428_800, engineMs = 1234) =>
  state('SUCCEEDED', {
    Statistics: { DataScannedInBytes: bytes, EngineExecutionTimeInMillis: engineMs },
  });

const COLUMNS: ColumnInfo[] = [
  { Name: 'network_code', Type: 'varchar' },
  { Name: 'week_start', Type: 'date' },
  { Name: 'filled_hours', Type: 'double' },
];

/** A results page; `header` puts the column names first, as Athena does on a SELECT's first page. */
function page(rows: string[][], options: { header?: boolean; next?: string } = {}) {
  const cells = (values: string[]) => ({ Data: values.map((VarCharValue) => ({ VarCharValue })) });
  const output: GetQueryResultsOutput = {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: COLUMNS },
      Rows: [
        ...(options.header ? [cells(COLUMNS.map((c) => c.Name ?? ''))] : []),
        ...rows.map(cells),
      ],
    },
    ...(options.next ? { NextToken: options.next } : {}),
  };
  return output;
}

const SQL = `select network_code, week_start, filled_hours from network_week
where network_code = $network and week_start >= date '2026-11-09' - interval '7' day * $weeks`;

describe('AthenaQueryEngine', () => {
  it('starts the query in the workgroup with values as ExecutionParameters, polls, reads rows', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('QUEUED'))
      .resolvesOnce(state('RUNNING'))
      .resolves(succeeded());
    athena
      .on(GetQueryResultsCommand)
      .resolves(page([['U60865', '2026-11-09', '37.5']], { header: true }));
    const { engine: athenaEngine, time } = engine();

    const table = await athenaEngine.query(SQL, { network: 'U60865', weeks: 4 });

    const [start] = athena.commandCalls(StartQueryExecutionCommand);
    const input = start?.args[0].input;
    expect(input).toEqual({
      QueryString: `select network_code, week_start, filled_hours from network_week
where network_code = ? and week_start >= date '2026-11-09' - interval '7' day * ?`,
      WorkGroup: 'rotascope-test',
      QueryExecutionContext: { Database: 'rotascope_curated' },
      ExecutionParameters: ["'U60865'", '4'],
      ClientRequestToken: expect.any(String),
    });
    expect(input?.QueryString).not.toContain('U60865');
    expect(input).not.toHaveProperty('ResultConfiguration');
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);
    expect(time.waits).toEqual([250, 500]);
    expect(athena.commandCalls(GetQueryResultsCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
      MaxResults: 1000,
    });
    expect(tableRows(table)).toEqual([
      { network_code: 'U60865', week_start: '2026-11-09', filled_hours: 37.5 },
    ]);
  });

  it('passes the catalog when given, and no ExecutionParameters when there are none', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves(page([], { header: true }));
    const { engine: athenaEngine } = engine({ catalog: 'AwsDataCatalog' });

    const table = await athenaEngine.query('select 1');

    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input?.QueryExecutionContext).toEqual({
      Database: 'rotascope_curated',
      Catalog: 'AwsDataCatalog',
    });
    expect(input).not.toHaveProperty('ExecutionParameters');
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'network_code',
      'week_start',
      'filled_hours',
    ]);
  });

  it('follows NextToken over three pages, skipping the header row on the first only', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        page(
          [
            ['U60865', '2026-11-02', '1.0'],
            ['U60865', '2026-11-09', '2.0'],
          ],
          { header: true, next: 'page-2' },
        ),
      )
      .resolvesOnce(page([['U60866', '2026-11-02', '3.0']], { next: 'page-3' }))
      .resolvesOnce(page([['U60866', '2026-11-09', '4.5']]));
    const { engine: athenaEngine } = engine();

    const rows = tableRows(await athenaEngine.query('select * from network_week'));

    expect(rows.map((r) => [r.network_code, r.week_start, r.filled_hours])).toEqual([
      ['U60865', '2026-11-02', 1],
      ['U60865', '2026-11-09', 2],
      ['U60866', '2026-11-02', 3],
      ['U60866', '2026-11-09', 4.5],
    ]);
    expect(
      athena.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input.NextToken),
    ).toEqual([undefined, 'page-2', 'page-3']);
  });

  it('keeps the first row of a statement that has no header row (SHOW, DESCRIBE)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED', { StatementType: 'UTILITY' }));
    athena.on(GetQueryResultsCommand).resolves(page([['U60865', '2026-11-09', '1.0']]));
    const { engine: athenaEngine } = engine();

    const table = await athenaEngine.query('show tables');

    expect(table.numRows).toBe(1);
  });

  it('reports a FAILED query with Athena’s reason and the query execution id', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(
      state('FAILED', {
        Status: {
          StateChangeReason: "COLUMN_NOT_FOUND: line 1:8: Column 'hourz' cannot be resolved",
          AthenaError: {
            ErrorMessage: "COLUMN_NOT_FOUND: line 1:8: Column 'hourz' cannot be resolved",
          },
        },
      }),
    );
    const { engine: athenaEngine } = engine();

    const error = await athenaEngine.query('select hourz from shifts').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect(error).toBeInstanceOf(RotascopeError);
    expect((error as AthenaQueryError).message).toBe(
      `Athena query ${ID} FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'hourz' cannot be resolved`,
    );
    expect((error as AthenaQueryError).state).toBe('FAILED');
    expect((error as AthenaQueryError).queryExecutionId).toBe(ID);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
  });

  it('reports a CANCELLED query, with both reasons when they differ', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(
      state('CANCELLED', {
        Status: {
          StateChangeReason: 'Query cancelled by user',
          AthenaError: { ErrorMessage: 'Stopped from the console' },
        },
      }),
    );
    const { engine: athenaEngine } = engine();

    await expect(athenaEngine.query('select 1')).rejects.toThrow(
      `Athena query ${ID} CANCELLED: Query cancelled by user; Stopped from the console`,
    );
  });

  it('stops a query that runs past the timeout, backing off up to the cap', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const { engine: athenaEngine, time } = engine({ timeoutMs: 20_000 });

    const error = await athenaEngine.query('select 1').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).message).toBe(
      `Athena query ${ID} timed out after 20 s; it has been stopped`,
    );
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
    // 250 + 500 + 1000 + 2000 + 4000 + 5000 + 5000 = 17,750; then the 2,250 ms left.
    expect(time.waits).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 2250]);
  });

  it('stops the query when the caller aborts, and throws', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    const controller = new AbortController();
    const { engine: athenaEngine } = engine({
      sleep: async () => controller.abort(new Error('user pressed Ctrl-C')),
    });

    const error = await athenaEngine
      .query('select 1', {}, { signal: controller.signal })
      .catch((e: unknown) => e);

    expect((error as AthenaQueryError).state).toBe('ABORTED');
    expect((error as Error).message).toBe(`Athena query ${ID} was aborted; it has been stopped`);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
  });

  it('starts nothing when the signal is already aborted', async () => {
    const { engine: athenaEngine } = engine();
    await expect(
      athenaEngine.query('select 1', {}, { signal: AbortSignal.abort() }),
    ).rejects.toThrow('aborted before it started');
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('retries a throttled start with backoff and the same request token', async () => {
    const throttled = new TooManyRequestsException({
      message: 'Too many queries running',
      $metadata: {},
    });
    athena
      .on(StartQueryExecutionCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves(page([], { header: true }));
    const { engine: athenaEngine, time } = engine();

    await athenaEngine.query('select 1');

    const starts = athena.commandCalls(StartQueryExecutionCommand);
    expect(starts).toHaveLength(3);
    const tokens = new Set(starts.map((call) => call.args[0].input.ClientRequestToken));
    expect(tokens.size).toBe(1);
    expect(time.waits).toEqual([1000, 2000]);
  });

  it('gives up on a start still throttled after maxAttempts', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const { engine: athenaEngine, time } = engine({ maxAttempts: 3 });

    await expect(athenaEngine.query('select 1')).rejects.toThrow(
      'Athena StartQueryExecution still throttled after 3 attempts: Rate exceeded',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(3);
    expect(time.waits).toEqual([1000, 2000]);
  });

  it('retries throttling while polling too (ThrottlingException)', async () => {
    const throttling = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).rejectsOnce(throttling).resolves(succeeded());
    athena.on(GetQueryResultsCommand).resolves(page([], { header: true }));
    const { engine: athenaEngine } = engine();

    await athenaEngine.query('select 1');

    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(2);
  });

  it('does not retry an error that is not throttling', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: 'WorkGroup is not found', $metadata: {} }));
    const { engine: athenaEngine } = engine();

    await expect(athenaEngine.query('select 1')).rejects.toThrow(
      'Athena StartQueryExecution failed: WorkGroup is not found',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(1);
  });

  it('reports data scanned and estimated cost, for the last query and in total', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(succeeded(52_428_800, 1234))
      .resolves(succeeded(1000, 66));
    athena.on(GetQueryResultsCommand).resolves(page([], { header: true }));
    const { engine: athenaEngine, progress } = engine();

    await athenaEngine.query('select 1');
    await athenaEngine.query('select 2');

    // 52,428,800 bytes bill as 53 MB (rounded up) at $5/TB: 53e6 / 1e12 * 5 = $0.000265. 1,000
    // bytes bill as the 10 MB minimum: $0.00005.
    expect(athenaEngine.lastQuery).toEqual({
      id: ID,
      bytesScanned: 1000,
      costUsd: 0.00005,
      engineMs: 66,
    });
    expect(athenaEngine.totals.queries).toBe(2);
    expect(athenaEngine.totals.bytesScanned).toBe(52_429_800);
    expect(athenaEngine.totals.costUsd).toBeCloseTo(0.000315, 12);
    expect(athenaEngine.totals.engineMs).toBe(1300);
    expect(progress).toContain(
      `  athena: query ${ID} scanned 52.4 MB in 1234 ms, estimated $0.000265`,
    );
    expect(progress).toContain(
      `  athena: query ${ID} scanned 1000 bytes in 66 ms, estimated $0.000050`,
    );
  });

  it('close() stops a query still running; the engine then refuses queries', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('RUNNING'))
      .resolves(state('CANCELLED', { Status: { StateChangeReason: 'Query was cancelled' } }));
    athena.on(StopQueryExecutionCommand).resolves({});
    let closing: Promise<void> | undefined;
    const { engine: athenaEngine } = engine({
      sleep: async () => {
        closing = athenaEngine.close();
      },
    });

    await expect(athenaEngine.query('select 1')).rejects.toThrow('CANCELLED');
    await closing;
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
    await expect(athenaEngine.query('select 1')).rejects.toThrow('The Athena engine is closed');
  });

  it('refuses options that cannot work', () => {
    expect(() => engine({ workGroup: '' })).toThrow('no workgroup given');
    expect(() => engine({ timeoutMs: 0 })).toThrow('timeoutMs must be a positive number');
  });
});

describe('estimatedCostUsd', () => {
  it('bills at least 10 MB a query, rounded up to the MB, and nothing for nothing scanned', () => {
    expect(estimatedCostUsd(0, 5)).toBe(0);
    expect(estimatedCostUsd(1, 5)).toBe(0.00005);
    expect(estimatedCostUsd(10_000_001, 5)).toBeCloseTo(0.000055, 12);
    expect(estimatedCostUsd(1e12, 5)).toBe(5);
  });
});

/**
 * The engine's parameters against Athena's documented rules for them, held by the stand-in
 * (test/helpers/athena-rules.ts): one ExecutionParameters value per `?`, every `?` in a WHERE
 * clause ("Using parameterized queries", Athena user guide), each value 1 to 1,024 characters
 * (API reference, StartQueryExecution).
 */
describe('AthenaQueryEngine parameters, through the stand-in', () => {
  function standIn() {
    const started: string[] = [];
    const { refused } = athenaStandIn(athena, {
      database: 'rotascope_curated',
      start: (input) => {
        started.push(input.QueryString ?? '');
        return ID;
      },
      execution: succeeded().QueryExecution ?? {},
      today: '2026-11-16',
    });
    athena.on(GetQueryResultsCommand).resolves(page([], { header: true }));
    return { refused, started };
  }

  it('sends $name in a WHERE as ?, one value each, which Athena runs', async () => {
    const { refused, started } = standIn();
    await engine().engine.query(SQL, { network: 'U60865', weeks: 4 });
    expect(refused).toEqual([]);
    expect(started).toHaveLength(1);
  });

  it('gets the failure Athena gives for a parameter outside the WHERE clause', async () => {
    const { refused } = standIn();
    const query = engine().engine.query(
      'select $label as label, network_code from network_week where network_code = $network',
      { label: 'x', network: 'U60865' },
    );
    await expect(query).rejects.toThrow(AthenaQueryError);
    await expect(query).rejects.toThrow(/a \? parameter outside a WHERE clause/);
    expect(refused).toHaveLength(1);
  });

  it('refuses a value too long for Athena before sending anything', async () => {
    const { refused } = standIn();
    const query = engine().engine.query(
      'select network_code from network_week where network_code = $r',
      {
        r: 'r'.repeat(2000),
      },
    );
    await expect(query).rejects.toThrow('Parameter $r: its literal is 2002 characters');
    expect(refused).toEqual([]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toEqual([]);
  });
});

/**
 * The publish role may call only ATHENA_QUERY_ACTIONS (infra/athena.ts, the grant of the stack's
 * workgroup); an engine that called anything else (GetWorkGroup, ListQueryExecutions, ...) would
 * be refused on a real account (AccessDeniedException) while every mocked test passed.
 */
describe('AthenaQueryEngine calls only what the stack grants', () => {
  it('runs, pages, times out and stops with the actions of ATHENA_QUERY_ACTIONS alone', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
    athena.on(GetQueryExecutionCommand).resolves(succeeded());
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(page([['U60865', '2026-11-09', '1']], { header: true, next: 'p2' }))
      .resolves(page([['U60865', '2026-11-16', '2']]));
    athena.on(StopQueryExecutionCommand).resolves({});
    await engine().engine.query('select 1');
    athena.on(GetQueryExecutionCommand).resolves(state('RUNNING'));
    await engine({ timeoutMs: 1_000 })
      .engine.query('select 1')
      .catch(() => undefined);

    const actions = new Set(
      athena
        .calls()
        .map(
          (call) => `athena:${(call.args[0] as object).constructor.name.replace(/Command$/, '')}`,
        ),
    );
    expect(actions.has('athena:StopQueryExecution')).toBe(true);
    expect(
      [...actions].filter((a) => !(ATHENA_QUERY_ACTIONS as readonly string[]).includes(a)),
    ).toEqual([]);
  });
});
