/**
 * Athena (`@aws-sdk/client-athena`): the query engine for curated data in S3 once it outgrows one
 * Lambda (DESIGN §2). A query is started in the configured workgroup (which enforces the results
 * location, so none is given here), polled with backoff until it ends, and its results are paged
 * into an Arrow table with the same columns a DuckDB result would have (athena-results.ts).
 *
 * Values are never written into the SQL: `$name` placeholders become Athena's positional `?` and
 * the values go as ExecutionParameters, each a SQL literal. Throttling is retried a bounded number
 * of times on top of the SDK client's own retries; the client is injected and stays the caller's.
 * Data scanned and its estimated cost are reported after each query and summed over the engine's
 * life.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  type QueryExecutionStatistics,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { Table } from 'apache-arrow';
import { oneLineReason, RotascopeError } from '../errors.js';
import { positionalParameters } from './athena-parameters.js';
import { athenaResultToArrow } from './athena-results.js';
import type { QueryEngine, SqlValue } from './query-engine.js';

export interface AthenaEngineOptions {
  client: AthenaClient;
  workGroup: string;
  /** The Glue database unqualified table names resolve in (QueryExecutionContext.Database). */
  database: string;
  /** The data catalog; Athena's default (`AwsDataCatalog`) when not given. */
  catalog?: string;
  /** How long a query may take before it is stopped; default 10 minutes. */
  timeoutMs?: number;
  /** The first wait between polls, doubled after each poll up to `maxPollMs`; default 250 ms. */
  pollMs?: number;
  /** The longest wait between polls, and between retries of a throttled call; default 5 s. */
  maxPollMs?: number;
  /** The first wait before retrying a throttled call, doubled each time; default 1 s. */
  retryMs?: number;
  /** Tries of one API call while it is throttled, the first included; default 5. */
  maxAttempts?: number;
  /** USD per TB (10^12 bytes) scanned, for the cost estimate; default 5. */
  pricePerTbUsd?: number;
  onProgress?: (message: string) => void;
  /** For tests: wait `ms`, or less if `signal` aborts first. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: the time in milliseconds, to measure the timeout with. */
  now?: () => number;
}

export interface AthenaQueryOptions {
  /** Aborting stops the query in Athena and makes `query` throw. */
  signal?: AbortSignal;
}

/** What one query scanned and cost, or (as totals) the sum over queries. */
export interface AthenaQueryStats {
  bytesScanned: number;
  /** Estimated from `pricePerTbUsd`; the bill is the workgroup's. */
  costUsd: number;
  /** Athena's engine time (EngineExecutionTimeInMillis). */
  engineMs: number;
}

