/**
 * Athena's rules, held by the stand-ins that mock StartQueryExecution:
 * - the query string is at most 262,144 bytes (UTF-8): StartQueryExecution itself refuses a
 *   longer one (InvalidRequestException, `queryTooLong`);
 * - no reserved keyword of Athena's SELECT list as an unquoted identifier
 *   (`reservedWordViolations`: `first`, `last`, `of`, `unescape` pass the Trino grammar);
 * - ExecutionParameters, when given, has at least one value and each is 1 to 1,024 characters
 *   (InvalidRequestException, `parametersInvalid`), one per `?` of the query, and every `?` is in
 *   a WHERE clause (the query fails, `parameterViolations`);
 * - every table read exists in the Glue catalog that infra/catalog.ts declares, and every
 *   `<alias>.<column>` on such a table names one of its columns: else the query fails
 *   (TABLE_NOT_FOUND / COLUMN_NOT_FOUND, `catalogViolations`);
 * - the rule for partition columns projected as `injected`, below;
 * - at most 1,000,000 partitions a table read ("Athena cannot read more than 1 million partitions in
 *   a single scan", Athena service quotas): a read of `shifts` or `availability` projects the
 *   network codes its WHERE names times the weeks of `week_start`'s range (from `firstWeek` to 59
 *   weeks after NOW) its WHERE leaves (`partitionLimitViolations`);
 * - Trino's type rules for comparisons, arithmetic and `sum`/`avg` on catalog columns of the
 *   declared Glue types (TYPE_MISMATCH / FUNCTION_NOT_FOUND), and the `date` projection range of
 *   `week_start`: a filter asking only for weeks outside it is not refused (Athena reads no
 *   partition for it and answers with no rows) but listed in `unprojected`. What these do and do
 *   not check: athena-types.ts.
 *
 * The rule for partition columns projected as `injected` (infra/catalog.ts), held by the
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
  InvalidRequestException,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionInput,
} from '@aws-sdk/client-athena';
import { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';
import { curatedTableSpecs, metricTableSpecs, projectionParameters } from '../../infra/catalog.js';
import {
  projectedWeekCount,
  type ResolvedColumns,
  STAND_IN_FIRST_WEEK,
  typeViolations,
  unprojectedWeeks,
} from './athena-types.js';

/**
 * Every table of the catalog, with its columns (data and partition columns), as infra/catalog.ts
 * declares them: the curated tables and the metric tables (src/curated/metric-columns.ts).
 */
export const CATALOG_COLUMNS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  [
    ...curatedTableSpecs({ firstWeek: STAND_IN_FIRST_WEEK, sourceSystems: ['generic'] }),
    ...metricTableSpecs(),
  ].map((spec) => [
    spec.name,
    new Set([...spec.columns, ...spec.partitions].map((column) => column.name)),
  ]),
);

/** The injected projection columns of each catalog table, as infra/catalog.ts declares them. */
export const INJECTED_COLUMNS: ReadonlyMap<string, readonly string[]> = new Map(
  curatedTableSpecs({ firstWeek: STAND_IN_FIRST_WEEK, sourceSystems: ['generic'] })
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
  start: { start: number; line: number; column: number } | null;
  stop: { stop: number } | null;
  parent: Node | null;
  whereClause?: () => Node | null;
}

/**
 * Athena's limit on a query string, in bytes (UTF-8), written here as Athena documents it rather
 * than taken from src/metrics/render-for-athena.ts, so that the stand-in checks the renderer.
 */
export const MAX_QUERY_BYTES = 262_144;

/** Run the Trino parser over `sql` with `listener`, without ANTLR's console noise. */
function listen(sql: string, listener: TrinoSqlListener): void {
  const parser = new TrinoSQL();
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
}

/**
 * The message of the InvalidRequestException StartQueryExecution throws for a query string over
 * Athena's limit (262,144 bytes, UTF-8); undefined when it is within it.
 */
export function queryTooLong(sql: string): string | undefined {
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes <= MAX_QUERY_BYTES) return undefined;
  return `1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_BYTES} (the query string is ${bytes} bytes)`;
}

