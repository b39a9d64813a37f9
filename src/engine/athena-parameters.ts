/**
 * Query parameters for Athena: the port writes them `$name` (as DuckDB takes them); Athena takes
 * positional `?` with each value as a SQL literal in ExecutionParameters. Values never enter the
 * SQL text. Athena takes `?` only in a WHERE clause, and each literal of at most 1,024 characters
 * (Athena user guide, "Using parameterized queries"; API reference, StartQueryExecution): write
 * `$name` in a WHERE only (test/helpers/athena-rules.ts fails any other use).
 */
import { RotascopeError } from '../errors.js';
import type { SqlValue } from './query-engine.js';

/**
 * `$name` placeholders as Athena's positional `?`, with one parameter literal per `?` in order
 * (a name used twice gives two). `$` inside a string literal, a quoted identifier or a comment is
 * text. A name without a value, a value without a use, and a bare `?` (which Athena would take
 * for a parameter) are errors.
 */
export function positionalParameters(
  sql: string,
  params: Readonly<Record<string, SqlValue>> = {},
): { sql: string; values: string[] } {
  const parts: string[] = [];
  const values: string[] = [];
  const used = new Set<string>();
  let from = 0;
  let i = 0;
  while (i < sql.length) {
    const end = quotedOrCommentEnd(sql, i);
    if (end > i) {
      i = end;
      continue;
    }
    if (sql[i] === '?') {
      throw new RotascopeError(`SQL has a bare ? at offset ${i}: write parameters as $name`);
    }
    const name = sql[i] === '$' ? nameAt(sql, i + 1) : undefined;
    if (name === undefined) {
      i += 1;
      continue;
    }
    if (!Object.hasOwn(params, name)) {
      throw new RotascopeError(`SQL uses $${name} but no value was given for it`);
    }
    values.push(athenaLiteral(params[name] ?? null, name));
    used.add(name);
    parts.push(sql.slice(from, i), '?');
    i += 1 + name.length;
    from = i;
  }
  parts.push(sql.slice(from));
  const unused = Object.keys(params).filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new RotascopeError(
      `Parameters not used in the SQL: ${unused.map((n) => `$${n}`).join(', ')}`,
    );
  }
  return { sql: parts.join(''), values };
}

/** Where a string literal, quoted identifier or comment starting at `i` ends; `i` if none does. */
function quotedOrCommentEnd(sql: string, i: number): number {
  const ch = sql[i];
  // A doubled quote inside ('O''Brien') reads as two literals side by side: same extent.
  if (ch === "'" || ch === '"') return endAfter(sql, ch, i + 1);
  if (sql.startsWith('--', i)) return endAfter(sql, '\n', i + 2);
  if (sql.startsWith('/*', i)) return endAfter(sql, '*/', i + 2);
  return i;
}

function endAfter(sql: string, closing: string, from: number): number {
  const at = sql.indexOf(closing, from);
  return at === -1 ? sql.length : at + closing.length;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

function nameAt(sql: string, i: number): string | undefined {
  NAME.lastIndex = i;
  return NAME.exec(sql)?.[0];
}

/**
 * The longest literal one ExecutionParameters member may be: "Length Constraints: Minimum length of
 * 1. Maximum length of 1024." (Athena API reference, StartQueryExecution); StartQueryExecution
 * refuses a longer one with a validation error that names no parameter.
 */
export const MAX_PARAMETER_LENGTH = 1024;

/**
 * A value as an Athena parameter literal. Strings are quoted with `'` doubled; integers are
 * written as they are. A fraction is written in exponent form (`5E-1`), which Athena reads as a
 * DOUBLE, as DuckDB binds a JS fraction: plain `0.5` would be a DECIMAL in Athena, whose
 * arithmetic rounds differently.
 */
export function athenaLiteral(value: SqlValue, name: string): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') {
    const literal = `'${value.replaceAll("'", "''")}'`;
    if (literal.length > MAX_PARAMETER_LENGTH) {
      throw new RotascopeError(
        `Parameter $${name}: its literal is ${literal.length} characters; Athena takes at most ${MAX_PARAMETER_LENGTH} per execution parameter`,
      );
    }
    return literal;
  }
  if (!Number.isFinite(value)) {
    throw new RotascopeError(`Parameter $${name}: ${value} is not a finite number`);
  }
  return Number.isSafeInteger(value) ? String(value) : value.toExponential().toUpperCase();
}
