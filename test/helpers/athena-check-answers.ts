/**
 * Athena answers for `rotascope athena-check`'s queries (src/metrics/athena-check.ts), for tests:
 * the Athena stand-in (athena-rules.ts) checks each query against the catalog, and GetQueryResults
 * answers the table's one row, as Athena pages it (header row first, every value as text).
 */
import {
  type AthenaClient,
  GetQueryResultsCommand,
  type GetQueryResultsInput,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import type { AwsStub } from 'aws-sdk-client-mock';
import { athenaStandIn } from './athena-rules.js';

const TYPES: Record<string, string> = {
  row_count: 'bigint',
  networks: 'bigint',
  source_systems: 'bigint',
  first_week: 'date',
  last_week: 'date',
};

/** The table a check query reads: `from "<database>"."<table>"`. */
export const checkedTable = (sql: string) => /from "[a-z0-9_]+"\."([a-z0-9_]+)"/.exec(sql)?.[1];

/**
 * Answer each check query with `rows(table)` (column -> text), except tables in `failing`, whose
 * StartQueryExecution throws that error (an account fault: Athena refuses the call).
 */
export function answerChecks(
  // biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub of any client
  athena: AwsStub<any, any, AthenaClient> | AwsStub<any, any, any>,
  options: {
    database: string;
    rows: (table: string) => Record<string, string>;
    failing?: Record<string, Error>;
    bytesScanned?: number;
  },
): { refused: string[]; sent: string[] } {
  const sent: string[] = [];
  const { refused } = athenaStandIn(athena, {
    database: options.database,
    start: (input: StartQueryExecutionInput) => {
      const sql = input.QueryString ?? '';
      sent.push(sql);
      const table = checkedTable(sql);
      if (!table) throw new Error(`Not a check query: ${sql}`);
      const failure = options.failing?.[table];
      if (failure) throw failure;
      return `q-${table}`;
    },
    execution: {
      StatementType: 'DML',
      Status: { State: 'SUCCEEDED' },
      Statistics: { DataScannedInBytes: options.bytesScanned ?? 2_500_000 },
    },
  });
  athena.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsInput) => {
    const row = options.rows((input.QueryExecutionId ?? '').slice('q-'.length));
    const names = Object.keys(row);
    return {
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: names.map((Name) => ({ Name, Type: TYPES[Name] ?? 'varchar' })),
        },
        Rows: [
          { Data: names.map((name) => ({ VarCharValue: name })) },
          { Data: names.map((name) => ({ VarCharValue: row[name] })) },
        ],
      },
    };
  });
  return { refused, sent };
}