/**
 * The name parts of the table a subquery `(select * from <table> [where ...])` reads, undefined for
 * any other relation: such a subquery has exactly the table's columns, and it is how the renderer
 * reads the tables partitioned by network (`(select * from "<db>"."shifts" where network_code in
 * (...)) as s`), so `s.<column>` is checked against the table.
 */
function starOver(relation: string): string[] | undefined {
  const name = '(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_]*)';
  const match = new RegExp(
    String.raw`^\(\s*select\s+\*\s+from\s+(${name}(?:\s*\.\s*${name}){0,2})(?:\s+where\b[^()]*(?:\([^()]*\)[^()]*)*)?\s*\)$`,
    'i',
  ).exec(relation.trim());
  return match?.[1]?.match(new RegExp(name, 'gi'))?.map((part) => bare(part));
}

/** An identifier as Trino resolves it: unquoted, lower case. */
const bare = (text: string) =>
  text
    .replace(/^"(.*)"$/s, '$1')
    .replaceAll('""', '"')
    .toLowerCase();

/**
 * The TABLE_NOT_FOUND, SCHEMA_NOT_FOUND and COLUMN_NOT_FOUND messages Athena would give for this
 * SQL run in `database` (the QueryExecutionContext); empty when every name resolves.
 *
 * Tables: a one-part name is a WITH entry of the query or else a table of `database`; a
 * `<database>.<table>` (or `awsdatacatalog.<database>.<table>`) name must be a catalog table, and
 * another database is unknown. WITH names are gathered over the whole query, not per scope.
 *
 * Columns: only qualified references are checked, `<alias>.<column>` (or `<table>.<column>` for a
 * table read without an alias, or `<database>.<table>.<column>`). The alias is resolved as Trino
 * does, in the nearest enclosing SELECT whose FROM names it (inner SELECTs shadow outer ones), and
 * the column is checked only when the alias stands for a catalog table, or for a subquery
 * `(select * from <catalog table> [where ...])` as the renderer writes (not a WITH entry or another
 * subquery, and not a relation given column aliases). Unqualified columns are not checked:
 * resolving them means knowing the columns of every WITH entry and subquery in scope, which is a
 * query planner's work; so `select nope from <table>` passes here and would fail on Athena.
 */
export function catalogViolations(sql: string, database: string): string[] {
  return analyse(sql, database).violations;
}

/**
 * The catalog column each column reference of `sql` is, keyed by its `start:stop` span (for
 * athena-types.ts): qualified references resolved as `catalogViolations` does, and an
 * unqualified one when its SELECT reads exactly one relation, a catalog table (or the
 * renderer's subquery over one), that has such a column.
 */
export function catalogColumns(sql: string, database: string): ResolvedColumns {
  return analyse(sql, database).columns;
}

