/**
 * Athena's (Trino's) type rules and date-projection ranges, for the Athena stand-in
 * (athena-rules.ts), checked on the parse tree against the Glue types infra/catalog.ts declares.
 *
 * What is checked (each operand's type is known only when it is a catalog column resolved by
 * athena-rules.ts `catalogColumns`, a literal, or a `cast(... as <type>)`; anything else is
 * unknown and passes):
 * - comparisons (`=`, `<>`, `<`, `<=`, `>`, `>=`), `between` and `in (...)` between a string, a
 *   number, a boolean and a date/timestamp: Trino has no implicit cast between them, so
 *   `week_start = '2026-01-05'` fails with
 *   `TYPE_MISMATCH: line l:c: Cannot apply operator: date = varchar(10)`;
 * - arithmetic (`+ - * / %`) on a string or boolean column:
 *   `TYPE_MISMATCH: ... Cannot apply operator: varchar + integer`;
 * - `sum` and `avg` of a string, boolean, date or timestamp column:
 *   `FUNCTION_NOT_FOUND: ... Unexpected parameters (varchar) for function sum. Expected: ...`.
 *
 * What is NOT checked: the types of expressions (function results, CASE, columns of WITH entries
 * and subqueries other than the renderer's `(select * from <table> ...)`, unqualified columns in
 * a SELECT that reads more than one relation), other functions' signatures, implicit coercions
 * within a category (integer vs double, date vs timestamp pass, as they do on Athena), overflow,
 * and `||` (concat). A query that passes here may still fail on Athena with a type error.
 *
 * Date projection ranges. Athena documents (Partition projection, "How to use the date type")
 * that for a `date` projected column it generates partitions only inside `projection.<col>.range`
 * and ignores the dates of a filter outside it: such a query does not fail, it reads nothing
 * for those dates (returns no rows if it asks for nothing else). The stand-in mirrors that: it
 * does not refuse the query, it reports the filter (`unprojectedWeeks`) so a test can see that
 * a query asked for weeks Athena will never read. Each comparison of the projected column with a
 * date constant is judged on its own (`= d`, `in (...)`, `< d`, `<= d`, `> d`, `>= d`,
 * `between`), not the conjunction of a WHERE, and alignment on the weekly step is not checked.
 */
import { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';
import { curatedTableSpecs, metricTableSpecs, projectionParameters } from '../../infra/catalog.js';

/** The `firstWeek` the stand-in's catalog is declared with (infra/catalog.ts `curatedTableSpecs`). */
export const STAND_IN_FIRST_WEEK = '2026-01-05';

const SPECS = [
  ...curatedTableSpecs({ firstWeek: STAND_IN_FIRST_WEEK, sourceSystems: ['generic'] }),
  ...metricTableSpecs(),
];

/** Every catalog table's columns with their Glue types (data and partition columns). */
export const CATALOG_TYPES: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  SPECS.map((spec) => [
    spec.name,
    new Map([
      ...spec.columns.map((c) => [c.name, c.type] as const),
      ...spec.partitions.map((p) => [p.name, p.glueType] as const),
    ]),
  ]),
);

/** Per table, its `date` projected columns and their `projection.<column>.range` as declared. */
export const DATE_PROJECTIONS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  SPECS.map(
    (spec) =>
      [
        spec.name,
        new Map(
          spec.partitions.flatMap((p) =>
            p.projection.type === 'weeks'
              ? [
                  [
                    p.name,
                    String(projectionParameters('s3://b/t/', [p])[`projection.${p.name}.range`]),
                  ] as const,
                ]
              : [],
          ),
        ),
      ] as const,
  ).filter(([, columns]) => columns.size > 0),
);

/**
 * A relative date in a `date` projection range, as Athena documents it ("Supported types for
 * partition projection": `NOW`, optionally `+` or `-` a number of YEARS, MONTHS, WEEKS, DAYS,
 * HOURS, MINUTES or SECONDS, singular or plural, white space allowed).
 */