/** A query Athena did not complete: FAILED, CANCELLED, TIMED_OUT or ABORTED. */
export class AthenaQueryError extends RotascopeError {
  override name = 'AthenaQueryError';
  constructor(
    readonly queryExecutionId: string,
    readonly state: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const DEFAULTS = {
  timeoutMs: 10 * 60_000,
  pollMs: 250,
  maxPollMs: 5_000,
  retryMs: 1_000,
  maxAttempts: 5,
  pricePerTbUsd: 5,
};

/** GetQueryResults returns at most 1,000 rows a page. */
const PAGE_ROWS = 1000;

export class AthenaQueryEngine implements QueryEngine {
  private readonly settings: typeof DEFAULTS;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly running = new Set<string>();
  private closed = false;
  private last: (AthenaQueryStats & { id: string }) | undefined;
  private sum: AthenaQueryStats & { queries: number } = {
    queries: 0,
    bytesScanned: 0,
    costUsd: 0,
    engineMs: 0,
  };

  constructor(private readonly options: AthenaEngineOptions) {
    if (!options.workGroup) throw new RotascopeError('Athena engine: no workgroup given');
    if (!options.database) throw new RotascopeError('Athena engine: no database given');
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      maxPollMs: options.maxPollMs ?? DEFAULTS.maxPollMs,
      retryMs: options.retryMs ?? DEFAULTS.retryMs,
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      pricePerTbUsd: options.pricePerTbUsd ?? DEFAULTS.pricePerTbUsd,
    };
    for (const [key, value] of Object.entries(this.settings)) {
      if (!(Number.isFinite(value) && value > 0)) {
        throw new RotascopeError(`Athena engine: ${key} must be a positive number, not ${value}`);
      }
    }
    this.sleep = options.sleep ?? sleepUnlessAborted;
    this.now = options.now ?? Date.now;
  }

  /** The last query that succeeded: its id, data scanned, estimated cost and engine time. */
  get lastQuery(): Readonly<AthenaQueryStats & { id: string }> | undefined {
    return this.last;
  }

  /** Sums over every query that succeeded on this engine. */
  get totals(): Readonly<AthenaQueryStats & { queries: number }> {
    return this.sum;
  }

  async query(
    sql: string,
    params?: Record<string, SqlValue>,
    options: AthenaQueryOptions = {},
  ): Promise<Table> {
    if (this.closed) throw new RotascopeError('The Athena engine is closed');
    const statement = positionalParameters(sql, params);
    const { signal } = options;
    if (signal?.aborted) throw new RotascopeError('Athena query aborted before it started');
    const id = await this.start(statement.sql, statement.values);
    this.running.add(id);
    try {
      const execution = await this.waitFor(id, signal);
      const table = await this.results(id, hasHeaderRow(execution), signal);
      this.record(id, execution.Statistics);
      return table;
    } finally {
      this.running.delete(id);
    }
  }

  /** Stops any query still running; the client is the caller's to destroy. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running].map((id) => this.stop(id)));
  }

  private async start(sql: string, values: readonly string[]): Promise<string> {
    const { workGroup, database, catalog } = this.options;
    // The same token on every retry: if Athena started the query but the answer was lost, a
    // retry returns that query instead of starting a second one.
    const token = randomUUID();
    const output = await this.retrying('StartQueryExecution', () =>
      this.options.client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: workGroup,
          QueryExecutionContext: { Database: database, ...(catalog ? { Catalog: catalog } : {}) },
          ...(values.length > 0 ? { ExecutionParameters: [...values] } : {}),
          ClientRequestToken: token,
        }),
      ),
    );
    const id = output.QueryExecutionId;
    if (!id) throw new RotascopeError('Athena StartQueryExecution returned no QueryExecutionId');
    this.options.onProgress?.(`  athena: query ${id} started in workgroup ${workGroup}`);
    return id;
  }

  /** Poll until the query ends; stop it on timeout or abort. */
  private async waitFor(id: string, signal: AbortSignal | undefined): Promise<QueryExecution> {
    const { timeoutMs, pollMs, maxPollMs } = this.settings;
    const started = this.now();
    // Every wait but the last is at least pollMs, so this many polls outlast the timeout.
    const maxPolls = Math.ceil(timeoutMs / Math.min(pollMs, maxPollMs)) + 2;
    for (let poll = 0; poll < maxPolls; poll += 1) {
      if (signal?.aborted) throw await this.stopped(id, 'ABORTED', 'was aborted', signal.reason);
      const execution = await this.execution(id);
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED') return execution;
      if (state === 'FAILED' || state === 'CANCELLED') throw failure(id, execution);
      const left = timeoutMs - (this.now() - started);
      if (left <= 0) break;
      await this.sleep(Math.min(pollMs * 2 ** poll, maxPollMs, left), signal);
    }
    throw await this.stopped(id, 'TIMED_OUT', `timed out after ${timeoutMs / 1000} s`);
  }

  private async execution(id: string): Promise<QueryExecution> {
    const output = await this.retrying('GetQueryExecution', () =>
      this.options.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
    );
    if (!output.QueryExecution) {
      throw new RotascopeError(`Athena GetQueryExecution returned nothing for query ${id}`);
    }
    return output.QueryExecution;
  }

  /** Stop the query and return the error to throw, saying it was stopped. */
  private async stopped(
    id: string,
    state: string,
    what: string,
    cause?: unknown,
  ): Promise<AthenaQueryError> {
    await this.stop(id);
    return new AthenaQueryError(id, state, `Athena query ${id} ${what}; it has been stopped`, {
      cause,
    });
  }

  /** StopQueryExecution, reporting rather than throwing a failure (the caller has an error). */
  private async stop(id: string): Promise<void> {
    try {
      await this.options.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch (error) {
      this.options.onProgress?.(`  athena: could not stop query ${id}: ${oneLineReason(error)}`);
    }
  }

  /** Every page of the results; a SELECT's first row (of the first page only) is its header. */
  private async results(
    id: string,
    headerRow: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Table> {
    let columns: ColumnInfo[] | undefined;
    const rows: Row[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    do {
      if (signal?.aborted) {
        throw new AthenaQueryError(id, 'ABORTED', `Reading the results of query ${id} aborted`);
      }
      const page = await this.page(id, token);
      const pageRows = page.ResultSet?.Rows ?? [];
      const first = columns === undefined;
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      rows.push(...(first && headerRow ? pageRows.slice(1) : pageRows));
      token = page.NextToken;
      if (token !== undefined && tokens.has(token)) {
        throw new RotascopeError(`Athena GetQueryResults repeated a NextToken for query ${id}`);
      }
      if (token !== undefined) tokens.add(token);
    } while (token !== undefined);
    return athenaResultToArrow(columns ?? [], rows);
  }

  private page(id: string, token: string | undefined) {
    return this.retrying('GetQueryResults', () =>
      this.options.client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          MaxResults: PAGE_ROWS,
          ...(token !== undefined ? { NextToken: token } : {}),
        }),
      ),
    );
  }

  /** Call `send`, retrying while Athena throttles, at most `maxAttempts` tries in all. */
  private async retrying<T>(action: string, send: () => Promise<T>): Promise<T> {
    const { maxAttempts, retryMs, maxPollMs } = this.settings;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await send();
      } catch (error) {
        if (!isRetryable(error)) {
          throw new RotascopeError(`Athena ${action} failed: ${oneLineReason(error)}`, {
            cause: error,
          });
        }
        if (attempt >= maxAttempts) {
          throw new RotascopeError(
            `Athena ${action} still throttled after ${attempt} attempts: ${oneLineReason(error)}`,
            { cause: error },
          );
        }
      }
      const wait = Math.min(retryMs * 2 ** (attempt - 1), maxPollMs);
      this.options.onProgress?.(`  athena: ${action} throttled; retrying in ${wait} ms`);
      await this.sleep(wait);
    }
  }

  private record(id: string, statistics: QueryExecutionStatistics | undefined): void {
    const bytesScanned = statistics?.DataScannedInBytes ?? 0;
    const engineMs = statistics?.EngineExecutionTimeInMillis ?? 0;
    const costUsd = estimatedCostUsd(bytesScanned, this.settings.pricePerTbUsd);
    this.last = { id, bytesScanned, costUsd, engineMs };
    this.sum = {
      queries: this.sum.queries + 1,
      bytesScanned: this.sum.bytesScanned + bytesScanned,
      costUsd: this.sum.costUsd + costUsd,
      engineMs: this.sum.engineMs + engineMs,
    };
    this.options.onProgress?.(
      `  athena: query ${id} scanned ${formatBytes(bytesScanned)} in ${engineMs} ms, estimated $${costUsd.toFixed(6)}`,
    );
  }
}