function analyse(
  sql: string,
  database: string,
): { violations: string[]; columns: Map<string, { table: string; column: string }> } {
  const resolved = new Map<string, { table: string; column: string }>();
  const db = database.toLowerCase();
  const violations: string[] = [];
  const where = (node: Node) => `line ${node.start?.line ?? 1}:${(node.start?.column ?? 0) + 1}`;
  const withNames = new Set<string>();
  const selects = new Set<Node>();
  /** Per SELECT: the names its FROM makes visible, with the catalog table each is (or null). */
  const scopes = new Map<Node, Map<string, string | null>>();
  const relations: { select: Node; name: string; parts: string[] | undefined }[] = [];
  const tables: { node: Node; parts: string[] }[] = [];
  const references: { node: Node; parts: string[] }[] = [];
  const partsOf = (ctx: { identifier(): Node[] }) => ctx.identifier().map((id) => bare(textOf(id)));
  const textOf = (node: Node) =>
    node.start && node.stop ? sql.slice(node.start.start, node.stop.stop + 1) : '';
  /** The catalog table a table name reads, or null when it is a WITH entry. */
  const catalogTable = (parts: string[]): string | null => {
    if (parts.length === 1) return withNames.has(parts[0] as string) ? null : (parts[0] as string);
    return parts[parts.length - 1] as string;
  };
  const nearestSelect = (node: Node | null): Node | null => {
    let at = node?.parent ?? null;
    while (at && !selects.has(at)) at = at.parent;
    return at;
  };
  const listener = Object.assign(new TrinoSqlListener(), {
    enterNamedQuery(ctx: Node & { identifier(): Node }) {
      withNames.add(bare(textOf(ctx.identifier())));
    },
    enterQuerySpecification(ctx: Node) {
      selects.add(ctx);
    },
    enterAliasedRelation(
      ctx: Node & {
        relationPrimary(): Node & {
          tableOrViewName?: () => { tableRef(): null | { identifier(): Node[] } };
        };
        identifier(): Node | null;
        columnAliases(): Node | null;
      },
    ) {
      const primary = ctx.relationPrimary();
      const ref =
        typeof primary.tableOrViewName === 'function' ? primary.tableOrViewName().tableRef() : null;
      const parts = ref ? partsOf(ref) : starOver(textOf(primary));
      const alias = ctx.identifier();
      const name = alias ? bare(textOf(alias)) : parts?.[parts.length - 1];
      const select = nearestSelect(ctx);
      if (name === undefined || !select) return;
      if (!scopes.has(select)) scopes.set(select, new Map());
      // Resolved after the walk, when every WITH name is known; a relation given column
      // aliases hides the table's own names, so it counts as no catalog table.
      relations.push({ select, name, parts: ctx.columnAliases() ? undefined : parts });
    },
    enterTableRef(ctx: Node & { identifier(): Node[] }) {
      tables.push({ node: ctx, parts: partsOf(ctx) });
    },
    enterColumnRef(ctx: { qualifiedName(): (Node & { identifier(): Node[] }) | null }) {
      const name = ctx.qualifiedName();
      if (name) references.push({ node: name, parts: partsOf(name) });
    },
    enterColumnName(ctx: { qualifiedName(): (Node & { identifier(): Node[] }) | null }) {
      const name = ctx.qualifiedName();
      if (name) references.push({ node: name, parts: partsOf(name) });
    },
  });
  listen(sql, listener);

  // Each name a FROM makes visible, now that every WITH name is known.
  for (const { select, name, parts } of relations) {
    const table = parts ? catalogTable(parts) : null;
    scopes.get(select)?.set(name, table !== null && CATALOG_COLUMNS.has(table) ? table : null);
  }
  for (const { node, parts } of tables) {
    if (parts.length === 1 && withNames.has(parts[0] as string)) continue;
    const [schema, table] =
      parts.length === 1
        ? [db, parts[0]]
        : parts.length === 2
          ? [parts[0], parts[1]]
          : parts[0] === 'awsdatacatalog'
            ? [parts[1], parts[2]]
            : [undefined, parts[parts.length - 1]];
    if (schema !== db) {
      violations.push(
        `SCHEMA_NOT_FOUND: ${where(node)}: Schema '${parts.slice(0, -1).join('.')}' does not exist`,
      );
    } else if (!CATALOG_COLUMNS.has(table as string)) {
      violations.push(
        `TABLE_NOT_FOUND: ${where(node)}: Table 'awsdatacatalog.${db}.${table}' does not exist`,
      );
    }
  }

  const span = (node: Node) => `${node.start?.start}:${node.stop?.stop}`;
  for (const { node, parts } of references) {
    if (parts.length === 1) {
      const scope = scopes.get(nearestSelect(node) as Node);
      const only = scope?.size === 1 ? [...scope.values()][0] : null;
      if (only && CATALOG_COLUMNS.get(only)?.has(parts[0] as string)) {
        resolved.set(span(node), { table: only, column: parts[0] as string });
      }
    }
    if (parts.length < 2) continue;
    // <database>.<table>.<column>: the table read without an alias.
    const [qualifier, column] =
      parts.length >= 3 && parts[0] === db ? [parts[1], parts[2]] : [parts[0], parts[1]];
    let select = nearestSelect(node);
    let table: string | null | undefined;
    while (select && table === undefined) {
      table = scopes.get(select)?.get(qualifier as string);
      select = nearestSelect(select);
    }
    if (!table) continue;
    if (CATALOG_COLUMNS.get(table)?.has(column as string)) {
      resolved.set(span(node), { table, column: column as string });
    } else {
      violations.push(
        `COLUMN_NOT_FOUND: ${where(node)}: Column '${qualifier}.${column}' cannot be resolved or requester is not authorized to access requested resources (table ${table})`,
      );
    }
  }
  return { violations, columns: resolved };
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
  listen(sql, listener);
  return violations;
}

