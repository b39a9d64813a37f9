/**
 * Is this SQL in the subset DuckDB and Athena (Trino) both accept (DESIGN §2)? Parses it with
 * dt-sql-parser's Trino grammar and walks the parse tree; returns one line per problem, empty
 * when there is none. What it checks:
 * - grammar: Trino parses it (DuckDB-only syntax such as `::`, ILIKE, `[1, 2]`, `{'a': 1}`,
 *   `* exclude (...)` and `read_parquet(...)` in FROM is a grammar error);
 * - functions, cast and literal types, extract fields and date_trunc/date_diff units are in the
 *   lists of src/engine/portable-sql.ts (DuckDB-only functions parse fine as Trino calls);
 * - date_diff in hours, minutes or seconds takes both times truncated to that unit
 *   (date_trunc('second', x)): on raw timestamps the engines count differently;
 * - a few DuckDB constructs the grammar accepts with another meaning: `order by all` (Trino
 *   reads a column named all) and `anti`/`semi`/`asof`/`positional join` (Trino reads an alias);
 * - one statement, no `;`; every table is one of the query's WITH entries or a catalog table in
 *   `database`.
 * Names come from the parse tree, so comments and string literals are never mistaken for calls.
 */
import { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';
import {
  PORTABLE_DATE_FIELDS,
  PORTABLE_FUNCTIONS,
  PORTABLE_TYPES,
} from '../../src/engine/portable-sql.js';

/** A parse-tree node: where it starts and stops in the input (antlr4ng's ParserRuleContext). */
interface Node {
  start: { start: number } | null;
  stop: { stop: number } | null;
}

/** Special forms: grammar rules of their own rather than function calls, by listener method. */
const SPECIAL_FORMS: Readonly<Record<string, string>> = {
  enterSubstring: 'substring',
  enterPosition: 'position',
  enterTrim: 'trim',
  enterCoalesce: 'coalesce',
  enterCurrentDate: 'current_date',
  enterCurrentTime: 'current_time',
  enterCurrentTimestamp: 'current_timestamp',
  enterLocalTime: 'localtime',
  enterLocalTimestamp: 'localtimestamp',
  enterCurrentUser: 'current_user',
  enterCurrentCatalog: 'current_catalog',
  enterCurrentSchema: 'current_schema',
  enterCurrentPath: 'current_path',
  enterListAgg: 'listagg',
  enterJsonValue: 'json_value',
  enterJsonQuery: 'json_query',
  enterJsonExists: 'json_exists',
  enterJsonObject: 'json_object',
  enterJsonArray: 'json_array',
  enterNormalize: 'normalize',
  enterArrayConstructor: 'array[...]',
  enterLambda: 'lambda (->)',
  enterGroupingOperation: 'grouping',
};

/** DuckDB join kinds that Trino would read as a table alias followed by an inner join. */
const DUCKDB_JOINS = new Set(['anti', 'semi', 'asof', 'positional']);

const LIST = 'src/engine/portable-sql.ts';

/** date_diff units that only timestamps have, where DuckDB and Trino count differently. */
const SUB_DAY_UNITS: ReadonlySet<string> = new Set(['hour', 'minute', 'second']);

/**
 * dt-sql-parser words its messages with the help of extra parsers that keep ANTLR's console
 * listener; every error is in the returned list, so the console copy is only noise.
 */
function quietly<T>(parse: () => T): T {
  const error = console.error;
  console.error = () => {};
  try {
    return parse();
  } finally {
    console.error = error;
  }
}

export function portabilityProblems(sql: string, options: { database: string }): string[] {
  const parser = new TrinoSQL();
  const lineOf = (offset: number) => sql.slice(0, offset).split('\n').length;
  const textOf = (node: Node) =>
    node.start && node.stop ? sql.slice(node.start.start, node.stop.stop + 1) : '';
  const normal = (text: string) => text.replace(/\s+/g, ' ').replaceAll('"', '').toLowerCase();
  const lines = sql.split('\n');
  const problems: string[] = [];
  /** Line numbers are in the rendered SQL, so each problem quotes its line too. */
  const report = (line: number, message: string) =>
    problems.push(`line ${line}: ${message}\n    in: ${lines[line - 1]?.trim() ?? ''}`);
  const at = (node: Node, message: string) => report(lineOf(node.start?.start ?? 0), message);

  for (const error of quietly(() => parser.validate(sql))) {
    report(error.startLine, `grammar: ${error.message}`);
  }

  const checkFunction = (node: Node, name: string) => {
    if (!PORTABLE_FUNCTIONS.has(name)) at(node, `function ${name}: not portable (${LIST})`);
  };
  const checkType = (node: Node, text: string) => {
    const type = normal(text);
    const base = type.replace(/\s*\(.*$/, '');
    const parameters = base !== type;
    if (base === 'interval') {
      at(
        node,
        `${normal(textOf(node))}: write intervals as interval '<n>' <year|month|day|hour|minute|second>`,
      );
    } else if (!PORTABLE_TYPES.has(base) || parameters !== (base === 'decimal')) {
      at(node, `type ${type}: not portable (${LIST})`);
    }
  };
  const checkField = (node: Node, field: string, where: string) => {
    if (!PORTABLE_DATE_FIELDS.has(field)) at(node, `${where} ${field}: not portable (${LIST})`);
  };

  /**
   * date_diff in a unit shorter than a day is on timestamps, where the engines differ: DuckDB
   * counts the unit's boundaries crossed, Trino the whole units elapsed (Joda's
   * getDifferenceAsLong on the epoch milliseconds, trino operator/scalar/timestamp/DateDiff.java),
   * so date_diff('second', 09:00:00.9, 10:00:00) is 3600 in DuckDB and 3599 on Athena. Both
   * agree when each argument is truncated to the unit first: date_trunc('<unit>', x).
   */
  const checkTimeDiff = (ctx: Node & { expression(i: number): Node | null }, unit: string) => {
    if (!SUB_DAY_UNITS.has(unit)) return;
    const truncated = new RegExp(String.raw`^date_trunc\s*\(\s*'${unit}'\s*,`, 'i');
    for (const i of [1, 2]) {
      const argument = ctx.expression(i);
      if (argument && !truncated.test(textOf(argument))) {
        at(
          ctx,
          `date_diff('${unit}', ...) on ${normal(textOf(argument))}: DuckDB counts ${unit} boundaries crossed, Trino whole ${unit}s elapsed; write date_diff('${unit}', date_trunc('${unit}', a), date_trunc('${unit}', b)) (${LIST})`,
        );
      }
    }
  };

  const withNames = new Set<string>();
  const tables: { node: Node; name: string }[] = [];
  const listener = Object.assign(new TrinoSqlListener(), {
    ...Object.fromEntries(
      Object.entries(SPECIAL_FORMS).map(([method, name]) => [
        method,
        (ctx: Node) => checkFunction(ctx, name),
      ]),
    ),
    enterFunctionCall(ctx: Node & { functionName(): Node; expression(i: number): Node | null }) {
      const name = normal(textOf(ctx.functionName()));
      checkFunction(ctx, name);
      if (name === 'date_trunc' || name === 'date_diff') {
        const unit = ctx.expression(0);
        const literal = /^'([a-z]+)'$/i.exec(unit ? textOf(unit) : '');
        checkField(ctx, literal?.[1]?.toLowerCase() ?? '(not a literal)', `${name} unit`);
        if (name === 'date_diff' && literal) checkTimeDiff(ctx, literal[1]?.toLowerCase() ?? '');
      }
    },
    enterTableFunctionCall(ctx: Node & { functionName(): Node }) {
      checkFunction(ctx, `table function ${normal(textOf(ctx.functionName()))}`);
    },
    enterCast(ctx: Node & { type(): Node; KW_TRY_CAST(): unknown }) {
      checkFunction(ctx, ctx.KW_TRY_CAST() ? 'try_cast' : 'cast');
      checkType(ctx, textOf(ctx.type()));
    },
    enterTypeConstructor(ctx: Node & { identifier(): Node | null }) {
      // date '2026-11-16'; also how this grammar reads DuckDB's interval '1 day'
      const type = ctx.identifier();
      checkType(ctx, type ? textOf(type) : 'double precision');
    },
    enterExtract(ctx: Node & { identifier(): Node }) {
      checkFunction(ctx, 'extract');
      checkField(ctx, normal(textOf(ctx.identifier())), 'extract field');
    },
    enterSortItem(ctx: Node & { expression(): Node | null; columnRef(): Node | null }) {
      const key = ctx.expression() ?? ctx.columnRef();
      if (key && normal(textOf(key)) === 'all') {
        at(ctx, 'order by all: DuckDB only (Trino reads a column named all)');
      }
    },
    enterNamedQuery(ctx: Node & { identifier(): Node }) {
      withNames.add(normal(textOf(ctx.identifier())));
    },
    enterTableName(ctx: Node) {
      tables.push({ node: ctx, name: textOf(ctx) });
    },
  });
  parser.listen(
    listener,
    quietly(() => parser.parse(sql, () => {})),
  );

  const catalog = `"${options.database}".`;
  for (const { node, name } of tables) {
    if (!withNames.has(normal(name)) && !name.startsWith(catalog)) {
      at(node, `table ${name}: neither a WITH entry nor a table in the catalog ${catalog}`);
    }
  }
  for (const token of parser.getAllTokens(sql)) {
    const text = token.text?.toLowerCase() ?? '';
    if (text === ';') {
      report(token.line, "';': a query file is one statement, without ';'");
    } else if (DUCKDB_JOINS.has(text)) {
      report(token.line, `${text} join: DuckDB only (Trino reads an alias)`);
    }
  }
  return problems;
}