const RELATIVE_DATE =
  /^\s*NOW\s*(?:([+-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?)\s*)?$/;

/**
 * The dates (YYYY-MM-DD) a `yyyy-MM-dd` projection range `<first>,<last>` spans on `today`: each
 * end a date or a relative date. Throws for an end Athena would not read, as it refuses the table.
 */
export function projectedDates(range: string, today: string): { first: string; last: string } {
  const ends = range.split(',');
  if (ends.length !== 2) throw new Error(`projection range ${range}: not two values`);
  const [first, last] = ends.map((end) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(end)) return end;
    const m = RELATIVE_DATE.exec(end);
    if (!m)
      throw new Error(`projection range ${range}: ${end} is neither a date nor NOW[+-]<n><unit>`);
    const [, sign, amount, unit = ''] = m;
    const at = new Date(`${today}T00:00:00Z`);
    const n = (sign === '-' ? -1 : 1) * Number(amount ?? 0);
    if (unit.startsWith('YEAR')) at.setUTCFullYear(at.getUTCFullYear() + n);
    else if (unit.startsWith('MONTH')) at.setUTCMonth(at.getUTCMonth() + n);
    else if (unit.startsWith('WEEK')) at.setUTCDate(at.getUTCDate() + 7 * n);
    else if (unit.startsWith('DAY')) at.setUTCDate(at.getUTCDate() + n);
    return at.toISOString().slice(0, 10);
  }) as [string, string];
  return { first, last };
}

/**
 * How many dates a `yyyy-MM-dd` projection range with a one-week interval generates on `today`
 * (`projectedDates`: from its first date, a week apart, to its last), within `bounds` (the first
 * and last date a query's WHERE lets through, each optional).
 */
export function projectedWeekCount(
  range: string,
  today: string,
  bounds: { from?: string; to?: string },
): number {
  const { first, last } = projectedDates(range, today);
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
  const week = 7;
  const lo =
    bounds.from === undefined ? 0 : Math.max(0, Math.ceil((day(bounds.from) - day(first)) / week));
  const top = bounds.to === undefined || bounds.to > last ? last : bounds.to;
  const hi = Math.floor((day(top) - day(first)) / week);
  return Math.max(0, hi - lo + 1);
}

/** A catalog column an expression is, keyed by the expression's `start:stop` character span. */
export type ResolvedColumns = ReadonlyMap<string, { table: string; column: string }>;

interface Node {
  start: { start: number; line: number; column: number } | null;
  stop: { stop: number } | null;
  parent: Node | null;
}
type Category = 'string' | 'number' | 'boolean' | 'datetime';
interface Typed {
  /** Trino's name for the type, as its messages print it. */
  name: string;
  category: Category;
  /** For a date constant: its ISO date. */
  date?: string;
  column?: { table: string; column: string };
}

const TRINO: Record<string, string> = { string: 'varchar', int: 'integer', float: 'real' };

function ofGlue(glue: string): Typed {
  const name = glue === 'timestamp' ? 'timestamp(3)' : (TRINO[glue] ?? glue);
  const category: Category =
    name === 'varchar'
      ? 'string'
      : name === 'boolean'
        ? 'boolean'
        : name === 'date' || name.startsWith('timestamp')
          ? 'datetime'
          : 'number';
  return { name, category };
}

const span = (node: Node) => `${node.start?.start}:${node.stop?.stop}`;
const at = (node: Node) => `line ${node.start?.line ?? 1}:${(node.start?.column ?? 0) + 1}`;

/** Parse `sql` with the Trino grammar and hand each context of the given kinds to `visit`. */
function walk(sql: string, handlers: Record<string, (ctx: never) => void>): void {
  const parser = new TrinoSQL();
  const error = console.error;
  console.error = () => {};
  try {
    parser.listen(
      Object.assign(new TrinoSqlListener(), handlers),
      parser.parse(sql, () => {}),
    );
  } finally {
    console.error = error;
  }
}