/**
 * Athena's "List of reserved keywords in SQL SELECT statements" (Athena user guide, "Reserved
 * keywords"): as identifiers they must be in double quotes. The Trino grammar here refuses most of
 * them unquoted already; not FIRST, LAST, OF and UNESCAPE, which this list catches.
 */
export const SELECT_RESERVED_WORDS: ReadonlySet<string> = new Set(
  `alter and as between by case cast constraint create cross cube current_date current_path
  current_time current_timestamp current_user deallocate delete describe distinct drop else end
  escape except execute exists extract false first for from full group grouping having in inner
  insert intersect into is join last left like localtime localtimestamp natural normalize not null
  of on or order outer prepare recursive right rollup select skip table then true unescape union
  unnest using values when where with`.split(/\s+/),
);

/**
 * The failures Athena gives for a reserved keyword used as an unquoted identifier (a column, an
 * alias, a table or WITH name): "If you use these keywords as identifiers, you must enclose them
 * in double quotes" (Athena user guide, "Reserved keywords"). Keywords used as keywords
 * (`nulls first`) are not identifiers and pass.
 */
export function reservedWordViolations(sql: string): string[] {
  const violations: string[] = [];
  listen(
    sql,
    Object.assign(new TrinoSqlListener(), {
      enterUnquotedIdentifier(ctx: Node) {
        const text = ctx.start && ctx.stop ? sql.slice(ctx.start.start, ctx.stop.stop + 1) : '';
        if (SELECT_RESERVED_WORDS.has(text.toLowerCase())) {
          violations.push(
            `SYNTAX_ERROR: line ${ctx.start?.line ?? 1}:${(ctx.start?.column ?? 0) + 1}: ${text} is a reserved keyword in Athena; write it "${text.toLowerCase()}"`,
          );
        }
      },
    }),
  );
  return violations;
}

/** The longest value one ExecutionParameters member may have (API reference, QueryExecution). */
export const MAX_PARAMETER_LENGTH = 1024;

/**
 * The InvalidRequestException StartQueryExecution throws for ExecutionParameters outside the API's
 * constraints: "Array Members: Minimum number of 1 item. Length Constraints: Minimum length of 1.
 * Maximum length of 1024." (Athena API reference, StartQueryExecution / QueryExecution); undefined
 * when they are within them (or absent).
 */
export function parametersInvalid(values: readonly string[] | undefined): string | undefined {
  if (values === undefined) return undefined;
  if (values.length === 0) {
    return "1 validation error detected: Value '[]' at 'executionParameters' failed to satisfy constraint: Member must have length greater than or equal to 1";
  }
  const at = values.findIndex((v) => v.length < 1 || v.length > MAX_PARAMETER_LENGTH);
  if (at === -1) return undefined;
  return `1 validation error detected: Value at 'executionParameters.${at + 1}.member' failed to satisfy constraint: Member must have length between 1 and ${MAX_PARAMETER_LENGTH} (it has ${values[at]?.length})`;
}

/**
 * The failures Athena gives a query for its `?` parameters (Athena user guide, "Using
 * parameterized queries", considerations and limitations): "parameters are positional and are
 * denoted by `?`. Parameters are assigned values by their order in the query", so there must be
 * exactly one ExecutionParameters value per `?` (Trino: "Incorrect number of parameters"); and
 * "`?` parameters can be placed only in the `WHERE` clause. Syntax like `SELECT ? FROM table` is
 * not supported". A `?` in quotes is text, as the guide says ("'?'" is not a parameter).
 */
