/**
 * DuckDB in process (`@duckdb/node-api`): the engine for ingest and for metrics locally and in
 * Lambda. Besides the `QueryEngine` port it offers `run` for statements without results (COPY,
 * CREATE VIEW) and `loadTextTable` to hand JS rows to SQL.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { resultToArrow } from './duckdb-arrow.js';
import type { QueryEngine, SqlValue } from './query-engine.js';

export class DuckDbEngine implements QueryEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** False for a second connection (`connect`): closing it leaves the database open. */
    private readonly ownsInstance = true,
  ) {}

  /** An in-memory database with the session time zone pinned, so results never depend on TZ. */
  static async open(options: { threads?: number } = {}): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(options.threads ?? 2),
    });
    return new DuckDbEngine(instance, await DuckDbEngine.session(instance));
  }

  private static async session(instance: DuckDBInstance): Promise<DuckDBConnection> {
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    // DuckDB 1.3+ keeps what it read from files in memory for re-reads; the pipeline reads each
    // file once, and with it on, compacting 65,000 small files grew memory by 9 MB per network.
    await connection.run('SET enable_external_file_cache = false');
    return connection;
  }

  /**
   * Another connection to the same database, to run a statement beside this one's: it sees the
   * database's tables, not this connection's temp tables. Close it when done (the database
   * stays open).
   */
  async connect(): Promise<DuckDbEngine> {
    return new DuckDbEngine(this.instance, await DuckDbEngine.session(this.instance), false);
  }

  /**
   * The result's rows as an Arrow table, read from DuckDB's result vectors
   * (src/engine/duckdb-arrow.ts). Streamed: DuckDB hands over each chunk as it is made rather
   * than first copying every row into a materialized result. The whole stream is read before this
   * returns, so no other statement on the connection can cut it short.
   */
  async query(sql: string, params?: Record<string, SqlValue>): Promise<Table> {
    return resultToArrow(await this.connection.stream(sql, params));
  }

  async run(sql: string, params?: Record<string, SqlValue>): Promise<void> {
    await this.connection.run(sql, params);
  }

  /**
   * Run `work` with DuckDB on one thread, then restore the thread count. A partitioned COPY writes
   * what each thread hands it as it comes, so on two threads a partition's file holds two sorted
   * runs in whichever order the threads finished: its ORDER BY, and so its bytes, hold only on one.
   */
  async onOneThread<T>(work: () => Promise<T>): Promise<T> {
    const threads = await this.threads();
    await this.connection.run('SET threads = 1');
    try {
      return await work();
    } finally {
      await this.connection.run(`SET threads = ${threads}`);
    }
  }

  /** DuckDB's thread count (the database's `threads` setting; 1 if it cannot be read). */
  async threads(): Promise<number> {
    const result = await this.connection.runAndReadAll("select current_setting('threads') as t");
    const threads = Number(result.getRowObjects()[0]?.t);
    return Number.isInteger(threads) && threads > 0 ? threads : 1;
  }

  /** Create (or replace) a table of VARCHAR columns from JS rows; cast in SQL as needed. */
  async loadTextTable(
    name: string,
    columns: readonly string[],
    rows: readonly (readonly (string | null)[])[],
  ): Promise<void> {
    const quoted = columns.map((c) => `"${c.replaceAll('"', '""')}" VARCHAR`).join(', ');
    await this.connection.run(`CREATE OR REPLACE TABLE "${name}" (${quoted})`);
    const appender = await this.connection.createAppender(name);
    try {
      for (const row of rows) {
        for (let i = 0; i < columns.length; i += 1) {
          const value = row[i];
          if (value === null || value === undefined) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    if (this.ownsInstance) this.instance.closeSync();
  }
}

/** Open an engine, run `work`, and always close it. */
export async function withDuckDb<T>(work: (engine: DuckDbEngine) => Promise<T>): Promise<T> {
  const engine = await DuckDbEngine.open();
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** A SQL string literal (for paths in read_parquet / COPY, which cannot take parameters). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A table expression for exactly these Parquet files (compacted curated files, see compact-curated.ts). */
export function duckDbParquetFiles(files: readonly string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false)`;
}