/** The type of an expression, when it is a resolved catalog column, a literal or a cast. */
function typeOf(sql: string, node: Node | null, columns: ResolvedColumns): Typed | undefined {
  if (!node?.start || !node.stop) return undefined;
  const column = columns.get(span(node));
  if (column) {
    const glue = CATALOG_TYPES.get(column.table)?.get(column.column);
    return glue ? { ...ofGlue(glue), column } : undefined;
  }
  let text = sql.slice(node.start.start, node.stop.stop + 1).trim();
  while (/^\((?:[^()']|'(?:[^']|'')*')*\)$/.test(text)) text = text.slice(1, -1).trim();
  const string = /^'((?:[^']|'')*)'$/.exec(text);
  if (string)
    return { name: `varchar(${string[1]?.replaceAll("''", "'").length})`, category: 'string' };
  if (/^\d+$/.test(text)) return { name: 'integer', category: 'number' };
  if (/^(?:\d+\.\d*|\.\d+)$/.test(text)) return { name: 'decimal', category: 'number' };
  if (/^(?:true|false)$/i.test(text)) return { name: 'boolean', category: 'boolean' };
  const typed = /^(date|timestamp)\s*'([^']*)'$/i.exec(text);
  if (typed) {
    const date = /^\d{4}-\d{2}-\d{2}/.exec(typed[2] as string)?.[0];
    return typed[1]?.toLowerCase() === 'date'
      ? { name: 'date', category: 'datetime', ...(date ? { date } : {}) }
      : { name: 'timestamp(3)', category: 'datetime' };
  }
  const cast =
    /^(?:try_)?cast\s*\(\s*(?:'(\d{4}-\d{2}-\d{2})'\s+)?[\s\S]*\s+as\s+([a-z]+)\s*\)$/i.exec(text);
  if (cast) {
    const name = (cast[2] as string).toLowerCase();
    const glue = name === 'varchar' ? 'string' : name === 'integer' ? 'int' : name;
    const typedCast = ofGlue(glue);
    return name === 'date' && cast[1] ? { ...typedCast, date: cast[1] } : typedCast;
  }
  return undefined;
}

const mismatch = (node: Node, left: Typed, op: string, right: Typed) =>
  `TYPE_MISMATCH: ${at(node)}: Cannot apply operator: ${left.name} ${op} ${right.name}`;

const SIGNATURES: Record<string, string> = {
  sum: 'sum(double), sum(real), sum(bigint), sum(decimal(p,s)), sum(interval day to second), sum(interval year to month)',
  avg: 'avg(double), avg(real), avg(bigint), avg(decimal(p,s)), avg(interval day to second), avg(interval year to month)',
};

/**
 * The TYPE_MISMATCH and FUNCTION_NOT_FOUND messages Athena would give for `sql`, from the rules in
 * this file's header; `columns` are the catalog columns athena-rules.ts resolved in it.
 */