export function parameterViolations(sql: string, values: readonly string[] | undefined): string[] {
  const wheres = new Set<Node>();
  const markers: Node[] = [];
  listen(
    sql,
    Object.assign(new TrinoSqlListener(), {
      enterWhereClause(ctx: Node) {
        wheres.add(ctx);
      },
      enterParameter(ctx: Node) {
        markers.push(ctx);
      },
    }),
  );
  const violations: string[] = [];
  const given = values?.length ?? 0;
  if (markers.length !== given) {
    violations.push(
      `INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected ${markers.length} but found ${given}`,
    );
  }
  for (const marker of markers) {
    let at: Node | null = marker.parent;
    while (at && !wheres.has(at)) at = at.parent;
    if (!at) {
      violations.push(
        `INVALID_PARAMETER_USAGE: line ${marker.start?.line ?? 1}:${(marker.start?.column ?? 0) + 1}: a ? parameter outside a WHERE clause (Athena takes parameters only in the WHERE clause)`,
      );
    }
  }
  return violations;
}

/** Athena's limit on the partitions one table read may project (Athena service quotas). */
export const MAX_PARTITIONS_PER_SCAN = 1_000_000;

const DATE_LITERAL = String.raw`date\s*'(\d{4}-\d{2}-\d{2})'`;

/**
 * The bounds a WHERE without `or` puts on a date column (`between`, `>=`, `>`, `<=`, `<`, `=`
 * against `date '...'`), as the first and last date it lets through; no bound is undefined.
 */
function dateBounds(where: string, column: string): { from?: string; to?: string } {
  const name = String.raw`(?:[a-z_][a-z0-9_]*\.)?"?${column}"?`;
  const bounds: { from?: string; to?: string } = {};
  const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);
  const earlier = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
  const dayAfter = (d: string, n: number) => {
    const at = new Date(`${d}T00:00:00Z`);
    at.setUTCDate(at.getUTCDate() + n);
    return at.toISOString().slice(0, 10);
  };
  for (const m of where.matchAll(
    new RegExp(String.raw`${name}\s+between\s+${DATE_LITERAL}\s+and\s+${DATE_LITERAL}`, 'gi'),
  )) {
    bounds.from = later(bounds.from, m[1] as string);
    bounds.to = earlier(bounds.to, m[2] as string);
  }
  for (const m of where.matchAll(
    new RegExp(String.raw`${name}\s*(>=|>|<=|<|=)\s*${DATE_LITERAL}`, 'gi'),
  )) {
    const [op, d] = [m[1] as string, m[2] as string];
    if (op === '>=' || op === '=') bounds.from = later(bounds.from, d);
    if (op === '>') bounds.from = later(bounds.from, dayAfter(d, 1));
    if (op === '<=' || op === '=') bounds.to = earlier(bounds.to, d);
    if (op === '<') bounds.to = earlier(bounds.to, dayAfter(d, -1));
  }
  return bounds;
}

/**
 * The HIVE_EXCEEDED_PARTITION_LIMIT messages Athena would give for this SQL: a read of a curated
 * table projects, per its injected column, the string constants its WHERE fixes it to (`=` one,
 * `in (...)` each), times, per `date` projected column, the dates of the projection range (from
 * `firstWeek`, a week apart, to the range's relative end on `today`) that the WHERE's bounds on
 * it let through (none when the WHERE has an `or`: Athena then projects the whole range). Over
 * 1,000,000 for one read, the query fails. A read that breaks the injected rule is left to
 * `injectedProjectionViolations`.
 */
