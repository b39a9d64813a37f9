/**
 * Small configuration tables rendered as SQL literals that DuckDB and Athena both accept (an inline
 * VALUES table), for the `{{name}}` parameters of queries/*.sql (metric-parameters.ts).
 */
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * An inline table: `(select * from (values (...), (...)) as t(a, b))`, or an empty typed
 * `select ... where 1 = 0` when there are no rows (VALUES cannot be empty). A null value is a
 * typed `cast(null as <type>)`, so a column of nulls keeps its type.
 */
export function inlineTable(
  columns: readonly { name: string; type: 'varchar' | 'bigint' | 'date' }[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  const literal = (value: string | number | null, type: string) =>
    value === null
      ? `cast(null as ${type})`
      : type === 'varchar'
        ? text(String(value))
        : type === 'date'
          ? `date ${text(String(value))}`
          : String(Math.trunc(Number(value)));
  if (rows.length === 0) {
    const nulls = columns.map((c) => `cast(null as ${c.type}) as ${c.name}`).join(', ');
    return `(select ${nulls} where 1 = 0)`;
  }
  const values = rows
    .map(
      (row) =>
        `(${columns.map((c, i) => literal(row[i] as string | number | null, c.type)).join(', ')})`,
    )
    .join(', ');
  return `(select * from (values ${values}) as t(${columns.map((c) => c.name).join(', ')}))`;
}
