/**
 * Athena's rule for partition columns projected as `injected` (infra/catalog.ts), held by the
 * stand-ins that mock StartQueryExecution: every read of such a table must sit in a SELECT whose
 * WHERE fixes each injected column with `=` or `IN (...)` of string constants. Real Athena
 * refuses anything else with
 *   CONSTRAINT_VIOLATION: For the injected projected partition column <column>, the WHERE clause
 *   must contain only static equality conditions, and at least one such condition must be present.
 *
 * The SQL is parsed with the Trino grammar (as trino-portability.ts does); for each catalog table
 * read, the nearest enclosing SELECT's WHERE is split at top-level `and`, and one of the parts
 * must be `[<alias>.]<column> = '<c>'` or `[<alias>.]<column> in ('<c>', ...)`. Stricter than Athena
 * in one way (an `or` anywhere in that WHERE is refused) and looser in another (the alias is not
 * resolved): enough to catch a query that reads the table without naming its networks.
 */
import {
  GetQueryExecutionCommand,
  type GetQueryExecutionInput,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';
import { curatedTableSpecs } from '../../infra/catalog.js';

/** The injected projection columns of each catalog table, as infra/catalog.ts declares them. */
export const INJECTED_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map(
  curatedTableSpecs({ firstWeek: '2026-01-05', sourceSystems: ['generic'] })
    .map(
      (spec) =>
        [
          spec.name,
          spec.partitions.filter((p) => p.projection.type === 'injected').map((p) => p.name),
        ] as const,
    )
    .filter(([, columns]) => columns.length > 0),
);

interface Node {
  start: { start: number } | null;
  stop: { stop: number } | null;
  parent: Node | null;
  whereClause?: () => Node | null;
}

const STRING = "'(?:[^']|'')*'";

function fixes(condition: string, column: string): boolean {
  const name = String.raw`(?:[a-z_][a-z0-9_]*\.)?"?${column}"?`;
  return new RegExp(
    String.raw`^${name}\s*(?:=\s*${STRING}|in\s*\(\s*${STRING}(?:\s*,\s*${STRING})*\s*\))$`,
    'i',
  ).test(condition.trim());
}

/** Split a WHERE at top-level `and` (outside parentheses and strings); null if it has an `or`. */
function conjuncts(where: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  const bare = where.replace(/'(?:[^']|'')*'/g, (s) => '_'.repeat(s.length));
  if (/\bor\b/i.test(bare)) return null;
  for (let i = 0; i < bare.length; i++) {
    if (bare[i] === '(') depth++;
    else if (bare[i] === ')') depth--;
    else if (depth === 0 && /^\sand\s/i.test(bare.slice(i, i + 5))) {
      parts.push(where.slice(from, i));
      from = i + 5;
    }
  }
  parts.push(where.slice(from));
  return parts;
}

/**
 * The CONSTRAINT_VIOLATION messages Athena would give for this SQL against the catalog tables in
 * `database`; empty when it would run.
 */
export function injectedProjectionViolations(sql: string, database: string): string[] {
  const parser = new TrinoSQL();
  const textOf = (node: Node) =>
    node.start && node.stop ? sql.slice(node.start.start, node.stop.stop + 1) : '';
  const violations: string[] = [];
  const listener = Object.assign(new TrinoSqlListener(), {
    enterTableName(ctx: Node) {
      const name = textOf(ctx).replace(/\s+/g, '').replaceAll('"', '').toLowerCase();
      const table = name.startsWith(`${database}.`) ? name.slice(database.length + 1) : undefined;
      const columns = table === undefined ? undefined : INJECTED_COLUMNS.get(table);
      if (!columns) return;
      let select: Node | null = ctx.parent;
      while (select && typeof select.whereClause !== 'function') select = select.parent;
      const whereNode = select?.whereClause?.() ?? null;
      const where = whereNode ? textOf(whereNode).replace(/^where\s+/i, '') : '';
      const parts = where ? conjuncts(where) : null;
      for (const column of columns) {
        if (!parts?.some((part) => fixes(part, column))) {
          violations.push(
            `CONSTRAINT_VIOLATION: For the injected projected partition column ${column}, the WHERE clause must contain only static equality conditions, and at least one such condition must be present. (table ${table})`,
          );
        }
      }
    },
  });
  const error = console.error;
  console.error = () => {};
  try {
    parser.listen(
      listener,
      parser.parse(sql, () => {}),
    );
  } finally {
    console.error = error;
  }
  return violations;
}

/**
 * Mock StartQueryExecution and GetQueryExecution as Athena behaves: a query that breaks the rule
 * above starts, then fails (State FAILED, the CONSTRAINT_VIOLATION as StateChangeReason and
 * AthenaError); any other query goes to `start` for its id, and is reported as `execution`.
 */
export function athenaStandIn(
  // biome-ignore lint/suspicious/noExplicitAny: any client mock (aws-sdk-client-mock's AwsStub)
  mock: { on(command: any): { callsFake(fake: (input: any) => unknown): unknown } },
  options: {
    database: string;
    start: (input: StartQueryExecutionInput) => string;
    execution: QueryExecution;
  },
): { refused: string[] } {
  const refusals = new Map<string, string>();
  const refused: string[] = [];
  mock.on(StartQueryExecutionCommand).callsFake((input: StartQueryExecutionInput) => {
    const violations = injectedProjectionViolations(input.QueryString ?? '', options.database);
    if (violations.length === 0) return { QueryExecutionId: options.start(input) };
    const id = `refused-${refusals.size + 1}`;
    refusals.set(id, violations.join('; '));
    refused.push(input.QueryString ?? '');
    return { QueryExecutionId: id };
  });
  mock.on(GetQueryExecutionCommand).callsFake((input: GetQueryExecutionInput) => {
    const reason = refusals.get(input.QueryExecutionId ?? '');
    if (reason === undefined) return { QueryExecution: options.execution };
    return {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        StatementType: 'DML',
        Status: {
          State: 'FAILED',
          StateChangeReason: reason,
          AthenaError: {
            ErrorCategory: 2,
            ErrorType: 1001,
            Retryable: false,
            ErrorMessage: reason,
          },
        },
      },
    };
  });
  return { refused };
}