const MB = 1e6;
const TB = 1e12;

/**
 * Estimated USD for one query. Athena bills data scanned per TB, rounding each query up to the
 * next MB with a minimum of 10 MB, so even a tiny query costs 10 MB; a query that scanned nothing
 * (DDL, results reused) is not billed. Units are decimal (1 TB = 10^12 bytes).
 */
export function estimatedCostUsd(bytesScanned: number, pricePerTbUsd: number): number {
  if (bytesScanned <= 0) return 0;
  const billed = Math.max(10 * MB, Math.ceil(bytesScanned / MB) * MB);
  return (billed / TB) * pricePerTbUsd;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(1)} MB`;
  return `${bytes} bytes`;
}

/** A SELECT (statement type DML) has its column names as the first result row; DDL does not. */
function hasHeaderRow(execution: QueryExecution): boolean {
  return execution.StatementType !== 'DDL' && execution.StatementType !== 'UTILITY';
}

function failure(id: string, execution: QueryExecution): AthenaQueryError {
  const status = execution.Status;
  const state = status?.State ?? 'UNKNOWN';
  const reasons = [status?.StateChangeReason, status?.AthenaError?.ErrorMessage]
    .map((reason) => reason?.trim())
    .filter((reason): reason is string => Boolean(reason));
  const reason = [...new Set(reasons)].join('; ') || 'no reason given';
  return new AthenaQueryError(id, state, `Athena query ${id} ${state}: ${reason}`);
}

/** Throttling error names, as the SDK's retry strategy knows them. */
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
]);

/** Throttling, or an error the SDK marks retryable (`$retryable`). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING.has(error.name)) return true;
  const marked = (error as { $retryable?: unknown }).$retryable;
  return marked !== undefined && marked !== null && marked !== false;
}

async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  // An abort ends the wait early; the caller sees signal.aborted and stops the query.
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * An Athena engine on a client of its own for the configured workgroup and database, and how to
 * close both (stop running queries, then destroy the client): for adapters (the CLI) that have
 * configuration, not a client.
 */
export function openAthenaEngine(options: {
  region: string;
  workGroup: string;
  database: string;
  timeoutMs: number;
  onProgress?: (message: string) => void;
}): { engine: AthenaQueryEngine; close(): Promise<void> } {
  const client = new AthenaClient({ region: options.region });
  const { region: _region, ...settings } = options;
  const engine = new AthenaQueryEngine({ client, ...settings });
  return {
    engine,
    async close() {
      await engine.close();
      client.destroy();
    },
  };
}