export function typeViolations(sql: string, columns: ResolvedColumns): string[] {
  const violations: string[] = [];
  const type = (node: Node | null) => typeOf(sql, node, columns);
  const compare = (node: Node, left: Node | null, op: string, rights: (Node | null)[]) => {
    const l = type(left);
    if (!l) return;
    for (const right of rights) {
      const r = type(right);
      if (r && r.category !== l.category) {
        violations.push(
          op === 'in'
            ? `TYPE_MISMATCH: ${at(node)}: IN value and list items must be the same type: ${l.name} (found ${r.name})`
            : mismatch(node, l, op, r),
        );
        return;
      }
    }
  };
  type Predicate = Node & { parent: Node & { valueExpression(): Node } };
  walk(sql, {
    enterComparison(ctx: Predicate & { comparisonOperator(): Node; valueExpression(): Node }) {
      const op = sql.slice(
        ctx.comparisonOperator().start?.start ?? 0,
        (ctx.comparisonOperator().stop?.stop ?? 0) + 1,
      );
      compare(ctx.parent, ctx.parent.valueExpression(), op, [ctx.valueExpression()]);
    },
    enterInList(ctx: Predicate & { expression(): Node[] }) {
      compare(ctx.parent, ctx.parent.valueExpression(), 'in', ctx.expression());
    },
    enterBetween(ctx: Predicate & { valueExpression(): Node[] }) {
      compare(ctx.parent, ctx.parent.valueExpression(), 'between', ctx.valueExpression());
    },
    enterArithmeticBinary(
      ctx: Node & { valueExpression(i: number): Node | null; _operator?: { text?: string } },
    ) {
      const [l, r] = [type(ctx.valueExpression(0)), type(ctx.valueExpression(1))];
      const bad = [l, r].find(
        (t) => t?.column && (t.category === 'string' || t.category === 'boolean'),
      );
      if (bad) {
        const unknown: Typed = { name: '<expression>', category: 'number' };
        violations.push(mismatch(ctx, l ?? unknown, ctx._operator?.text ?? '?', r ?? unknown));
      }
    },
    enterFunctionCall(ctx: Node & { functionName(): Node; expression(): Node[] }) {
      const name = sql
        .slice(ctx.functionName().start?.start ?? 0, (ctx.functionName().stop?.stop ?? 0) + 1)
        .toLowerCase();
      const signature = SIGNATURES[name];
      const args = ctx.expression();
      if (!signature || args.length !== 1) return;
      const arg = type(args[0] ?? null);
      if (arg?.column && arg.category !== 'number') {
        violations.push(
          `FUNCTION_NOT_FOUND: ${at(ctx)}: Unexpected parameters (${arg.name}) for function ${name}. Expected: ${signature}`,
        );
      }
    },
  });
  return violations;
}

/** Whether `<column> <op> <dates>` selects no date of the range `first`..`last`. */
function asksNothing(op: string, dates: string[], first: string, last: string): boolean {
  const [a = '', b = ''] = dates;
  switch (op) {
    case '=':
    case 'in':
      return dates.every((d) => d < first || d > last);
    case 'between':
      return a > last || b < first || a > b;
    case '<':
      return a <= first;
    case '<=':
      return a < first;
    case '>':
      return a >= last;
    case '>=':
      return a > last;
    default:
      return false;
  }
}

/**
 * Filters on a `date` projected column (week_start) that ask only for dates outside its
 * projection range as declared (`projectedDates` on `today`, NOW's date): Athena reads no partition for them
 * (see this file's header). One line per such comparison; empty when every one overlaps the range.
 */
export function unprojectedWeeks(sql: string, columns: ResolvedColumns, today: string): string[] {
  const notes: string[] = [];
  const type = (node: Node | null) => typeOf(sql, node, columns);
  const check = (node: Node, left: Node | null, op: string, rights: (Node | null)[]) => {
    const column = type(left)?.column;
    const range = column && DATE_PROJECTIONS.get(column.table)?.get(column.column);
    if (!column || !range) return;
    const dates = rights.map((r) => type(r)?.date);
    if (dates.some((d) => d === undefined)) return;
    const { first, last } = projectedDates(range, today);
    const none = asksNothing(op, dates as string[], first, last);
    if (none) {
      notes.push(
        `${at(node)}: ${column.table}.${column.column} ${op} ${(dates as string[]).join(', ')} asks only for dates outside projection.${column.column}.range (${range}: ${first} to ${last} on ${today}): Athena reads no partition for it`,
      );
    }
  };
  type Predicate = Node & { parent: Node & { valueExpression(): Node } };
  walk(sql, {
    enterComparison(ctx: Predicate & { comparisonOperator(): Node; valueExpression(): Node }) {
      const op = sql.slice(
        ctx.comparisonOperator().start?.start ?? 0,
        (ctx.comparisonOperator().stop?.stop ?? 0) + 1,
      );
      check(ctx.parent, ctx.parent.valueExpression(), op, [ctx.valueExpression()]);
    },
    enterInList(ctx: Predicate & { expression(): Node[] }) {
      check(ctx.parent, ctx.parent.valueExpression(), 'in', ctx.expression());
    },
    enterBetween(ctx: Predicate & { valueExpression(): Node[] }) {
      check(ctx.parent, ctx.parent.valueExpression(), 'between', ctx.valueExpression());
    },
  });
  return notes;
}