export function partitionLimitViolations(
  sql: string,
  database: string,
  options: { today: string; firstWeek?: string },
): string[] {
  const textOf = (node: Node) =>
    node.start && node.stop ? sql.slice(node.start.start, node.stop.stop + 1) : '';
  const violations: string[] = [];
  const specs = curatedTableSpecs({
    firstWeek: options.firstWeek ?? STAND_IN_FIRST_WEEK,
    sourceSystems: ['generic'],
  });
  const listener = Object.assign(new TrinoSqlListener(), {
    enterTableName(ctx: Node) {
      const name = textOf(ctx).replace(/\s+/g, '').replaceAll('"', '').toLowerCase();
      const table = name.startsWith(`${database}.`) ? name.slice(database.length + 1) : undefined;
      const spec = specs.find((s) => s.name === table);
      if (!spec || spec.partitions.length === 0) return;
      let select: Node | null = ctx.parent;
      while (select && typeof select.whereClause !== 'function') select = select.parent;
      const whereNode = select?.whereClause?.() ?? null;
      const where = whereNode ? textOf(whereNode).replace(/^where\s+/i, '') : '';
      const parts = where ? conjuncts(where) : null;
      let count = 1;
      for (const { name: column, projection } of spec.partitions) {
        if (projection.type === 'injected') {
          const fixing = parts?.find((part) => fixes(part, column));
          if (!fixing) return;
          count *= fixing.match(new RegExp(STRING, 'g'))?.length ?? 1;
        } else if (projection.type === 'enum') {
          count *= projection.values.length;
        } else {
          const range = projectionParameters('s3://b/t/', [
            { name: column, glueType: 'date', projection },
          ])[`projection.${column}.range`] as string;
          count *= projectedWeekCount(range, options.today, parts ? dateBounds(where, column) : {});
        }
      }
      if (count > MAX_PARTITIONS_PER_SCAN) {
        violations.push(
          `HIVE_EXCEEDED_PARTITION_LIMIT: Query over table '${database}.${table}' can potentially read more than ${MAX_PARTITIONS_PER_SCAN} partitions (${count} projected)`,
        );
      }
    },
  });
  listen(sql, listener);
  return violations;
}

/**
 * Mock StartQueryExecution and GetQueryExecution as Athena behaves: a query string over the length
 * limit is refused by StartQueryExecution (InvalidRequestException); a query that names what the
 * catalog lacks, breaks the injected-projection rule or cannot be typed starts, then fails (State
 * FAILED, the TABLE_NOT_FOUND, COLUMN_NOT_FOUND, CONSTRAINT_VIOLATION, TYPE_MISMATCH or
 * FUNCTION_NOT_FOUND as StateChangeReason and AthenaError); any other query goes to `start` for
 * its id, and is reported as `execution` (one asking only for weeks outside the date projection
 * range is also listed in `unprojected`: the test's results decide what it returns).
 */
export function athenaStandIn(
  // biome-ignore lint/suspicious/noExplicitAny: any client mock (aws-sdk-client-mock's AwsStub)
  mock: { on(command: any): { callsFake(fake: (input: any) => unknown): unknown } },
  options: {
    database: string;
    start: (input: StartQueryExecutionInput) => string;
    execution: QueryExecution;
    /** NOW of the date projection range, YYYY-MM-DD (default: today, UTC). */
    today?: string;
    /** The stage's `firstWeek`, where the date projection starts (default STAND_IN_FIRST_WEEK). */
    firstWeek?: string;
  },
): { refused: string[]; unprojected: { sql: string; notes: string[] }[] } {
  const refusals = new Map<string, string>();
  const refused: string[] = [];
  const unprojected: { sql: string; notes: string[] }[] = [];
  mock.on(StartQueryExecutionCommand).callsFake((input: StartQueryExecutionInput) => {
    const sql = input.QueryString ?? '';
    const invalid = queryTooLong(sql) ?? parametersInvalid(input.ExecutionParameters);
    if (invalid !== undefined) {
      refused.push(sql);
      throw new InvalidRequestException({ message: invalid, $metadata: {} });
    }
    const { violations: names, columns } = analyse(sql, options.database);
    const violations = [
      ...reservedWordViolations(sql),
      ...parameterViolations(sql, input.ExecutionParameters),
      ...names,
      ...injectedProjectionViolations(sql, options.database),
      ...typeViolations(sql, columns),
      ...partitionLimitViolations(sql, options.database, {
        today: options.today ?? isoToday(),
        ...(options.firstWeek ? { firstWeek: options.firstWeek } : {}),
      }),
    ];
    if (violations.length === 0) {
      const notes = unprojectedWeeks(sql, columns, options.today ?? isoToday());
      if (notes.length > 0) unprojected.push({ sql, notes });
      return { QueryExecutionId: options.start(input) };
    }
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
  return { refused, unprojected };
}

const isoToday = () => new Date().toISOString().slice(0, 10);
